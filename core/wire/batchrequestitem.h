#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace gp {

// One request added to an xAI batch: a chat completion body (`chat_get_completion`) or a
// Responses body (`responses`), under an id unique within the batch that its result carries.
struct BatchRequestItem
{
    enum class Kind { ChatCompletion, Responses };

    QString batchRequestId;
    Kind kind = Kind::ChatCompletion;
    QJsonObject body; // the request body as for the live endpoint (stream is forced off)

    // {"batch_request_id": ..., "batch_request": {"chat_get_completion" | "responses": body}}
    QJsonObject toJsonObject() const;
    bool operator==(const BatchRequestItem &) const = default;
};

// The body of one POST /v1/batches/{batch_id}/requests call and the ids it carries.
struct BatchRequestChunk
{
    QByteArray body; // {"batch_requests": [...]}, compact
    QStringList batchRequestIds;
};

// Splits items, in order, into request bodies of at most maxBytes bytes and maxItems items
// each (xAI caps one add-requests call at 25 MB). An item that alone exceeds maxBytes goes
// into no chunk: its id is appended to *oversized (may be null) so the caller can fail it.
QList<BatchRequestChunk> chunkBatchRequests(const QList<BatchRequestItem> &items, qsizetype maxBytes,
                                            int maxItems, QStringList *oversized);

} // namespace gp
