#include "core/telemetry/metricshub.h"

#include "core/wire/costmodel.h"

#include <algorithm>
#include <cmath>

namespace gp {

namespace {

// Classes the client decides on its own: no attempt reports them, so the terminal event does.
bool isClientDecided(ErrorClass errorClass)
{
    switch (errorClass) {
    case ErrorClass::CircuitOpen:
    case ErrorClass::RetryBudgetExhausted:
    case ErrorClass::DeadlineExceeded:
    case ErrorClass::RetryHintTooLong:
    case ErrorClass::QueueFull: return true;
    default: return false;
    }
}

template<typename Apply> void forBoth(MetricBucket *a, MetricBucket *b, Apply apply)
{
    if (a)
        apply(*a);
    if (b)
        apply(*b);
}

qint64 optionalOr(const std::optional<qint64> &value, qint64 fallback)
{
    return value.value_or(fallback);
}

} // namespace

MetricsHub::MetricsHub() = default;

Resolution MetricsHub::resolutionFor(qint64 spanMs)
{
    return spanMs <= kSecondMs * kSecondSlots ? Resolution::Second : Resolution::Minute;
}

const MetricRing &MetricsHub::ring(Resolution resolution) const
{
    return resolution == Resolution::Second ? m_seconds : m_minutes;
}

MetricBucket *MetricsHub::touch(MetricRing &ring, qint64 timeMs)
{
    m_totals.timeMs = std::max(m_totals.timeMs, timeMs);
    return ring.bucketFor(timeMs, m_totals.gauges);
}

void MetricsHub::updateGauges(qint64 timeMs)
{
    forBoth(touch(m_seconds, timeMs), touch(m_minutes, timeMs),
            [this](MetricBucket &b) { b.gauges = m_totals.gauges; });
}

void MetricsHub::countError(qint64 timeMs, ErrorClass errorClass, bool attemptFailed)
{
    const size_t bucket = size_t(errorBucketOf(errorClass));
    ++m_totals.errors[bucket];
    forBoth(touch(m_seconds, timeMs), touch(m_minutes, timeMs), [&](MetricBucket &b) {
        ++b.errors[bucket];
        if (attemptFailed)
            ++b.failedAttempts;
    });
}

void MetricsHub::record(const Event &event)
{
    const qint64 t = event.timeMs;
    MetricBucket *sec = touch(m_seconds, t);
    MetricBucket *min = touch(m_minutes, t);
    switch (event.kind) {
    case EventKind::Submitted:
        ++m_totals.submitted;
        forBoth(sec, min, [](MetricBucket &b) { ++b.submitted; });
        break;
    case EventKind::AttemptFinished:
        ++m_totals.attempts;
        forBoth(sec, min, [&](MetricBucket &b) {
            ++b.attempts;
            if (event.ttfbMs >= 0)
                b.ttfb.add(double(event.ttfbMs));
        });
        if (event.errorClass != ErrorClass::None)
            countError(t, event.errorClass, true);
        break;
    case EventKind::RetryScheduled: {
        const size_t reason = size_t(errorBucketOf(event.errorClass));
        ++m_totals.retries[reason];
        forBoth(sec, min, [reason](MetricBucket &b) { ++b.retries[reason]; });
        break;
    }
    case EventKind::Succeeded:
    case EventKind::Failed:
    case EventKind::Cancelled:
    case EventKind::Interrupted: recordTerminal(event); break;
    case EventKind::QuotaUpdated: recordQuota(event); break;
    case EventKind::BreakerOpened:
        m_totals.gauges.breaker = BreakerState::Open;
        updateGauges(t);
        break;
    case EventKind::BreakerHalfOpen:
        m_totals.gauges.breaker = BreakerState::HalfOpen;
        updateGauges(t);
        break;
    case EventKind::BreakerClosed:
        m_totals.gauges.breaker = BreakerState::Closed;
        updateGauges(t);
        break;
    default: break;
    }
}

void MetricsHub::recordTerminal(const Event &event)
{
    const qint64 t = event.timeMs;
    MetricBucket *sec = touch(m_seconds, t);
    MetricBucket *min = touch(m_minutes, t);
    const bool success = event.kind == EventKind::Succeeded;
    const int outcome = success              ? MetricsSnapshot::Succeeded
        : event.kind == EventKind::Failed    ? MetricsSnapshot::Failed
        : event.kind == EventKind::Cancelled ? MetricsSnapshot::Cancelled
                                             : MetricsSnapshot::Interrupted;
    ++m_totals.outcomes[size_t(outcome)];
    const Usage &u = event.usage;
    const Cost priced = CostModel::costOf(u, event.model);
    const double cost = priced.usd;
    if (u.totalTokens > 0 || u.costInUsdTicks.has_value())
        m_totals.costEstimated = m_totals.costEstimated || priced.estimated;
    const bool timed = event.durationMs >= 0 && event.kind != EventKind::Cancelled;
    forBoth(sec, min, [&](MetricBucket &b) {
        ++(success ? b.successes : b.failures);
        if (timed)
            b.latency.add(double(event.durationMs));
        b.promptTokens += u.promptTokens;
        b.completionTokens += u.completionTokens;
        b.reasoningTokens += u.reasoningTokens;
        b.cachedTokens += u.cachedTokens;
        b.costUsd += cost;
    });
    m_totals.promptTokens += u.promptTokens;
    m_totals.completionTokens += u.completionTokens;
    m_totals.reasoningTokens += u.reasoningTokens;
    m_totals.cachedTokens += u.cachedTokens;
    m_totals.costUsd += cost;
    if (timed) {
        const double sec = double(event.durationMs) / 1000.0;
        const auto &bounds = MetricsSnapshot::kDurationBoundsSec;
        const auto it = std::lower_bound(bounds.begin(), bounds.end(), sec);
        ++m_totals.durationBuckets[size_t(it - bounds.begin())];
        m_totals.durationSumSec += sec;
        ++m_totals.durationCount;
    }
    // Failures no attempt counted: decided by the client, or refused before any attempt
    // (a request larger than the token limit, an endpoint refused).
    if (event.kind == EventKind::Failed && (isClientDecided(event.errorClass) || event.attempt == 0))
        countError(t, event.errorClass, false);
}

void MetricsHub::recordQuota(const Event &event)
{
    MetricGauges &g = m_totals.gauges;
    const QuotaSnapshot &q = event.quota;
    g.requestsRemaining = optionalOr(q.requests.remaining, g.requestsRemaining);
    g.requestLimit = optionalOr(q.requests.limit, g.requestLimit);
    g.tokensRemaining = optionalOr(q.tokens.remaining, g.tokensRemaining);
    g.tokenLimit = optionalOr(q.tokens.limit, g.tokenLimit);
    // A new count without its reset leaves no reset known for it: an older one would read it as full.
    if (q.requests.remaining || q.requests.resetInMs)
        g.requestsResetAtMs = q.requests.resetInMs ? event.timeMs + *q.requests.resetInMs : -1;
    if (q.tokens.remaining || q.tokens.resetInMs)
        g.tokensResetAtMs = q.tokens.resetInMs ? event.timeMs + *q.tokens.resetInMs : -1;
    std::optional<qint64> resetIn = q.requests.resetInMs;
    if (q.tokens.resetInMs && (!resetIn || *q.tokens.resetInMs < *resetIn))
        resetIn = q.tokens.resetInMs;
    if (resetIn)
        g.quotaResetAtMs = event.timeMs + *resetIn;
    updateGauges(event.timeMs);
}

void MetricsHub::seedGauges(const MetricGauges &gauges)
{
    m_totals.gauges = gauges;
}

void MetricsHub::recordPacing(const PacingState &state, qint64 nowMs, qint64 steadyNowMs)
{
    MetricGauges &g = m_totals.gauges;
    for (int p = 0; p < PriorityCount; ++p)
        g.queued[size_t(p)] = state.queued[p];
    g.inFlight = state.inFlight;
    g.requestsRemaining = optionalOr(state.requestsRemaining, g.requestsRemaining);
    g.requestLimit = optionalOr(state.requestLimit, g.requestLimit);
    g.tokensRemaining = optionalOr(state.tokensRemaining, g.tokensRemaining);
    g.tokenLimit = optionalOr(state.tokenLimit, g.tokenLimit);
    if (state.nextResetMs)
        g.quotaResetAtMs = nowMs + std::max<qint64>(0, *state.nextResetMs - steadyNowMs);
    updateGauges(nowMs);
}

int MetricsHub::series(Resolution resolution, qint64 fromMs, qint64 toMs, MetricField field,
                       QList<QPointF> &out) const
{
    out.resize(0); // keeps capacity: no reallocation when the caller preallocated
    const MetricRing &r = ring(resolution);
    if (r.headStartMs() < 0 || toMs < fromMs)
        return 0;
    const qint64 last = std::min(r.alignDown(toMs), r.headStartMs());
    const qint64 first = std::max(r.alignDown(fromMs), r.headStartMs() - r.spanMs() + r.bucketMs());
    for (qint64 s = first; s <= last; s += r.bucketMs()) {
        const MetricBucket *b = r.bucketAt(s);
        if (!b)
            continue;
        const double v = b->value(field);
        if (!std::isnan(v))
            out.append(QPointF(double(s), v));
    }
    return int(out.size());
}

int MetricsHub::recent(qint64 spanMs, qint64 nowMs, MetricField field, QList<QPointF> &out) const
{
    const Resolution resolution = resolutionFor(spanMs);
    const MetricRing &r = ring(resolution);
    // Whole buckets only: the newest one holds nowMs, so span / width points at most.
    return series(resolution, r.alignDown(nowMs) - spanMs + r.bucketMs(), nowMs, field, out);
}

MetricBucket MetricsHub::window(Resolution resolution, qint64 fromMs, qint64 toMs) const
{
    MetricBucket sum;
    const MetricRing &r = ring(resolution);
    if (r.headStartMs() < 0 || toMs < fromMs)
        return sum;
    sum.startMs = r.alignDown(fromMs);
    const qint64 last = std::min(r.alignDown(toMs), r.headStartMs());
    const qint64 first = std::max(r.alignDown(fromMs), r.headStartMs() - r.spanMs() + r.bucketMs());
    sum.gauges = m_totals.gauges;
    for (qint64 s = first; s <= last; s += r.bucketMs()) {
        if (const MetricBucket *b = r.bucketAt(s))
            sum.accumulate(*b);
    }
    return sum;
}

} // namespace gp
