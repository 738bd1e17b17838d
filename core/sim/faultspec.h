#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace gp::sim {

enum class FaultKind {
    Status,
    RateLimit,
    Capacity,
    CreditsExhausted,
    TokensExceed,
    Latency,
    StallBeforeHeaders,
    StallMidStream,
    ResetBeforeHeaders,
    ResetAfterHeaders,
    CutMidStream,
    TruncatedBody,
    MalformedJson,
    StreamErrorEvent,
    Unauthorized,
    FreeQuota,
    PermissionDenied,
};

// One injected fault, as written in a scenario or POSTed to /sim/faults.
struct FaultSpec
{
    FaultKind kind = FaultKind::Status;
    int status = 503; // status / credits_exhausted
    std::optional<QByteArray> body; // status: raw body instead of the xAI error body
    std::optional<QString> code; // the "code" field of the error body instead of the usual one
    int ms = 0; // latency and stalls
    int afterChunks = 0; // mid-stream faults
    QList<std::pair<QByteArray, QByteArray>> headers; // added to the response

    // The stable name used in JSON and in /sim/stats ("stall_mid_stream").
    QString name() const;
    static QString kindName(FaultKind kind);
    static std::optional<FaultSpec> fromJson(const QJsonObject &object, QString *error);
};

} // namespace gp::sim
