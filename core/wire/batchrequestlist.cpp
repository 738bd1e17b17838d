#include "core/wire/batchrequestlist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gp {

std::optional<BatchRequestList> parseBatchRequestList(const QByteArray &body, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject())
        return fail(u"the batch request list is not a JSON object"_s);
    const QJsonObject object = document.object();
    if (!object.value("batch_request_metadata"_L1).isArray())
        return fail(u"the batch request list has no batch_request_metadata array"_s);
    const QJsonValue token = object.value("pagination_token"_L1);
    if (!token.isString() && !token.isNull() && !token.isUndefined())
        return fail(u"the batch request list's pagination_token is not a string"_s);
    BatchRequestList list;
    list.paginationToken = token.toString();
    for (const QJsonValue &entry : object.value("batch_request_metadata"_L1).toArray()) {
        const QJsonValue id = entry.toObject().value("batch_request_id"_L1);
        if (id.isString())
            list.batchRequestIds.append(id.toString());
    }
    return list;
}

} // namespace gp
