#include "core/wire/chatrequest.h"

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
    return role == "system"_L1 || role == "user"_L1 || role == "assistant"_L1;
}

bool readStop(const QJsonValue &value, QStringList *out, QString *error)
{
    if (value.isUndefined() || value.isNull())
        return true;
    if (value.isString()) {
        out->append(value.toString());
        return true;
    }
    if (!value.isArray()) {
        *error = u"stop is neither a string nor an array of strings"_s;
        return false;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString()) {
            *error = u"stop[%1] is not a string"_s.arg(i);
            return false;
        }
        out->append(array.at(i).toString());
    }
    return true;
}

bool readMessages(const QJsonValue &value, QList<ChatMessage> *out, QString *error)
{
    if (value.isUndefined() || value.isNull()) {
        *error = u"request has no messages"_s;
        return false;
    }
    if (!value.isArray()) {
        *error = u"messages is not an array"_s;
        return false;
    }
    const QJsonArray array = value.toArray();
    if (array.isEmpty()) {
        *error = u"messages is empty"_s;
        return false;
    }
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            *error = u"messages[%1] is not an object"_s.arg(i);
            return false;
        }
        const QJsonObject message = array.at(i).toObject();
        const QJsonValue role = message.value("role"_L1);
        if (!role.isString()) {
            *error = u"messages[%1] has no string role"_s.arg(i);
            return false;
        }
        if (!isKnownRole(role.toString())) {
            *error = u"messages[%1] has unsupported role \"%2\""_s.arg(i).arg(quoted(role.toString()));
            return false;
        }
        const QJsonValue content = message.value("content"_L1);
        if (!content.isString()) {
            *error = u"messages[%1].content is not a string"_s.arg(i);
            return false;
        }
        out->append(ChatMessage { role.toString(), content.toString() });
    }
    return true;
}

// stream_options: include_usage is ours; any other option is passed through.
bool readStreamOptions(const QJsonValue &value, ChatRequest *request, QString *error)
{
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isObject()) {
        *error = u"stream_options is not an object"_s;
        return false;
    }
    QJsonObject options = value.toObject();
    const QJsonValue includeUsage = options.take("include_usage"_L1);
    if (!includeUsage.isUndefined() && !includeUsage.isNull()) {
        if (!includeUsage.isBool()) {
            *error = u"stream_options.include_usage is not a boolean"_s;
            return false;
        }
        request->includeUsage = includeUsage.toBool();
    }
    if (!options.isEmpty())
        request->extra.insert("stream_options"_L1, options);
    return true;
}

} // namespace

QJsonObject ChatRequest::toJsonObject() const
{
    QJsonObject object = extra; // known fields below win over a same-named extra
    if (!model.isEmpty())
        object.insert("model"_L1, model);
    QJsonArray array;
    for (const ChatMessage &message : messages)
        array.append(QJsonObject { { "role"_L1, message.role }, { "content"_L1, message.content } });
    object.insert("messages"_L1, array);
    if (temperature)
        object.insert("temperature"_L1, *temperature);
    if (topP)
        object.insert("top_p"_L1, *topP);
    if (maxCompletionTokens)
        object.insert("max_completion_tokens"_L1, *maxCompletionTokens);
    if (!stop.isEmpty())
        object.insert("stop"_L1, QJsonArray::fromStringList(stop));
    if (seed)
        object.insert("seed"_L1, *seed);
    if (stream) {
        object.insert("stream"_L1, true);
        QJsonObject options = object.value("stream_options"_L1).toObject();
        options.insert("include_usage"_L1, includeUsage);
        object.insert("stream_options"_L1, options);
    } else {
        object.remove("stream"_L1);
        object.remove("stream_options"_L1); // only meaningful when streaming
    }
    return object;
}

QByteArray ChatRequest::toJson() const
{
    return QJsonDocument(toJsonObject()).toJson(QJsonDocument::Compact);
}

std::optional<ChatRequest> ChatRequest::fromJsonObject(const QJsonObject &object, QString *error)
{
    QString reason;
    ChatRequest request;
    QJsonObject rest = object;
    const QJsonValue model = rest.take("model"_L1);
    if (!model.isUndefined() && !model.isNull() && !model.isString())
        reason = u"model is not a string"_s;
    else
        request.model = model.toString();
    const QJsonValue stream = rest.take("stream"_L1);
    const bool ok = reason.isEmpty() && readMessages(rest.take("messages"_L1), &request.messages, &reason)
        && readOptionalNumber(object.value("temperature"_L1), "temperature"_L1, &request.temperature, &reason)
        && readOptionalNumber(object.value("top_p"_L1), "top_p"_L1, &request.topP, &reason)
        && readOptionalInteger(object.value("max_completion_tokens"_L1), "max_completion_tokens"_L1,
                               Sign::NonNegative, &request.maxCompletionTokens, &reason)
        && readOptionalInteger(object.value("seed"_L1), "seed"_L1, Sign::Any, &request.seed, &reason)
        && readStop(object.value("stop"_L1), &request.stop, &reason)
        && readStreamOptions(rest.take("stream_options"_L1), &request, &reason);
    if (ok && !stream.isUndefined() && !stream.isNull() && !stream.isBool())
        reason = u"stream is not a boolean"_s;
    if (!ok || !reason.isEmpty()) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    request.stream = stream.toBool(false);
    for (const auto key : { "temperature"_L1, "top_p"_L1, "max_completion_tokens"_L1, "seed"_L1, "stop"_L1 })
        rest.remove(key);
    for (auto it = rest.constBegin(); it != rest.constEnd(); ++it)
        request.extra.insert(it.key(), it.value()); // keeps pass-through stream_options
    return request;
}

qint64 ChatRequest::estimatePromptTokens() const
{
    qint64 characters = 0;
    for (const ChatMessage &message : messages)
        characters += codePointCount(message.content);
    return (characters + 3) / 4 + TokensPerMessage * messages.size() + TokensForReplyPrimer;
}

} // namespace gp
