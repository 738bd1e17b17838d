#include "core/wire/batchrequestitem.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// {"batch_requests":[ ... ]} around the comma-joined items.
constexpr qsizetype EnvelopeBytes = sizeof(R"({"batch_requests":[]})") - 1;

} // namespace

QJsonObject BatchRequestItem::toJsonObject() const
{
    QJsonObject request = body;
    request.remove("stream"_L1); // batch results are never streamed
    request.remove("stream_options"_L1);
    const QLatin1StringView key = kind == Kind::Responses ? "responses"_L1 : "chat_get_completion"_L1;
    return QJsonObject { { "batch_request_id"_L1, batchRequestId },
                         { "batch_request"_L1, QJsonObject { { key, request } } } };
}

QList<BatchRequestChunk> chunkBatchRequests(const QList<BatchRequestItem> &items, qsizetype maxBytes,
                                            int maxItems, QStringList *oversized)
{
    QList<BatchRequestChunk> chunks;
    QByteArray joined;
    QStringList ids;
    const auto close = [&] {
        if (ids.isEmpty())
            return;
        chunks.append({ R"({"batch_requests":[)" + joined + "]}", ids });
        joined.clear();
        ids.clear();
    };
    for (const BatchRequestItem &item : items) {
        const QByteArray json = QJsonDocument(item.toJsonObject()).toJson(QJsonDocument::Compact);
        if (EnvelopeBytes + json.size() > maxBytes) {
            if (oversized)
                oversized->append(item.batchRequestId);
            continue;
        }
        const qsizetype separator = ids.isEmpty() ? 0 : 1;
        if (EnvelopeBytes + joined.size() + separator + json.size() > maxBytes
            || ids.size() >= qMax(1, maxItems))
            close();
        if (!ids.isEmpty())
            joined.append(',');
        joined.append(json);
        ids.append(item.batchRequestId);
    }
    close();
    return chunks;
}

} // namespace gp
