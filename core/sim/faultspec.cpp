#include "core/sim/faultspec.h"

#include <QJsonValue>

#include <array>

namespace gp::sim {

namespace {

struct KindName
{
    FaultKind kind;
    const char *name;
};

constexpr std::array<KindName, 17> kKindNames { {
    { FaultKind::Status, "status" },
    { FaultKind::RateLimit, "rate_limit" },
    { FaultKind::Capacity, "capacity" },
    { FaultKind::CreditsExhausted, "credits_exhausted" },
    { FaultKind::TokensExceed, "tokens_exceed" },
    { FaultKind::Latency, "latency" },
    { FaultKind::StallBeforeHeaders, "stall_before_headers" },
    { FaultKind::StallMidStream, "stall_mid_stream" },
    { FaultKind::ResetBeforeHeaders, "reset_before_headers" },
    { FaultKind::ResetAfterHeaders, "reset_after_headers" },
    { FaultKind::CutMidStream, "cut_mid_stream" },
    { FaultKind::TruncatedBody, "truncated_body" },
    { FaultKind::MalformedJson, "malformed_json" },
    { FaultKind::StreamErrorEvent, "stream_error_event" },
    { FaultKind::Unauthorized, "unauthorized" },
    { FaultKind::FreeQuota, "free_quota" },
    { FaultKind::PermissionDenied, "permission_denied" },
} };

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// Reads an optional non-negative integer field; false (with error) when present but invalid.
bool readCount(const QJsonObject &object, const QString &key, int max, int *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined())
        return true;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > max || number != double(int(number)))
        return fail(error,
                    QStringLiteral("fault field \"%1\" must be an integer in 0..%2").arg(key).arg(max));
    *out = int(number);
    return true;
}

bool readHeaders(const QJsonObject &object, FaultSpec *spec, QString *error)
{
    const QJsonValue value = object.value(QLatin1String("headers"));
    if (value.isUndefined())
        return true;
    if (!value.isObject())
        return fail(error, QStringLiteral("fault field \"headers\" must be an object of strings"));
    const QJsonObject headers = value.toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        if (!it.value().isString() || it.key().isEmpty())
            return fail(error, QStringLiteral("fault header \"%1\" must have a string value").arg(it.key()));
        spec->headers.append(
            std::pair<QByteArray, QByteArray> { it.key().toLatin1(), it.value().toString().toLatin1() });
    }
    return true;
}

} // namespace

QString FaultSpec::kindName(FaultKind kind)
{
    for (const KindName &entry : kKindNames) {
        if (entry.kind == kind)
            return QLatin1String(entry.name);
    }
    return QStringLiteral("unknown");
}

QString FaultSpec::name() const
{
    return kindName(kind);
}

std::optional<FaultSpec> FaultSpec::fromJson(const QJsonObject &object, QString *error)
{
    const QString kindText = object.value(QLatin1String("kind")).toString();
    FaultSpec spec;
    bool known = false;
    for (const KindName &entry : kKindNames) {
        if (kindText == QLatin1String(entry.name)) {
            spec.kind = entry.kind;
            known = true;
        }
    }
    if (!known) {
        fail(error, QStringLiteral("fault field \"kind\": unknown kind \"%1\"").arg(kindText));
        return std::nullopt;
    }
    if (spec.kind == FaultKind::CreditsExhausted)
        spec.status = 429;
    if (!readCount(object, QStringLiteral("status"), 599, &spec.status, error)
        || !readCount(object, QStringLiteral("ms"), 600000, &spec.ms, error)
        || !readCount(object, QStringLiteral("after_chunks"), 100000, &spec.afterChunks, error)
        || !readHeaders(object, &spec, error))
        return std::nullopt;
    if (spec.status < 100) {
        fail(error, QStringLiteral("fault field \"status\" must be an HTTP status (100..599)"));
        return std::nullopt;
    }
    if (spec.kind == FaultKind::CreditsExhausted && spec.status != 429 && spec.status != 403) {
        fail(error, QStringLiteral("fault field \"status\" of credits_exhausted must be 429 or 403"));
        return std::nullopt;
    }
    const QJsonValue code = object.value(QLatin1String("code"));
    if (code.isString())
        spec.code = code.toString();
    else if (!code.isUndefined()) {
        fail(error, QStringLiteral("fault field \"code\" must be a string"));
        return std::nullopt;
    }
    const QJsonValue body = object.value(QLatin1String("body"));
    if (body.isString())
        spec.body = body.toString().toUtf8();
    else if (!body.isUndefined()) {
        fail(error, QStringLiteral("fault field \"body\" must be a string"));
        return std::nullopt;
    }
    return spec;
}

} // namespace gp::sim
