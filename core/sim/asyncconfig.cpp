#include "core/sim/asyncconfig.h"

#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gp::sim {

namespace {

bool fail(QString *error, const QString &field, const QString &what)
{
    if (error)
        *error = u"scenario field \"%1\" %2"_s.arg(field, what);
    return false;
}

bool readNumber(const QJsonObject &object, const QString &prefix, QLatin1StringView key, double min,
                double max, double *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() < min
        || value.toDouble() > max)
        return fail(error, prefix + key, u"must be a number from %1 to %2"_s.arg(min).arg(max));
    *out = value.toDouble();
    return true;
}

bool readBool(const QJsonObject &object, const QString &prefix, QLatin1StringView key, bool *out,
              QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isBool())
        return fail(error, prefix + key, u"must be true or false"_s);
    *out = value.toBool();
    return true;
}

bool allowOnly(const QJsonObject &object, const QString &prefix, const QStringList &keys, QString *error)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!keys.contains(it.key()))
            return fail(error, prefix + it.key(), u"is not a known field (%1)"_s.arg(keys.join(u", ")));
    }
    return true;
}

} // namespace

std::optional<AsyncConfig> AsyncConfig::fromScenario(const QJsonObject &scenario, QString *error)
{
    AsyncConfig c;
    for (const auto key : { "deferred"_L1, "batch"_L1 }) {
        if (scenario.contains(key) && !scenario.value(key).isObject()) {
            fail(error, key, u"must be an object"_s);
            return std::nullopt;
        }
    }
    const QJsonObject deferred = scenario.value("deferred"_L1).toObject();
    const QJsonObject batch = scenario.value("batch"_L1).toObject();
    double readyMs = c.deferredReadyMs, expiryS = double(c.deferredExpiryS),
           completionMs = c.batchCompletionMs;
    double createMs = c.batchCreateIntervalMs, addCalls = c.batchAddCallsPer30s;
    QJsonValue message = batch.value("error_message"_L1);
    const bool ok = allowOnly(deferred, u"deferred."_s, { u"ready_ms"_s, u"expiry_s"_s }, error)
        && allowOnly(batch, u"batch."_s,
                     { u"completion_ms"_s, u"error_rate"_s, u"error_message"_s, u"price_factor"_s,
                       u"create_interval_ms"_s, u"add_calls_per_30s"_s, u"repeat_results_page"_s,
                       u"unknown_result"_s },
                     error)
        && readNumber(deferred, u"deferred."_s, "ready_ms"_L1, 0, 86'400'000, &readyMs, error)
        && readNumber(deferred, u"deferred."_s, "expiry_s"_L1, 0, 86'400 * 7, &expiryS, error)
        && readNumber(batch, u"batch."_s, "completion_ms"_L1, 0, 86'400'000, &completionMs, error)
        && readNumber(batch, u"batch."_s, "error_rate"_L1, 0, 1, &c.batchErrorRate, error)
        && readNumber(batch, u"batch."_s, "price_factor"_L1, 0, 1, &c.batchPriceFactor, error)
        && readNumber(batch, u"batch."_s, "create_interval_ms"_L1, 0, 60'000, &createMs, error)
        && readNumber(batch, u"batch."_s, "add_calls_per_30s"_L1, 1, 1'000'000, &addCalls, error)
        && readBool(batch, u"batch."_s, "repeat_results_page"_L1, &c.batchRepeatPage, error)
        && readBool(batch, u"batch."_s, "unknown_result"_L1, &c.batchUnknownResult, error)
        && (message.isUndefined() || message.isString()
            || fail(error, u"batch.error_message"_s, u"must be a string"_s));
    if (!ok)
        return std::nullopt;
    if (message.isString())
        c.batchErrorMessage = message.toString();
    c.deferredReadyMs = int(readyMs);
    c.deferredExpiryS = qint64(expiryS);
    c.batchCompletionMs = int(completionMs);
    c.batchCreateIntervalMs = int(createMs);
    c.batchAddCallsPer30s = int(addCalls);
    return c;
}

} // namespace gp::sim
