#include "ui/consolesettings.h"

#include <QSettings>

namespace gp {

namespace {

QString jitterName(JitterKind kind)
{
    switch (kind) {
    case JitterKind::Full: return QStringLiteral("full");
    case JitterKind::Equal: return QStringLiteral("equal");
    case JitterKind::Decorrelated: return QStringLiteral("decorrelated");
    }
    return QStringLiteral("full");
}

JitterKind jitterFromName(const QString &name)
{
    if (name == u"equal")
        return JitterKind::Equal;
    if (name == u"decorrelated")
        return JitterKind::Decorrelated;
    return JitterKind::Full;
}

// Reads a number, keeping the default when the stored value is missing or not a number.
template<typename T> void readNumber(QSettings &s, const QString &key, T &value)
{
    bool ok = false;
    const QVariant v = s.value(key);
    if (!v.isValid())
        return;
    if constexpr (std::is_floating_point_v<T>) {
        const double d = v.toDouble(&ok);
        if (ok)
            value = T(d);
    } else {
        const qlonglong n = v.toLongLong(&ok);
        if (ok)
            value = T(n);
    }
}

} // namespace

ClientConfig ConsoleSettings::clientConfig() const
{
    ClientConfig config;
    config.baseUrl = endpoint;
    config.defaultModel = defaultModel;
    config.retry = retry;
    config.timeouts = timeouts;
    config.maxInFlight = maxInFlight;
    return config;
}

PacingConfig ConsoleSettings::pacingConfig() const
{
    PacingConfig config;
    config.requestsPerSecond = requestsPerSecond;
    config.requestsPerMinute = requestsPerMinute;
    config.tokensPerMinute = tokensPerMinute;
    config.maxInFlight = maxInFlight;
    config.interactiveReserve = interactiveShare;
    config.retryBudgetRatio = retry.budgetRatio;
    config.retryBudgetMinPerSecond = retry.budgetMinPerSecond;
    config.redisUrl = redisUrl;
    config.redisModel = defaultModel; // the same quota key as batch jobs on that model
    return config;
}

ConsoleSettings ConsoleSettings::load(QSettings &s)
{
    ConsoleSettings c;
    const QUrl url(s.value(QStringLiteral("connection/endpoint"), c.endpoint.toString()).toString());
    if (url.isValid() && !url.scheme().isEmpty())
        c.endpoint = url;
    c.defaultModel = s.value(QStringLiteral("connection/defaultModel"), c.defaultModel).toString();
    c.redisUrl = s.value(QStringLiteral("connection/redisUrl"), c.redisUrl).toString();
    c.rememberStatedLimits = s.value(QStringLiteral("pacing/rememberStatedLimits"), true).toBool();
    c.simulatorScenario = s.value(QStringLiteral("simulator/scenario"), c.simulatorScenario).toString();
    readNumber(s, QStringLiteral("simulator/demoRate"), c.demoRatePerSecond);
    c.useResponsesApi
        = s.value(QStringLiteral("prompt/api"), QStringLiteral("responses")).toString() != u"chat";
    readNumber(s, QStringLiteral("eventlog/windowMs"), c.eventLogWindowMs);
    c.retry.jitter = jitterFromName(s.value(QStringLiteral("retry/jitter")).toString());
    readNumber(s, QStringLiteral("retry/baseMs"), c.retry.baseMs);
    readNumber(s, QStringLiteral("retry/capMs"), c.retry.capMs);
    readNumber(s, QStringLiteral("retry/maxAttempts"), c.retry.maxAttempts);
    readNumber(s, QStringLiteral("retry/hintCeilingMs"), c.retry.hintCeilingMs);
    readNumber(s, QStringLiteral("retry/budgetRatio"), c.retry.budgetRatio);
    readNumber(s, QStringLiteral("limits/requestsPerSecond"), c.requestsPerSecond);
    readNumber(s, QStringLiteral("limits/requestsPerMinute"), c.requestsPerMinute);
    readNumber(s, QStringLiteral("limits/tokensPerMinute"), c.tokensPerMinute);
    readNumber(s, QStringLiteral("limits/maxInFlight"), c.maxInFlight);
    readNumber(s, QStringLiteral("limits/interactiveShare"), c.interactiveShare);
    readNumber(s, QStringLiteral("timeouts/firstByteMs"), c.timeouts.firstByteMs);
    readNumber(s, QStringLiteral("timeouts/idleMs"), c.timeouts.idleMs);
    readNumber(s, QStringLiteral("timeouts/attemptMs"), c.timeouts.attemptMs);
    readNumber(s, QStringLiteral("timeouts/deadlineMs"), c.timeouts.defaultDeadlineMs);
    readNumber(s, QStringLiteral("alerts/errorSpikeMultiplier"), c.alerts.errorSpikeMultiplier);
    readNumber(s, QStringLiteral("alerts/sustained429Rate"), c.alerts.sustained429Rate);
    readNumber(s, QStringLiteral("alerts/sustained429MinAttempts"), c.alerts.sustained429MinAttempts);
    readNumber(s, QStringLiteral("alerts/quotaLowFraction"), c.alerts.quotaLowFraction);
    readNumber(s, QStringLiteral("alerts/latencyP95ThresholdMs"), c.alerts.latencyP95ThresholdMs);
    c.maxInFlight = std::max(1, c.maxInFlight);
    c.retry.maxAttempts = std::max(1, c.retry.maxAttempts);
    return c;
}

void ConsoleSettings::save(QSettings &s) const
{
    s.setValue(QStringLiteral("connection/endpoint"), endpoint.toString());
    s.setValue(QStringLiteral("connection/defaultModel"), defaultModel);
    s.setValue(QStringLiteral("connection/redisUrl"), redisUrl);
    s.setValue(QStringLiteral("pacing/rememberStatedLimits"), rememberStatedLimits);
    s.setValue(QStringLiteral("simulator/scenario"), simulatorScenario);
    s.setValue(QStringLiteral("simulator/demoRate"), demoRatePerSecond);
    s.setValue(QStringLiteral("prompt/api"),
               useResponsesApi ? QStringLiteral("responses") : QStringLiteral("chat"));
    s.setValue(QStringLiteral("eventlog/windowMs"), eventLogWindowMs);
    s.setValue(QStringLiteral("retry/jitter"), jitterName(retry.jitter));
    s.setValue(QStringLiteral("retry/baseMs"), retry.baseMs);
    s.setValue(QStringLiteral("retry/capMs"), retry.capMs);
    s.setValue(QStringLiteral("retry/maxAttempts"), retry.maxAttempts);
    s.setValue(QStringLiteral("retry/hintCeilingMs"), retry.hintCeilingMs);
    s.setValue(QStringLiteral("retry/budgetRatio"), retry.budgetRatio);
    s.setValue(QStringLiteral("limits/requestsPerSecond"), requestsPerSecond);
    s.setValue(QStringLiteral("limits/requestsPerMinute"), requestsPerMinute);
    s.setValue(QStringLiteral("limits/tokensPerMinute"), tokensPerMinute);
    s.setValue(QStringLiteral("limits/maxInFlight"), maxInFlight);
    s.setValue(QStringLiteral("limits/interactiveShare"), interactiveShare);
    s.setValue(QStringLiteral("timeouts/firstByteMs"), timeouts.firstByteMs);
    s.setValue(QStringLiteral("timeouts/idleMs"), timeouts.idleMs);
    s.setValue(QStringLiteral("timeouts/attemptMs"), timeouts.attemptMs);
    s.setValue(QStringLiteral("timeouts/deadlineMs"), timeouts.defaultDeadlineMs);
    s.setValue(QStringLiteral("alerts/errorSpikeMultiplier"), alerts.errorSpikeMultiplier);
    s.setValue(QStringLiteral("alerts/sustained429Rate"), alerts.sustained429Rate);
    s.setValue(QStringLiteral("alerts/sustained429MinAttempts"), alerts.sustained429MinAttempts);
    s.setValue(QStringLiteral("alerts/quotaLowFraction"), alerts.quotaLowFraction);
    s.setValue(QStringLiteral("alerts/latencyP95ThresholdMs"), alerts.latencyP95ThresholdMs);
}

bool ConsoleSettings::operator==(const ConsoleSettings &o) const
{
    const auto retryTuple = [](const RetryConfig &r) {
        return std::tuple(r.jitter, r.baseMs, r.capMs, r.maxAttempts, r.hintCeilingMs, r.budgetRatio);
    };
    const auto timeoutTuple = [](const TimeoutConfig &t) {
        return std::tuple(t.firstByteMs, t.idleMs, t.attemptMs, t.defaultDeadlineMs);
    };
    const auto alertTuple = [](const AlertConfig &a) {
        return std::tuple(a.errorSpikeMultiplier, a.sustained429Rate, a.sustained429MinAttempts,
                          a.quotaLowFraction, a.latencyP95ThresholdMs);
    };
    return endpoint == o.endpoint && defaultModel == o.defaultModel && redisUrl == o.redisUrl
        && simulatorScenario == o.simulatorScenario && demoRatePerSecond == o.demoRatePerSecond
        && useResponsesApi == o.useResponsesApi && eventLogWindowMs == o.eventLogWindowMs
        && retryTuple(retry) == retryTuple(o.retry) && timeoutTuple(timeouts) == timeoutTuple(o.timeouts)
        && alertTuple(alerts) == alertTuple(o.alerts) && requestsPerSecond == o.requestsPerSecond
        && requestsPerMinute == o.requestsPerMinute && tokensPerMinute == o.tokensPerMinute
        && maxInFlight == o.maxInFlight && interactiveShare == o.interactiveShare
        && rememberStatedLimits == o.rememberStatedLimits;
}

} // namespace gp
