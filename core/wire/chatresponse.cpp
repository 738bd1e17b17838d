#include "core/wire/chatresponse.h"

#include "core/wire/errorbody.h"
#include "core/wire/wirenumber.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// Token counts beyond 2^53 are not exact in JSON and would let sums overflow.
constexpr qint64 MaxCount = 9'007'199'254'740'992;

std::optional<qint64> readCount(const QJsonObject &object, QLatin1StringView key)
{
    const std::optional<qint64> value = jsonInteger(object.value(key));
    if (!value || *value < 0 || *value > MaxCount)
        return std::nullopt;
    return value;
}

// A string field, null or missing as empty; false when it holds another type.
bool readText(const QJsonObject &object, QLatin1StringView key, QString *out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString())
        return false;
    *out = value.toString();
    return true;
}

std::optional<QJsonObject> parseObject(const QByteArray &body, QLatin1StringView what, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject())
        return document.object();
    QString reason;
    if (QByteArrayView(body).trimmed().isEmpty())
        reason = what + " is empty"_L1;
    else if (parseError.error != QJsonParseError::NoError)
        reason = what + " is not JSON: "_L1 + parseError.errorString()
            + u" at offset %1"_s.arg(parseError.offset);
    else
        reason = what + " is not a JSON object"_L1;
    if (error)
        *error = reason;
    return std::nullopt;
}

// A body that is an error object rather than a completion.
bool isErrorBody(const QByteArray &body, const QJsonObject &object, QLatin1StringView what, QString *error)
{
    if (object.contains("choices"_L1))
        return false;
    const std::optional<ErrorBody> serverError = parseStreamError(body);
    if (!serverError)
        return false;
    if (error)
        *error = what + " carries an error: "_L1 + serverError->message;
    return true;
}

std::optional<ChatChoice> parseChoice(const QJsonValue &value, qsizetype position, QString *error)
{
    // Built only for an error: most answers are well formed.
    const auto where = [position] { return u"choices[%1]"_s.arg(position); };
    if (!value.isObject()) {
        *error = where() + " is not an object"_L1;
        return std::nullopt;
    }
    const QJsonObject object = value.toObject();
    ChatChoice choice;
    const std::optional<qint64> index = jsonInteger(object.value("index"_L1));
    choice.index = index && *index >= 0 && *index <= 1'000'000 ? int(*index)
                                                               : int(qMin<qsizetype>(position, 1'000'000));
    QJsonValue messageValue = object.value("message"_L1);
    if (messageValue.isUndefined())
        messageValue = object.value("delta"_L1);
    const QJsonObject message = messageValue.toObject();
    if (!readText(message, "content"_L1, &choice.content)) {
        *error = where() + ".message.content is not a string"_L1;
        return std::nullopt;
    }
    if (!readText(message, "reasoning_content"_L1, &choice.reasoningContent)) {
        *error = where() + ".message.reasoning_content is not a string"_L1;
        return std::nullopt;
    }
    if (!readText(object, "finish_reason"_L1, &choice.finishReason)) {
        *error = where() + ".finish_reason is not a string"_L1;
        return std::nullopt;
    }
    return choice;
}

} // namespace

Usage parseUsage(const QJsonObject &usage)
{
    Usage result;
    result.present = true;
    result.promptTokens = readCount(usage, "prompt_tokens"_L1).value_or(0);
    result.completionTokens = readCount(usage, "completion_tokens"_L1).value_or(0);
    const QJsonObject completionDetails = usage.value("completion_tokens_details"_L1).toObject();
    result.reasoningTokens = readCount(completionDetails, "reasoning_tokens"_L1).value_or(0);
    const QJsonObject promptDetails = usage.value("prompt_tokens_details"_L1).toObject();
    // Cached tokens are part of the prompt: a body that says more is clamped, as the Responses
    // reader does, so cost and the token charts never see a negative uncached share.
    result.cachedTokens = qMin(result.promptTokens, readCount(promptDetails, "cached_tokens"_L1).value_or(0));
    // xAI: total = prompt + completion + reasoning; computed the same way when absent.
    result.totalTokens = readCount(usage, "total_tokens"_L1).value_or(result.billedTokens());
    result.costInUsdTicks = readCount(usage, "cost_in_usd_ticks"_L1);
    return result;
}

QString ChatResponse::text() const
{
    return choices.isEmpty() ? QString() : choices.constFirst().content;
}

std::optional<ChatResponse> parseChatResponse(const QByteArray &body, QString *error)
{
    const std::optional<QJsonObject> parsed = parseObject(body, "response"_L1, error);
    if (!parsed)
        return std::nullopt;
    const QJsonObject &object = *parsed;
    const QJsonValue choices = object.value("choices"_L1);
    if (choices.isUndefined() && isErrorBody(body, object, "response"_L1, error))
        return std::nullopt;
    const QJsonArray array = choices.toArray();
    if (!choices.isArray() || array.isEmpty()) {
        if (error)
            *error = u"response has no choices"_s;
        return std::nullopt;
    }
    ChatResponse response;
    response.id = object.value("id"_L1).toString();
    response.model = object.value("model"_L1).toString();
    response.created = jsonInteger(object.value("created"_L1)).value_or(0);
    for (qsizetype i = 0; i < array.size(); ++i) {
        QString reason;
        std::optional<ChatChoice> choice = parseChoice(array.at(i), i, &reason);
        if (!choice) {
            if (error)
                *error = reason;
            return std::nullopt;
        }
        response.choices.append(std::move(*choice));
    }
    if (const QJsonValue usage = object.value("usage"_L1); usage.isObject())
        response.usage = parseUsage(usage.toObject());
    return response;
}

std::optional<ChatChunk> parseChatChunk(const QByteArray &data, QString *error)
{
    const std::optional<QJsonObject> parsed = parseObject(data, "chunk"_L1, error);
    if (!parsed || isErrorBody(data, *parsed, "chunk"_L1, error))
        return std::nullopt;
    const QJsonObject &object = *parsed;
    ChatChunk chunk;
    chunk.id = object.value("id"_L1).toString();
    chunk.model = object.value("model"_L1).toString();
    const QJsonValue choices = object.value("choices"_L1);
    if (!choices.isUndefined() && !choices.isNull() && !choices.isArray()) {
        if (error)
            *error = u"chunk choices is not an array"_s;
        return std::nullopt;
    }
    const QJsonArray array = choices.toArray();
    if (!array.isEmpty()) {
        // One completion per request (n = 1): the first choice carries the delta.
        QString reason;
        const std::optional<ChatChoice> choice = parseChoice(array.at(0), 0, &reason);
        if (!choice) {
            if (error)
                *error = reason.replace("message."_L1, "delta."_L1);
            return std::nullopt;
        }
        chunk.deltaContent = choice->content;
        chunk.deltaReasoning = choice->reasoningContent;
        chunk.finishReason = choice->finishReason;
    }
    if (const QJsonValue usage = object.value("usage"_L1); usage.isObject())
        chunk.usage = parseUsage(usage.toObject());
    return chunk;
}

} // namespace gp
