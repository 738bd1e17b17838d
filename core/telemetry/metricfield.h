#pragma once

#include "core/policy/errorclass.h"

#include <QString>

namespace gp {

inline constexpr int ErrorBucketCount = 9; // ErrorBucket::RateLimit429 .. ErrorBucket::Other

// One plottable quantity of a metrics bucket. Errors and retries come one per ErrorBucket,
// in ErrorBucket order: use errorField()/retryField() rather than the raw values.
enum class MetricField {
    Submitted,
    Attempts,
    Successes,
    Failures, // terminal failed, cancelled or interrupted
    Retries, // all reasons
    Errors, // all classes
    ErrorRate, // failed attempts / attempts, 0..1
    ErrorFirst, // + int(ErrorBucket), 9 fields
    RetryFirst = ErrorFirst + ErrorBucketCount,
    TtfbP50 = RetryFirst + ErrorBucketCount,
    TtfbP95,
    TtfbP99,
    LatencyP50,
    LatencyP95,
    LatencyP99,
    PromptTokens,
    CompletionTokens,
    ReasoningTokens,
    CachedTokens,
    CostUsd,
    RequestsRemaining, // gauges: last value in the bucket; no point when unknown
    RequestLimit,
    TokensRemaining,
    TokenLimit,
    QuotaResetInMs,
    QueueDepth,
    InFlight,
    BreakerState, // 0 closed, 1 half-open, 2 open
    BilledTokens, // prompt + completion + reasoning (what a token-per-minute limit counts)
    Count
};

inline MetricField errorField(ErrorBucket bucket)
{
    return MetricField(int(MetricField::ErrorFirst) + int(bucket));
}
inline MetricField retryField(ErrorBucket bucket)
{
    return MetricField(int(MetricField::RetryFirst) + int(bucket));
}

QString metricFieldName(MetricField field); // "submitted", "errors_429_rate", "latency_p95", ...

} // namespace gp
