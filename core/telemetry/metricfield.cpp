#include "core/telemetry/metricfield.h"

namespace gp {

QString metricFieldName(MetricField field)
{
    const int f = int(field);
    if (f >= int(MetricField::ErrorFirst) && f < int(MetricField::RetryFirst))
        return QStringLiteral("errors_") + errorBucketName(ErrorBucket(f - int(MetricField::ErrorFirst)));
    if (f >= int(MetricField::RetryFirst) && f < int(MetricField::TtfbP50))
        return QStringLiteral("retries_") + errorBucketName(ErrorBucket(f - int(MetricField::RetryFirst)));
    switch (field) {
    case MetricField::Submitted: return QStringLiteral("submitted");
    case MetricField::Attempts: return QStringLiteral("attempts");
    case MetricField::Successes: return QStringLiteral("successes");
    case MetricField::Failures: return QStringLiteral("failures");
    case MetricField::Retries: return QStringLiteral("retries");
    case MetricField::Errors: return QStringLiteral("errors");
    case MetricField::ErrorRate: return QStringLiteral("error_rate");
    case MetricField::TtfbP50: return QStringLiteral("ttfb_p50");
    case MetricField::TtfbP95: return QStringLiteral("ttfb_p95");
    case MetricField::TtfbP99: return QStringLiteral("ttfb_p99");
    case MetricField::LatencyP50: return QStringLiteral("latency_p50");
    case MetricField::LatencyP95: return QStringLiteral("latency_p95");
    case MetricField::LatencyP99: return QStringLiteral("latency_p99");
    case MetricField::PromptTokens: return QStringLiteral("prompt_tokens");
    case MetricField::CompletionTokens: return QStringLiteral("completion_tokens");
    case MetricField::ReasoningTokens: return QStringLiteral("reasoning_tokens");
    case MetricField::CachedTokens: return QStringLiteral("cached_tokens");
    case MetricField::CostUsd: return QStringLiteral("cost_usd");
    case MetricField::RequestsRemaining: return QStringLiteral("requests_remaining");
    case MetricField::RequestLimit: return QStringLiteral("request_limit");
    case MetricField::TokensRemaining: return QStringLiteral("tokens_remaining");
    case MetricField::TokenLimit: return QStringLiteral("token_limit");
    case MetricField::QuotaResetInMs: return QStringLiteral("quota_reset_in_ms");
    case MetricField::QueueDepth: return QStringLiteral("queue_depth");
    case MetricField::InFlight: return QStringLiteral("in_flight");
    case MetricField::BreakerState: return QStringLiteral("breaker_state");
    case MetricField::BilledTokens: return QStringLiteral("billed_tokens");
    default: return QStringLiteral("unknown");
    }
}

} // namespace gp
