#include "core/sim/scenario.h"

#include "core/sim/fieldreader.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace gp::sim {

namespace {

bool readLimits(const QJsonObject &object, const QString &path, ModelLimits *limits, QString *error)
{
    FieldReader r(object, path, error);
    if (!r.allowOnly({ QStringLiteral("requests_per_second"), QStringLiteral("requests_per_minute"),
                       QStringLiteral("burst"), QStringLiteral("tokens_per_minute") }))
        return false;
    double rps = 0;
    double rpm = 0;
    if (!r.number(QStringLiteral("requests_per_second"), 0, 1e6, &rps)
        || !r.number(QStringLiteral("requests_per_minute"), 0, 1e8, &rpm)
        || !r.integer(QStringLiteral("burst"), 0, 1e6, &limits->burst)
        || !r.integer(QStringLiteral("tokens_per_minute"), 0, 1e12, &limits->tokensPerMinute))
        return false;
    if (rps > 0 && rpm > 0)
        return r.fail(QStringLiteral("requests_per_minute"),
                      QStringLiteral("cannot be set with requests_per_second"));
    limits->requests = rps > 0 ? rps : rpm;
    limits->windowMs = rps > 0 ? 1000 : 60000;
    return true;
}

bool readLatency(const QJsonObject &object, const QString &path, LatencySpec *latency, QString *error)
{
    FieldReader r(object, path, error);
    int distribution = 0;
    int rejections = 0;
    double p99 = 0;
    if (!r.allowOnly({ QStringLiteral("distribution"), QStringLiteral("ms"), QStringLiteral("min_ms"),
                       QStringLiteral("max_ms"), QStringLiteral("median_ms"), QStringLiteral("sigma"),
                       QStringLiteral("p99_ms"), QStringLiteral("rejections"),
                       QStringLiteral("rejection_min_ms"), QStringLiteral("rejection_max_ms") })
        || !r.choice(QStringLiteral("distribution"),
                     { QStringLiteral("fixed"), QStringLiteral("uniform"), QStringLiteral("lognormal") },
                     &distribution)
        || !r.number(QStringLiteral("ms"), 0, 600000, &latency->ms)
        || !r.number(QStringLiteral("min_ms"), 0, 600000, &latency->minMs)
        || !r.number(QStringLiteral("max_ms"), 0, 600000, &latency->maxMs)
        || !r.number(QStringLiteral("median_ms"), 0, 600000, &latency->medianMs)
        || !r.number(QStringLiteral("sigma"), 0, 5, &latency->sigma)
        || !r.number(QStringLiteral("p99_ms"), 0, 600000, &p99)
        || !r.choice(QStringLiteral("rejections"),
                     { QStringLiteral("after_latency"), QStringLiteral("at_admission") }, &rejections)
        || !r.number(QStringLiteral("rejection_min_ms"), 0, 600000, &latency->rejectionMinMs)
        || !r.number(QStringLiteral("rejection_max_ms"), 0, 600000, &latency->rejectionMaxMs))
        return false;
    latency->distribution = LatencySpec::Distribution(distribution);
    latency->rejections = LatencySpec::Rejections(rejections);
    if (latency->rejectionMaxMs < latency->rejectionMinMs)
        return r.fail(QStringLiteral("rejection_max_ms"),
                      QStringLiteral("must not be below rejection_min_ms"));
    if (p99 > 0) {
        if (object.contains(QLatin1String("sigma")))
            return r.fail(QStringLiteral("p99_ms"), QStringLiteral("cannot be set with sigma"));
        if (latency->distribution != LatencySpec::Distribution::LogNormal || p99 < latency->medianMs)
            return r.fail(QStringLiteral("p99_ms"),
                          QStringLiteral("needs the lognormal distribution and must not be below median_ms"));
        // The 99th percentile of a lognormal is median * exp(2.3263 * sigma).
        latency->sigma = latency->medianMs > 0 ? std::log(p99 / latency->medianMs) / 2.326348 : 0.0;
    }
    if (latency->distribution != LatencySpec::Distribution::Fixed && latency->maxMs < latency->minMs)
        return r.fail(QStringLiteral("max_ms"), QStringLiteral("must not be below min_ms"));
    return true;
}

bool readFaultRule(const QJsonObject &object, const QString &path, bool outage, FaultRule *rule,
                   QString *error)
{
    FieldReader r(object, path, error);
    QJsonObject faultObject = object;
    faultObject.remove(QStringLiteral("probability"));
    faultObject.remove(QStringLiteral("start_s"));
    faultObject.remove(QStringLiteral("duration_s"));
    if (outage) {
        faultObject.insert(QStringLiteral("kind"), QStringLiteral("status"));
        if (!faultObject.contains(QStringLiteral("status")))
            faultObject.insert(QStringLiteral("status"), 503);
    }
    QString faultError;
    const std::optional<FaultSpec> fault = FaultSpec::fromJson(faultObject, &faultError);
    if (!fault)
        return r.fail(QString(), faultError);
    rule->fault = *fault;
    double start = -1;
    if (!r.number(QStringLiteral("probability"), 0, 1, &rule->probability)
        || !r.number(QStringLiteral("start_s"), 0, 1e7, &start)
        || !r.number(QStringLiteral("duration_s"), 0, 1e7, &rule->durationS))
        return false;
    if (start >= 0)
        rule->startS = start;
    if (outage && !rule->startS)
        return r.fail(QStringLiteral("start_s"), QStringLiteral("is required for an outage"));
    return true;
}

bool readFaults(const QJsonArray &array, const QString &path, bool outage, Scenario *scenario, QString *error)
{
    double probabilitySum = 0;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemPath = QStringLiteral("%1[%2]").arg(path).arg(i);
        if (!array.at(i).isObject()) {
            if (error)
                *error = QStringLiteral("scenario field \"%1\" must be an object").arg(itemPath);
            return false;
        }
        FaultRule rule;
        if (!readFaultRule(array.at(i).toObject(), itemPath, outage, &rule, error))
            return false;
        if (!rule.isWindowed())
            probabilitySum += rule.probability;
        scenario->faults.append(rule);
    }
    if (probabilitySum > 1.0 + 1e-9) {
        if (error)
            *error = QStringLiteral("scenario field \"%1\": probabilities add up to %2, more than 1")
                         .arg(path)
                         .arg(probabilitySum);
        return false;
    }
    return true;
}

bool readCompletion(const QJsonObject &object, Scenario *scenario, QString *error)
{
    FieldReader r(object, QStringLiteral("completion"), error);
    return r.allowOnly({ QStringLiteral("words"), QStringLiteral("chunk_interval_ms"),
                         QStringLiteral("words_per_chunk"), QStringLiteral("tokens_per_second") })
        && r.integer(QStringLiteral("words"), 0, 100000, &scenario->completionWords)
        && r.integer(QStringLiteral("chunk_interval_ms"), 0, 60000, &scenario->chunkIntervalMs)
        && r.integer(QStringLiteral("words_per_chunk"), 1, 10000, &scenario->wordsPerChunk)
        && r.number(QStringLiteral("tokens_per_second"), 0, 1e6, &scenario->tokensPerSecond);
}

// The per-model limits, each an object read like the scenario's own limits.
bool readModelLimits(const QJsonObject &modelLimits, FieldReader &r, Scenario *s, QString *error)
{
    for (auto it = modelLimits.begin(); it != modelLimits.end(); ++it) {
        const QString path = QStringLiteral("model_limits.") + it.key();
        if (!it.value().isObject()) {
            r.fail(path, QStringLiteral("must be an object"));
            return false;
        }
        ModelLimits perModel;
        if (!readLimits(it.value().toObject(), path, &perModel, error))
            return false;
        s->modelLimits.insert(it.key(), perModel);
    }
    return true;
}

// Quota headers and Retry-After off unless the scenario names them.
void defaultToNoQuotaHeaders(const QJsonObject &object, QString *headers, int *retryAfter)
{
    if (!object.contains(QLatin1String("headers")))
        *headers = QStringLiteral("none");
    if (!object.contains(QLatin1String("retry_after")))
        *retryAfter = 0;
}

} // namespace

std::optional<HeaderStyle> Scenario::headerStyleFromName(const QString &name)
{
    if (name == u"none")
        return HeaderStyle::None;
    if (name == u"openai")
        return HeaderStyle::OpenAI;
    if (name == u"ietf")
        return HeaderStyle::Ietf;
    if (name == u"xratelimit")
        return HeaderStyle::XRateLimit;
    if (name == u"ietf_legacy")
        return HeaderStyle::IetfLegacy;
    return std::nullopt;
}

QString Scenario::headerStyleName(HeaderStyle style)
{
    switch (style) {
    case HeaderStyle::None: return QStringLiteral("none");
    case HeaderStyle::OpenAI: return QStringLiteral("openai");
    case HeaderStyle::Ietf: return QStringLiteral("ietf");
    case HeaderStyle::XRateLimit: return QStringLiteral("xratelimit");
    case HeaderStyle::IetfLegacy: return QStringLiteral("ietf_legacy");
    }
    return QString();
}

int LatencySpec::sampleMs(double u1, double u2) const
{
    switch (distribution) {
    case Distribution::Fixed: return int(ms);
    case Distribution::Uniform: return int(minMs + (maxMs - minMs) * u1);
    case Distribution::LogNormal: {
        const double z = std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * M_PI * u2); // Box-Muller
        const double drawn = medianMs * std::exp(sigma * z);
        return int(std::clamp(drawn, minMs, maxMs > 0 ? maxMs : 600000.0));
    }
    }
    return 0;
}

int LatencySpec::rejectionMs(double u1, double u2) const
{
    if (rejections == Rejections::AfterLatency)
        return sampleMs(u1, u2);
    return int(rejectionMinMs + (rejectionMaxMs - rejectionMinMs) * u1);
}

QString Scenario::wordingName(Wording wording)
{
    switch (wording) {
    case Wording::Xai: return QStringLiteral("xai");
    case Wording::Classic: return QStringLiteral("classic");
    case Wording::Capacity: return QStringLiteral("capacity");
    }
    return QString();
}

namespace {

bool readHeaderStyle(const QJsonObject &object, FieldReader &r, QString headers, int retryAfter, Scenario *s)
{
    // api.x.ai documents no quota headers and sends no Retry-After: in its wordings both
    // are off unless the scenario asks for them.
    if (s->wording != Wording::Classic)
        defaultToNoQuotaHeaders(object, &headers, &retryAfter);
    const std::optional<HeaderStyle> style = Scenario::headerStyleFromName(headers);
    if (!style)
        return r.fail(QStringLiteral("headers"),
                      QStringLiteral("must be one of openai, ietf, ietf_legacy, xratelimit, none, not \"%1\"")
                          .arg(headers));
    s->headerStyle = *style;
    s->retryAfter = RetryAfterStyle(retryAfter);
    return true;
}

} // namespace

std::optional<Scenario> Scenario::fromJson(const QJsonObject &object, QString *error)
{
    Scenario s;
    FieldReader r(object, QString(), error);
    QString headers = QStringLiteral("openai");
    int retryAfter = 1;
    int wording = 1;
    int draws = 0;
    QJsonObject limits, modelLimits, completion, latency;
    QJsonArray faults, outages;
    if (!r.allowOnly({ QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("headers"),
                       QStringLiteral("retry_after"), QStringLiteral("retry_after_ms"),
                       QStringLiteral("limits"), QStringLiteral("model_limits"), QStringLiteral("completion"),
                       QStringLiteral("latency"), QStringLiteral("faults"), QStringLiteral("outages"),
                       QStringLiteral("wrong_key_status"), QStringLiteral("wording"),
                       QStringLiteral("deferred"), QStringLiteral("batch"), QStringLiteral("draws") })
        || !r.string(QStringLiteral("name"), &s.name)
        || !r.string(QStringLiteral("description"), &s.description)
        || !r.choice(QStringLiteral("wording"),
                     { QStringLiteral("xai"), QStringLiteral("classic"), QStringLiteral("capacity") },
                     &wording)
        || !r.choice(QStringLiteral("draws"), { QStringLiteral("arrival"), QStringLiteral("per_request") },
                     &draws)
        || !r.string(QStringLiteral("headers"), &headers)
        || !r.choice(QStringLiteral("retry_after"),
                     { QStringLiteral("none"), QStringLiteral("seconds"), QStringLiteral("http_date") },
                     &retryAfter)
        || !r.boolean(QStringLiteral("retry_after_ms"), &s.retryAfterMs)
        || !r.integer(QStringLiteral("wrong_key_status"), 400, 401, &s.wrongKeyStatus)
        || !r.object(QStringLiteral("limits"), &limits)
        || !r.object(QStringLiteral("model_limits"), &modelLimits)
        || !r.object(QStringLiteral("completion"), &completion)
        || !r.object(QStringLiteral("latency"), &latency) || !r.array(QStringLiteral("faults"), &faults)
        || !r.array(QStringLiteral("outages"), &outages))
        return std::nullopt;
    s.wording = Wording(wording);
    s.draws = DrawKeying(draws);
    if (!readHeaderStyle(object, r, headers, retryAfter, &s)
        || !readLimits(limits, QStringLiteral("limits"), &s.limits, error)
        || !readCompletion(completion, &s, error)
        || !readLatency(latency, QStringLiteral("latency"), &s.latency, error)
        || !readFaults(faults, QStringLiteral("faults"), false, &s, error)
        || !readFaults(outages, QStringLiteral("outages"), true, &s, error))
        return std::nullopt;
    if (std::optional<AsyncConfig> async = AsyncConfig::fromScenario(object, error))
        s.async = *async;
    else
        return std::nullopt;
    if (!readModelLimits(modelLimits, r, &s, error))
        return std::nullopt;
    return s;
}

} // namespace gp::sim
