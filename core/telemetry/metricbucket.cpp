#include "core/telemetry/metricbucket.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace gp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double gaugeValue(qint64 value)
{
    return value < 0 ? kNaN : double(value);
}

double quantileValue(const LogHistogram &histogram, double q)
{
    const double v = histogram.quantile(q);
    return v < 0 ? kNaN : v;
}

bool resetPassed(qint64 resetAtMs, qint64 limit, qint64 nowMs)
{
    return resetAtMs >= 0 && limit > 0 && nowMs >= resetAtMs;
}

} // namespace

bool MetricGauges::requestsResetPassed(qint64 nowMs) const
{
    return requestsRemaining >= 0 && resetPassed(requestsResetAtMs, requestLimit, nowMs);
}

bool MetricGauges::tokensResetPassed(qint64 nowMs) const
{
    return tokensRemaining >= 0 && resetPassed(tokensResetAtMs, tokenLimit, nowMs);
}

qint64 MetricGauges::requestsLeftAt(qint64 nowMs) const
{
    return requestsResetPassed(nowMs) ? requestLimit : requestsRemaining;
}

qint64 MetricGauges::tokensLeftAt(qint64 nowMs) const
{
    return tokensResetPassed(nowMs) ? tokenLimit : tokensRemaining;
}

quint32 MetricBucket::errorTotal() const
{
    return std::accumulate(errors.begin(), errors.end(), quint32(0));
}

quint32 MetricBucket::retryTotal() const
{
    return std::accumulate(retries.begin(), retries.end(), quint32(0));
}

void MetricBucket::accumulate(const MetricBucket &other)
{
    submitted += other.submitted;
    attempts += other.attempts;
    failedAttempts += other.failedAttempts;
    successes += other.successes;
    failures += other.failures;
    for (size_t i = 0; i < errors.size(); ++i) {
        errors[i] += other.errors[i];
        retries[i] += other.retries[i];
    }
    ttfb.merge(other.ttfb);
    latency.merge(other.latency);
    promptTokens += other.promptTokens;
    completionTokens += other.completionTokens;
    reasoningTokens += other.reasoningTokens;
    cachedTokens += other.cachedTokens;
    costUsd += other.costUsd;
    gauges = other.gauges;
}

double MetricBucket::value(MetricField field) const
{
    const int f = int(field);
    if (f >= int(MetricField::ErrorFirst) && f < int(MetricField::RetryFirst))
        return errors[size_t(f - int(MetricField::ErrorFirst))];
    if (f >= int(MetricField::RetryFirst) && f < int(MetricField::TtfbP50))
        return retries[size_t(f - int(MetricField::RetryFirst))];
    switch (field) {
    case MetricField::Submitted: return submitted;
    case MetricField::Attempts: return attempts;
    case MetricField::Successes: return successes;
    case MetricField::Failures: return failures;
    case MetricField::Retries: return retryTotal();
    case MetricField::Errors: return errorTotal();
    case MetricField::ErrorRate: return attempts == 0 ? 0.0 : double(failedAttempts) / attempts;
    case MetricField::TtfbP50: return quantileValue(ttfb, 0.50);
    case MetricField::TtfbP95: return quantileValue(ttfb, 0.95);
    case MetricField::TtfbP99: return quantileValue(ttfb, 0.99);
    case MetricField::LatencyP50: return quantileValue(latency, 0.50);
    case MetricField::LatencyP95: return quantileValue(latency, 0.95);
    case MetricField::LatencyP99: return quantileValue(latency, 0.99);
    case MetricField::PromptTokens: return double(promptTokens);
    case MetricField::CompletionTokens: return double(completionTokens);
    case MetricField::ReasoningTokens: return double(reasoningTokens);
    case MetricField::CachedTokens: return double(cachedTokens);
    case MetricField::CostUsd: return costUsd;
    case MetricField::RequestsRemaining: return gaugeValue(gauges.requestsRemaining);
    case MetricField::RequestLimit: return gaugeValue(gauges.requestLimit);
    case MetricField::TokensRemaining: return gaugeValue(gauges.tokensRemaining);
    case MetricField::TokenLimit: return gaugeValue(gauges.tokenLimit);
    case MetricField::QuotaResetInMs:
        return gauges.quotaResetAtMs < 0 || startMs < 0
            ? kNaN
            : double(std::max<qint64>(0, gauges.quotaResetAtMs - startMs));
    case MetricField::QueueDepth: return gauges.queueDepth();
    case MetricField::InFlight: return gauges.inFlight;
    case MetricField::BreakerState: return int(gauges.breaker);
    case MetricField::BilledTokens: return double(promptTokens + completionTokens + reasoningTokens);
    default: return kNaN;
    }
}

} // namespace gp
