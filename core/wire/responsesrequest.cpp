#include "core/wire/responsesrequest.h"

#include "core/wire/requestrules.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

using requestrules::codePointCount;
using requestrules::readOptionalInteger;
using requestrules::readOptionalNumber;
using requestrules::Sign;
using requestrules::TokensForReplyPrimer;
using requestrules::TokensPerMessage;
const auto quoted = requestrules::quoteUntrusted;

bool isKnownRole(const QString &role)
{
    return role == "user"_L1 || role == "assistant"_L1 || role == "system"_L1 || role == "developer"_L1;
}

bool isAbsent(const QJsonValue &value)
{
    return value.isUndefined() || value.isNull();
}

// The text parts of a content array joined with '\n'; false on a part that is not an object.
bool readContentParts(const QJsonArray &parts, const QString &where, QString *text, QString *error)
{
    QStringList texts;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (!parts.at(i).isObject()) {
            *error = where + u".content[%1] is not an object"_s.arg(i);
            return false;
        }
        const QJsonObject part = parts.at(i).toObject();
        const QJsonValue partText = part.value("text"_L1);
        if (!isAbsent(partText) && !partText.isString()) {
            *error = where + u".content[%1].text is not a string"_s.arg(i);
            return false;
        }
        if (partText.isString())
            texts.append(partText.toString());
    }
    *text = texts.join(u'\n');
    return true;
}

bool readItem(const QJsonValue &value, qsizetype index, ResponsesInputItem *item, QString *error)
{
    const QString where = u"input[%1]"_s.arg(index);
    if (!value.isObject()) {
        *error = where + " is not an object"_L1;
        return false;
    }
    const QJsonObject object = value.toObject();
    const QJsonValue role = object.value("role"_L1);
    if (isAbsent(role)) {
        if (!object.value("type"_L1).isString()) {
            *error = where + " has neither a role nor a type"_L1;
            return false;
        }
        item->raw = object; // a tool output, reasoning item, ...: the server's business
        return true;
    }
    if (!role.isString() || !isKnownRole(role.toString())) {
        *error = where
            + u" has unsupported role \"%1\""_s.arg(quoted(role.isString() ? role.toString() : u"?"_s));
        return false;
    }
    item->role = role.toString();
    const QJsonValue content = object.value("content"_L1);
    if (content.isString()) {
        item->text = content.toString();
        return true;
    }
    if (!content.isArray()) {
        *error = where + ".content is neither a string nor an array of parts"_L1;
        return false;
    }
    item->content = content;
    return readContentParts(content.toArray(), where, &item->text, error);
}

bool readInput(const QJsonValue &value, ResponsesRequest *request, QString *error)
{
    if (isAbsent(value)) {
        *error = u"request has no input"_s;
        return false;
    }
    if (value.isString()) {
        if (value.toString().isEmpty()) {
            *error = u"input is empty"_s;
            return false;
        }
        request->inputText = value.toString();
        return true;
    }
    if (!value.isArray()) {
        *error = u"input is neither a string nor an array"_s;
        return false;
    }
    const QJsonArray array = value.toArray();
    if (array.isEmpty()) {
        *error = u"input is empty"_s;
        return false;
    }
    for (qsizetype i = 0; i < array.size(); ++i) {
        ResponsesInputItem item;
        if (!readItem(array.at(i), i, &item, error))
            return false;
        request->inputItems.append(std::move(item));
    }
    return true;
}

bool readString(const QJsonValue &value, QLatin1StringView key, QString *out, QString *error)
{
    if (isAbsent(value))
        return true;
    if (!value.isString()) {
        *error = key + " is not a string"_L1;
        return false;
    }
    *out = value.toString();
    return true;
}

bool readBool(const QJsonValue &value, QLatin1StringView key, std::optional<bool> *out, QString *error)
{
    if (isAbsent(value))
        return true;
    if (!value.isBool()) {
        *error = key + " is not a boolean"_L1;
        return false;
    }
    *out = value.toBool();
    return true;
}

QJsonValue itemToJson(const ResponsesInputItem &item)
{
    if (item.role.isEmpty())
        return item.raw;
    return QJsonObject { { "role"_L1, item.role },
                         { "content"_L1, item.content.isArray() ? item.content : QJsonValue(item.text) } };
}

} // namespace

QJsonObject ResponsesRequest::toJsonObject() const
{
    QJsonObject object = extra;
    if (!model.isEmpty())
        object.insert("model"_L1, model);
    if (inputItems.isEmpty()) {
        object.insert("input"_L1, inputText);
    } else {
        QJsonArray items;
        for (const ResponsesInputItem &item : inputItems)
            items.append(itemToJson(item));
        object.insert("input"_L1, items);
    }
    if (!instructions.isEmpty())
        object.insert("instructions"_L1, instructions);
    if (maxOutputTokens)
        object.insert("max_output_tokens"_L1, *maxOutputTokens);
    if (temperature)
        object.insert("temperature"_L1, *temperature);
    if (topP)
        object.insert("top_p"_L1, *topP);
    if (!previousResponseId.isEmpty())
        object.insert("previous_response_id"_L1, previousResponseId);
    if (store)
        object.insert("store"_L1, *store);
    if (stream)
        object.insert("stream"_L1, true);
    else
        object.remove("stream"_L1);
    return object;
}

QByteArray ResponsesRequest::toJson() const
{
    return QJsonDocument(toJsonObject()).toJson(QJsonDocument::Compact);
}

std::optional<ResponsesRequest> ResponsesRequest::fromJsonObject(const QJsonObject &object, QString *error)
{
    ResponsesRequest request;
    QJsonObject rest = object;
    QString reason;
    std::optional<bool> stream;
    const bool ok = readString(rest.take("model"_L1), "model"_L1, &request.model, &reason)
        && readInput(rest.take("input"_L1), &request, &reason)
        && readString(rest.take("instructions"_L1), "instructions"_L1, &request.instructions, &reason)
        && readOptionalInteger(rest.take("max_output_tokens"_L1), "max_output_tokens"_L1, Sign::NonNegative,
                               &request.maxOutputTokens, &reason)
        && readOptionalNumber(rest.take("temperature"_L1), "temperature"_L1, &request.temperature, &reason)
        && readOptionalNumber(rest.take("top_p"_L1), "top_p"_L1, &request.topP, &reason)
        && readString(rest.take("previous_response_id"_L1), "previous_response_id"_L1,
                      &request.previousResponseId, &reason)
        && readBool(rest.take("store"_L1), "store"_L1, &request.store, &reason)
        && readBool(rest.take("stream"_L1), "stream"_L1, &stream, &reason);
    if (!ok) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    request.stream = stream.value_or(false);
    request.extra = rest;
    return request;
}

qint64 ResponsesRequest::estimateInputTokens() const
{
    qint64 characters = codePointCount(instructions);
    qint64 messages = instructions.isEmpty() ? 0 : 1;
    if (inputItems.isEmpty()) {
        characters += codePointCount(inputText);
        ++messages;
    }
    for (const ResponsesInputItem &item : inputItems) {
        characters += item.role.isEmpty()
            ? qint64(QJsonDocument(item.raw).toJson(QJsonDocument::Compact).size())
            : codePointCount(item.text);
        ++messages;
    }
    return (characters + 3) / 4 + TokensPerMessage * messages + TokensForReplyPrimer;
}

qint64 ResponsesRequest::estimateTotalTokens(qint64 defaultMaxOutputTokens) const
{
    return estimateInputTokens() + qMax<qint64>(0, maxOutputTokens.value_or(defaultMaxOutputTokens));
}

} // namespace gp
