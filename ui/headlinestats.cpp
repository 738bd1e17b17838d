#include "ui/headlinestats.h"

#include "core/events/limitsource.h"
#include "core/events/steadyclock.h"
#include "core/pacing/scheduler.h"
#include "core/telemetry/telemetry.h"
#include "ui/consolesession.h"

#include <QDateTime>

namespace gp {

std::optional<double> HeadlineStats::errorRate() const
{
    if (attempts == 0)
        return std::nullopt;
    return double(failedAttempts) / attempts;
}

std::optional<double> HeadlineStats::retryRate() const
{
    if (attempts == 0)
        return std::nullopt;
    return double(retries) / attempts;
}

namespace {

std::optional<qint64> known(qint64 gauge)
{
    return gauge >= 0 ? std::optional<qint64>(gauge) : std::nullopt;
}

qint64 localMidnightMs(qint64 nowMs)
{
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs);
    return QDateTime(now.date(), QTime(0, 0)).toMSecsSinceEpoch();
}

// What the server's quota headers said, as of nowMs.
void readQuota(const MetricGauges &g, qint64 nowMs, HeadlineStats *s)
{
    s->requestsLeft = known(g.requestsLeftAt(nowMs));
    s->requestLimit = known(g.requestLimit);
    s->tokensLeft = known(g.tokensLeftAt(nowMs));
    s->tokenLimit = known(g.tokenLimit);
    s->requestsRefilled = g.requestsResetPassed(nowMs);
    s->tokensRefilled = g.tokensResetPassed(nowMs);
    if (g.quotaResetAtMs > nowMs)
        s->resetInMs = g.quotaResetAtMs - nowMs;
    else if (g.quotaResetAtMs >= 0)
        s->resetAgoMs = nowMs - g.quotaResetAtMs;
}

} // namespace

HeadlineStats HeadlineStats::compute(const ConsoleSession &session, qint64 nowMs, const MetricsHub *traffic)
{
    HeadlineStats s;
    const Telemetry *telemetry = session.telemetry();
    if (!telemetry)
        return s;
    const MetricsHub &hub = telemetry->hub();
    const MetricGauges &g = hub.snapshot().gauges;
    readQuota(g, nowMs, &s);
    s.breaker = int(g.breaker);
    s.inFlight = g.inFlight;
    s.queued = g.queueDepth();
    s.queuedByPriority = { g.queued[0], g.queued[1], g.queued[2] };
    if (const Scheduler *scheduler = session.scheduler()) {
        const PacingState p = scheduler->state();
        s.inFlight = p.inFlight; // live, not the last throttled gauge
        s.maxInFlight = p.maxInFlight;
        s.queued = p.queued[0] + p.queued[1] + p.queued[2];
        s.queuedByPriority = { p.queued[0], p.queued[1], p.queued[2] };
        s.learnedRps = p.learnedRps;
        s.pacedRps = p.limitRequestsPerSecond;
        s.pacedTpm = p.limitTokensPerMinute;
        s.pacedModel = p.limitModel;
        if (p.limitSource != LimitSource::None)
            // The pacer's own word is the strongest; "remembered, 2 h ago" for a stated limit of an
            // earlier run.
            s.limitSource = limitSourceBrief(p.limitSource, p.limitRememberedAgoMs);
        if (!s.requestLimit && p.requestLimit)
            s.requestLimit = p.requestLimit;
        if (!s.tokenLimit && p.tokenLimit)
            s.tokenLimit = p.tokenLimit;
        if (!s.resetInMs && p.nextResetMs) {
            const qint64 steady = SteadyClock::nowMs();
            if (*p.nextResetMs > steady)
                s.resetInMs = *p.nextResetMs - steady;
        }
    }
    if (s.requestsLeft || s.tokensLeft)
        s.limitSource = limitSourceName(LimitSource::Headers);

    const MetricsHub &counted = traffic ? *traffic : hub;
    s.spendSessionUsd = counted.snapshot().costUsd;
    s.spendTodayUsd = counted.window(Resolution::Minute, localMidnightMs(nowMs), nowMs).costUsd;
    const MetricBucket w = counted.window(Resolution::Second, nowMs - kWindowMs + 1, nowMs);
    s.attempts = w.attempts;
    s.failedAttempts = w.failedAttempts;
    s.retries = w.retryTotal();
    if (w.latency.count() > 0) {
        s.p50Ms = w.latency.quantile(0.5);
        s.p95Ms = w.latency.quantile(0.95);
    }
    s.successes = w.successes;
    s.tokens = w.promptTokens + w.completionTokens + w.reasoningTokens;
    return s;
}

// Ahead: when the quota comes back. Passed with nothing newer announced: it has come back since
// (the next reply says when the next reset is). Neither: the server announces none. The tile's
// words stay short enough for a tile at 1024 px; the status bar says the whole sentence.
HeadlineStats::ResetWords HeadlineStats::resetWords() const
{
    if (resetInMs) {
        const QString in = QObject::tr("in %1").arg(briefly(double(*resetInMs)));
        return { in, QObject::tr("then it refills"), QObject::tr("Quota resets %1").arg(in), true };
    }
    if (resetAgoMs) {
        const QString ago = QObject::tr("%1 ago").arg(briefly(double(*resetAgoMs)));
        return { QObject::tr("done"), ago, QObject::tr("Quota reset %1, next not announced yet").arg(ago),
                 true };
    }
    return { QStringLiteral("—"), QObject::tr("none announced"), QObject::tr("No quota reset announced"),
             false };
}

QString HeadlineStats::briefly(double ms)
{
    if (ms < 10'000.0)
        return QString::number(ms / 1000.0, 'f', 1) + QStringLiteral(" s");
    if (ms < 100'000.0)
        return QString::number(qRound64(ms / 1000.0)) + QStringLiteral(" s");
    if (ms < 2 * 3'600'000.0)
        return QString::number(qRound64(ms / 60'000.0)) + QStringLiteral(" min");
    return QString::number(qRound64(ms / 3'600'000.0)) + QStringLiteral(" h");
}

QString HeadlineStats::seconds(double ms)
{
    if (ms < 1000.0)
        return QString::number(qRound(ms)) + QStringLiteral(" ms");
    if (ms < 100'000.0)
        return QString::number(ms / 1000.0, 'f', ms < 10'000.0 ? 1 : 0) + QStringLiteral(" s");
    const qint64 s = qRound64(ms / 1000.0);
    return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
}

QString HeadlineStats::dollars(double usd)
{
    if (usd == 0.0)
        return QStringLiteral("$0");
    return u'$' + QString::number(usd, 'f', usd < 0.01 ? 4 : (usd < 10.0 ? 3 : 2));
}

QString HeadlineStats::percent(double fraction)
{
    const double p = fraction * 100.0;
    return QString::number(p, 'f', p < 10.0 ? 1 : 0) + u'%';
}

QString HeadlineStats::count(qint64 n)
{
    if (n < 10'000)
        return QString::number(n);
    if (n < 1'000'000)
        return QString::number(double(n) / 1000.0, 'f', n < 100'000 ? 1 : 0) + u'k';
    // Three significant digits at most, so "50.0M / 50.0M" fits a tile at 1024 px.
    return QString::number(double(n) / 1e6, 'f', n < 10'000'000 ? 2 : n < 100'000'000 ? 1 : 0) + u'M';
}

} // namespace gp
