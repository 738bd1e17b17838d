#include "core/sim/simwordings.h"

#include "core/sim/simerrors.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace gp::sim {

namespace {

const QString kResourceExhausted = QStringLiteral("resource-exhausted");
const QString kCapacityText
    = QStringLiteral("The service is temporarily at capacity. Please retry your request shortly.");

QString team()
{
    return QString::fromLatin1(SimWordings::kTeamId);
}

// "Too many tokens for team T and model M. Your team's rate limit is — Tokens per Minute
// (actual/limit): A/L. You can view your team rate limits at https://console.x.ai."
QString xaiTokens(const QString &model, qint64 actual, qint64 limit)
{
    return QStringLiteral("Too many tokens for team %1 and model %2. Your team's rate limit is \u2014 "
                          "Tokens per Minute (actual/limit): %3/%4. You can view your team rate limits "
                          "at https://console.x.ai.")
        .arg(team(), model)
        .arg(actual)
        .arg(limit);
}

} // namespace

QString SimWordings::formatLimit(double value)
{
    if (value == std::floor(value) && std::abs(value) < 1e15)
        return QString::number(qint64(value));
    return QString::number(value, 'g', 6);
}

SimResponse SimWordings::coded(int status, const QString &code, const QString &message)
{
    SimResponse r;
    r.status = status;
    r.headers.append(SimHeader { "Content-Type", "application/json" });
    r.body = QJsonDocument(
                 QJsonObject { { QStringLiteral("code"), code }, { QStringLiteral("error"), message } })
                 .toJson(QJsonDocument::Compact);
    return r;
}

SimResponse SimWordings::requestsLimited(Wording wording, const QString &model, const ModelLimits &limits,
                                         const RequestCounts &counts, bool withTier)
{
    if (wording == Wording::Capacity)
        return capacity(wording, model);
    const bool perSecond = limits.windowMs < 60000;
    if (wording == Wording::Classic)
        return SimErrors::flat(
            429,
            QStringLiteral("Team sim-team has exceeded the requests limit for model %1 (%2 "
                           "requests per %3). Please slow down.")
                .arg(model)
                .arg(limits.requests)
                .arg(perSecond ? u"second" : u"minute"));
    // A per-second limit is stated with the per-minute budget it derives from (RPS x 60),
    // as xAI does; a per-minute limit alone.
    QString pairs;
    if (perSecond)
        pairs = QStringLiteral("Requests per Second (actual/limit): %1/%2, Requests per Minute "
                               "(actual/limit): %3/%4.")
                    .arg(counts.lastSecond)
                    .arg(formatLimit(limits.requests))
                    .arg(counts.lastMinute)
                    .arg(formatLimit(limits.requests * 60.0));
    else
        pairs = QStringLiteral("Requests per Minute (actual/limit): %1/%2.")
                    .arg(counts.lastMinute)
                    .arg(formatLimit(limits.requests));
    QString message = QStringLiteral("Too many requests for team %1 and model %2. Your team's rate limit is "
                                     "\u2014 %3")
                          .arg(team(), model, pairs);
    if (withTier)
        message += u' ' + QLatin1String(kTierSentence);
    return coded(429, kResourceExhausted, message);
}

SimResponse SimWordings::tokensLimited(Wording wording, const QString &model, qint64 actual, qint64 limit)
{
    switch (wording) {
    case Wording::Capacity: return capacity(wording, model);
    case Wording::Classic:
        return SimErrors::flat(
            429,
            QStringLiteral("Team sim-team has exceeded the tokens per minute limit for model "
                           "%1. Tokens per Minute (actual/limit): %2/%3. Please slow down.")
                .arg(model)
                .arg(actual)
                .arg(limit));
    case Wording::Xai: break;
    }
    return coded(429, kResourceExhausted, xaiTokens(model, actual, limit));
}

SimResponse SimWordings::tokensTooLarge(Wording wording, const QString &model, qint64 actual, qint64 limit)
{
    // Capacity wording too: a request that can never fit is still stated in tokens.
    if (wording != Wording::Classic)
        return coded(429, kResourceExhausted, xaiTokens(model, actual, limit));
    return SimErrors::flat(
        429,
        QStringLiteral("This request is too large for model %1: its tokens exceed the limit. "
                       "Tokens per Minute (actual/limit): %2/%3. Reduce the prompt or "
                       "max_completion_tokens.")
            .arg(model)
            .arg(actual)
            .arg(limit));
}

SimResponse SimWordings::capacity(Wording wording, const QString &model)
{
    if (wording == Wording::Classic)
        return SimErrors::flat(
            429, QStringLiteral("The model %1 is currently at capacity. Please try again later.").arg(model));
    return coded(429, SimErrors::grpcText(429), kCapacityText);
}

SimResponse SimWordings::credits(Wording wording, int status)
{
    const QString team = wording == Wording::Classic ? QStringLiteral("sim-team") : gp::sim::team();
    const QString message
        = QStringLiteral("Your team %1 has either used all available credits or reached its "
                         "monthly spending limit. To continue making API requests, please "
                         "purchase more credits or raise your spending limit.")
              .arg(team);
    if (wording == Wording::Classic)
        return SimErrors::flat(status, message);
    // Seen from api.x.ai: 403 "permission-denied", and 429 with the older gRPC text.
    return coded(status, status == 403 ? QStringLiteral("permission-denied") : SimErrors::grpcText(429),
                 message);
}

SimResponse SimWordings::freeQuota()
{
    return coded(429, kResourceExhausted, QStringLiteral("Free usage quota exceeded. Purchase credits"));
}

SimResponse SimWordings::permissionDenied()
{
    return coded(403, QStringLiteral("permission-denied"),
                 QStringLiteral("Access to the chat endpoint is denied."));
}

SimResponse SimWordings::noRoute(Wording wording, const QByteArray &path)
{
    if (wording == Wording::Classic)
        return SimErrors::flat(404,
                               QStringLiteral("No such path: %1").arg(QString::fromLatin1(path.left(100))));
    return coded(404, SimErrors::grpcText(404),
                 QStringLiteral("No handler found on route. Please double check your URL and consult "
                                "https://api.x.ai/docs for more information."));
}

} // namespace gp::sim
