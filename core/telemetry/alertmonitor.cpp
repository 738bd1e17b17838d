#include "core/telemetry/alertmonitor.h"

#include "core/telemetry/metricshub.h"

#include <algorithm>

namespace gp {

namespace {

QString percent(double fraction)
{
    return QString::number(fraction * 100.0, 'f', 1) + u'%';
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'g', 4) + QStringLiteral(" s");
}

// "12 server errors (5xx), 3 overloaded (529/capacity), 2 network": the failed attempts of
// the window by cause, largest first.
QString breakdown(const MetricBucket &w)
{
    struct Part
    {
        ErrorBucket bucket;
        const char *label;
    };
    static constexpr Part parts[] = {
        { ErrorBucket::Server5xx, "server errors (5xx)" },
        { ErrorBucket::Capacity429, "overloaded (529/capacity)" },
        { ErrorBucket::RateLimit429, "rate limited (429 quota)" },
        { ErrorBucket::Network, "network" },
        { ErrorBucket::Timeout, "timeouts" },
        { ErrorBucket::Client4xx, "client errors (4xx)" },
        { ErrorBucket::Breaker, "breaker open" },
        { ErrorBucket::Budget, "retry budget" },
        { ErrorBucket::Other, "other" },
    };
    QList<std::pair<quint32, QString>> found;
    for (const Part &p : parts) {
        if (const quint32 n = w.errors[size_t(p.bucket)])
            found.append({ n, QString::number(n) + u' ' + QString::fromLatin1(p.label) });
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    QStringList words;
    for (const auto &f : std::as_const(found))
        words.append(f.second);
    return words.join(QStringLiteral(", "));
}

} // namespace

AlertMonitor::AlertMonitor(const MetricsHub &hub, const AlertConfig &config)
    : m_hub(hub)
    , m_config(config)
{ }

QString AlertMonitor::ruleId(Rule rule)
{
    switch (rule) {
    case ErrorSpike: return QStringLiteral("error_spike");
    case Sustained429: return QStringLiteral("sustained_429");
    case BreakerOpen: return QStringLiteral("breaker_open");
    case QuotaLowRequests: return QStringLiteral("quota_low_requests");
    case QuotaLowTokens: return QStringLiteral("quota_low_tokens");
    case LatencyP95: return QStringLiteral("latency_p95");
    case Overload: return QStringLiteral("server_overloaded");
    case FailureRate: return QStringLiteral("failure_rate");
    default: return QStringLiteral("unknown");
    }
}

QStringList AlertMonitor::activeAlertIds() const
{
    QStringList ids;
    for (int r = 0; r < RuleCount; ++r) {
        if (m_raised[size_t(r)])
            ids.append(ruleId(Rule(r)));
    }
    return ids;
}

QList<Event> AlertMonitor::evaluate(qint64 nowMs)
{
    QList<Event> out;
    m_updated.clear();
    const MetricBucket w = m_hub.window(Resolution::Second, nowMs - m_config.windowMs + 1, nowMs);
    const AlertConfig &c = m_config;
    const QString causes = breakdown(w);
    if (c.failureRateEnabled) {
        const ShareRule rule { FailureRate,
                               c.failureRate,
                               c.failureClearRate,
                               c.failureMinAttempts,
                               QStringLiteral("High failure rate: "),
                               QStringLiteral("Failure rate back to normal: "),
                               QStringLiteral("failed") };
        apply(FailureRate, checkShare(rule, w.attempts, w.failedAttempts, causes), nowMs, out);
    }
    if (c.errorSpikeEnabled) {
        Verdict spike = checkErrorSpike(w.attempts, w.failedAttempts, causes);
        if (m_raised[FailureRate] && !m_raised[ErrorSpike])
            spike.raise = false; // the failure-rate alert already says it, with the same causes
        apply(ErrorSpike, spike, nowMs, out);
    }
    if (c.sustained429Enabled) {
        const ShareRule rule { Sustained429,
                               c.sustained429Rate,
                               c.sustained429ClearRate,
                               c.sustained429MinAttempts,
                               QStringLiteral("Sustained rate limiting (quota): "),
                               QStringLiteral("Rate limiting eased: "),
                               QStringLiteral("got HTTP 429 for our quota") };
        apply(Sustained429, checkShare(rule, w.attempts, w.errors[size_t(ErrorBucket::RateLimit429)], {}),
              nowMs, out);
    }
    if (c.overloadEnabled) {
        const ShareRule rule { Overload,
                               c.overloadRate,
                               c.overloadClearRate,
                               c.overloadMinAttempts,
                               QStringLiteral("Server overloaded (not our quota): "),
                               QStringLiteral("Server overload eased: "),
                               QStringLiteral("got 529 or 429 \"at capacity\"") };
        apply(Overload, checkShare(rule, w.attempts, w.errors[size_t(ErrorBucket::Capacity429)], {}), nowMs,
              out);
    }
    if (c.breakerEnabled)
        apply(BreakerOpen, checkBreaker(), nowMs, out);
    if (c.quotaEnabled) {
        apply(QuotaLowRequests, checkQuota(QuotaLowRequests, nowMs), nowMs, out);
        apply(QuotaLowTokens, checkQuota(QuotaLowTokens, nowMs), nowMs, out);
    }
    if (c.latencyEnabled)
        apply(LatencyP95, checkLatency(w.latency.quantile(0.95), w.latency.count()), nowMs, out);
    return out;
}

void AlertMonitor::apply(Rule rule, const Verdict &verdict, qint64 nowMs, QList<Event> &out)
{
    bool &raised = m_raised[size_t(rule)];
    QString &sentence = m_sentences[size_t(rule)];
    if (raised && !verdict.clear) { // still raised: its sentence follows the window
        if (!verdict.message.isEmpty() && verdict.message != sentence) {
            sentence = verdict.message;
            m_updated.append({ ruleId(rule), sentence });
        }
        return;
    }
    if (!raised && !verdict.raise)
        return;
    raised = !raised;
    sentence = raised ? verdict.message : QString();
    Event e;
    e.timeMs = nowMs;
    e.kind = raised ? EventKind::AlertRaised : EventKind::AlertCleared;
    e.alertId = ruleId(rule);
    e.message = verdict.message;
    out.append(e);
}

AlertMonitor::Verdict AlertMonitor::checkErrorSpike(quint32 attempts, quint32 failed, const QString &causes)
{
    const AlertConfig &c = m_config;
    if (attempts == 0)
        return { false, true,
                 QStringLiteral("Error spike over: no attempts in the last ") + seconds(c.windowMs) + u'.' };
    if (attempts < quint32(c.errorSpikeMinAttempts))
        return {};
    const double rate = double(failed) / attempts;
    const bool raised = m_raised[ErrorSpike];
    if (!raised) // the baseline freezes while raised, so a long spike cannot hide itself
        m_baseline = m_baseline < 0 ? rate : m_baseline + c.baselineAlpha * (rate - m_baseline);
    const double baseline = std::max(0.0, m_baseline);
    const QString facts = percent(rate) + QStringLiteral(" of ") + QString::number(attempts)
        + QStringLiteral(" attempts failed in the last ") + seconds(c.windowMs)
        + QStringLiteral(" (baseline ") + percent(baseline) + u')'
        + (causes.isEmpty() ? QString() : QStringLiteral(": ") + causes) + u'.';
    if (!raised && rate > c.errorSpikeMinRate && rate >= c.errorSpikeMultiplier * baseline)
        return { true, false, QStringLiteral("Error spike: ") + facts };
    if (raised && rate <= std::max(c.errorSpikeClearRate, c.errorSpikeClearMultiplier * baseline))
        return { false, true, QStringLiteral("Error spike over: ") + facts };
    return { raised, false, raised ? QStringLiteral("Error spike: ") + facts : QString() };
}

AlertMonitor::Verdict AlertMonitor::checkShare(const ShareRule &r, quint32 attempts, quint32 count,
                                               const QString &detail) const
{
    const bool raised = m_raised[size_t(r.rule)];
    if (attempts == 0)
        return { false, true,
                 r.clearTitle + QStringLiteral("no attempts in the last ") + seconds(m_config.windowMs)
                     + u'.' };
    if (attempts < quint32(r.minAttempts))
        return { raised, false, {} };
    const double rate = double(count) / attempts;
    QString facts = QString::number(count) + QStringLiteral(" of ") + QString::number(attempts)
        + QStringLiteral(" attempts (") + percent(rate) + QStringLiteral(") ") + r.what
        + QStringLiteral(" in the last ") + seconds(m_config.windowMs);
    facts += detail.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + detail + u'.';
    if (!raised && rate > r.raiseRate)
        return { true, false, r.raiseTitle + facts };
    if (raised && rate < r.clearRate)
        return { false, true, r.clearTitle + facts };
    return { raised, false, raised ? r.raiseTitle + facts : QString() };
}

AlertMonitor::Verdict AlertMonitor::checkBreaker() const
{
    const BreakerState state = m_hub.snapshot().gauges.breaker;
    if (state == BreakerState::Open && !m_raised[BreakerOpen])
        return { true, false,
                 QStringLiteral("Circuit breaker open: requests fail fast until the server recovers.") };
    if (state == BreakerState::Closed && m_raised[BreakerOpen])
        return { false, true, QStringLiteral("Circuit breaker closed: requests flow again.") };
    return { m_raised[BreakerOpen], false, {} };
}

AlertMonitor::Verdict AlertMonitor::checkQuota(Rule rule, qint64 nowMs) const
{
    const MetricGauges &g = m_hub.snapshot().gauges;
    const bool requests = rule == QuotaLowRequests;
    const qint64 remaining = requests ? g.requestsRemaining : g.tokensRemaining;
    const qint64 limit = requests ? g.requestLimit : g.tokenLimit;
    const bool raised = m_raised[size_t(rule)];
    const QString unit = requests ? QStringLiteral("requests") : QStringLiteral("tokens");
    if (remaining < 0 || limit <= 0)
        return { raised, false, {} };
    if (raised && (requests ? g.requestsResetPassed(nowMs) : g.tokensResetPassed(nowMs)))
        return { false, true, QStringLiteral("Quota of ") + unit + QStringLiteral(" has reset.") };
    const double fraction = double(remaining) / double(limit);
    const QString facts = QString::number(remaining) + QStringLiteral(" of ") + QString::number(limit) + u' '
        + unit + QStringLiteral(" left (") + percent(fraction) + QStringLiteral(").");
    if (!raised && fraction < m_config.quotaLowFraction)
        return { true, false, QStringLiteral("Quota low: ") + facts };
    if (raised && fraction >= m_config.quotaClearFraction)
        return { false, true, QStringLiteral("Quota recovered: ") + facts };
    return { raised, false, raised ? QStringLiteral("Quota low: ") + facts : QString() };
}

AlertMonitor::Verdict AlertMonitor::checkLatency(double p95, quint64 samples) const
{
    const AlertConfig &c = m_config;
    const bool raised = m_raised[LatencyP95];
    if (samples < quint64(std::max(1, c.latencyMinSamples)))
        return { raised, false, {} };
    const QString facts = QStringLiteral("p95 latency ") + seconds(qint64(p95)) + QStringLiteral(" over ")
        + QString::number(samples) + QStringLiteral(" requests in the last ") + seconds(c.windowMs)
        + QStringLiteral(" (threshold ") + seconds(qint64(c.latencyP95ThresholdMs)) + QStringLiteral(").");
    if (!raised && p95 > c.latencyP95ThresholdMs)
        return { true, false, QStringLiteral("Slow responses: ") + facts };
    if (raised && p95 < c.latencyP95ThresholdMs * c.latencyClearFraction)
        return { false, true, QStringLiteral("Latency back to normal: ") + facts };
    return { raised, false, raised ? QStringLiteral("Slow responses: ") + facts : QString() };
}

} // namespace gp
