#include "core/wire/batchresultpage.h"

#include "core/wire/errorbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

QString boundedLine(const QString &text)
{
    QString out = text.left(DefaultMaxErrorMessageLength);
    for (QChar &c : out) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u' ';
    }
    return out;
}

BatchResultItem errorItem(const QString &id, const QString &message)
{
    BatchResultItem item;
    item.batchRequestId = id;
    item.kind = BatchResultItem::Kind::Error;
    item.error = boundedLine(message);
    return item;
}

BatchResultItem readCompletion(const QString &id, const QJsonObject &response)
{
    if (response.value("chat_get_completion"_L1).isObject()) {
        const QJsonObject completion = response.value("chat_get_completion"_L1).toObject();
        BatchResultItem item;
        item.batchRequestId = id;
        item.rawResponse = QJsonDocument(completion).toJson(QJsonDocument::Compact);
        QString reason;
        std::optional<ChatResponse> chat = parseChatResponse(item.rawResponse, &reason);
        if (!chat)
            return errorItem(id, u"unreadable batch result: "_s + reason);
        item.kind = BatchResultItem::Kind::ChatCompletion;
        item.chat = std::move(*chat);
        return item;
    }
    if (response.value("responses"_L1).isObject()) {
        const QJsonObject object = response.value("responses"_L1).toObject();
        QString reason;
        std::optional<ResponsesResponse> parsed = responsesResponseFromObject(object, "response"_L1, &reason);
        if (!parsed)
            return errorItem(id, u"unreadable batch result: "_s + reason);
        BatchResultItem item;
        item.batchRequestId = id;
        item.kind = BatchResultItem::Kind::Responses;
        item.responses = std::move(*parsed);
        item.rawResponse = QJsonDocument(object).toJson(QJsonDocument::Compact);
        return item;
    }
    return errorItem(id, u"batch result holds no chat or responses completion"_s);
}

BatchResultItem readResult(const QJsonValue &value, qsizetype index)
{
    const QJsonObject object = value.toObject();
    const QJsonValue idValue = object.value("batch_request_id"_L1);
    if (!value.isObject() || !idValue.isString() || idValue.toString().isEmpty())
        return errorItem({}, u"results[%1] has no batch_request_id"_s.arg(index));
    const QString id = idValue.toString();
    const QJsonObject result = object.value("batch_result"_L1).toObject();
    const QJsonValue failure = result.value("error"_L1);
    if (failure.isString())
        return errorItem(id, failure.toString().isEmpty() ? u"batch request failed"_s : failure.toString());
    if (failure.isObject())
        return errorItem(
            id, parseErrorBody(QJsonDocument(QJsonObject { { "error"_L1, failure } }).toJson()).message);
    if (!result.value("response"_L1).isObject())
        return errorItem(id, u"batch result has neither a response nor an error"_s);
    return readCompletion(id, result.value("response"_L1).toObject());
}

} // namespace

std::optional<BatchResultPage> parseBatchResultPage(const QByteArray &body, QString *error)
{
    QString reason;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject object = document.object();
    const QJsonValue token = object.value("pagination_token"_L1);
    if (body.trimmed().isEmpty())
        reason = u"results page is empty"_s;
    else if (parseError.error != QJsonParseError::NoError)
        reason = u"results page is not JSON: "_s + parseError.errorString()
            + u" at offset %1"_s.arg(parseError.offset);
    else if (!document.isObject())
        reason = u"results page is not a JSON object"_s;
    else if (!object.contains("results"_L1) && parseStreamError(body))
        reason = u"results page carries an error: "_s + parseStreamError(body)->message;
    else if (!object.value("results"_L1).isArray())
        reason = u"results page has no results array"_s;
    else if (!token.isUndefined() && !token.isNull() && !token.isString())
        reason = u"pagination_token is not a string"_s;
    if (!reason.isEmpty()) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    BatchResultPage page;
    page.paginationToken = token.toString();
    const QJsonArray results = object.value("results"_L1).toArray();
    for (qsizetype i = 0; i < results.size(); ++i)
        page.results.append(readResult(results.at(i), i));
    return page;
}

} // namespace gp
