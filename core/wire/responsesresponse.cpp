#include "core/wire/responsesresponse.h"

#include "core/wire/errorbody.h"
#include "core/wire/wirenumber.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr qint64 MaxCount = 9'007'199'254'740'992;

qint64 readCount(const QJsonObject &object, QLatin1StringView key)
{
    const std::optional<qint64> value = jsonInteger(object.value(key));
    return value && *value >= 0 && *value <= MaxCount ? *value : 0;
}

// The text parts of one output item's content (or summary) array.
void appendTexts(const QJsonValue &parts, QStringView wantedType, QString *out)
{
    for (const QJsonValue &part : parts.toArray()) {
        const QJsonObject object = part.toObject();
        const QString type = object.value("type"_L1).toString();
        if ((wantedType.isEmpty() || type == wantedType) && object.value("text"_L1).isString())
            out->append(object.value("text"_L1).toString());
    }
}

void readOutput(const QJsonArray &output, ResponsesResponse *response)
{
    for (const QJsonValue &value : output) {
        const QJsonObject item = value.toObject();
        const QString type = item.value("type"_L1).toString();
        if (type == "message"_L1) {
            appendTexts(item.value("content"_L1), u"output_text", &response->text);
        } else if (type == "reasoning"_L1) {
            appendTexts(item.value("summary"_L1), {}, &response->reasoningText);
            appendTexts(item.value("content"_L1), {}, &response->reasoningText);
        }
    }
}

// A one-line, bounded copy of untrusted server text.
QString boundedLine(const QJsonValue &value)
{
    QString text = value.isString() ? value.toString()
                                    : (value.isDouble() ? QString::number(value.toDouble()) : QString());
    text = text.left(DefaultMaxErrorMessageLength);
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u' ';
    }
    return text;
}

} // namespace

Usage parseResponsesUsage(const QJsonObject &usage)
{
    Usage result;
    result.present = true;
    result.promptTokens = readCount(usage, "input_tokens"_L1);
    const qint64 output = readCount(usage, "output_tokens"_L1);
    result.reasoningTokens
        = qMin(output, readCount(usage.value("output_tokens_details"_L1).toObject(), "reasoning_tokens"_L1));
    result.completionTokens = output - result.reasoningTokens;
    result.cachedTokens
        = qMin(result.promptTokens,
               readCount(usage.value("input_tokens_details"_L1).toObject(), "cached_tokens"_L1));
    const std::optional<qint64> total = jsonInteger(usage.value("total_tokens"_L1));
    result.totalTokens = total && *total >= 0 && *total <= MaxCount ? *total : result.billedTokens();
    const std::optional<qint64> ticks = jsonInteger(usage.value("cost_in_usd_ticks"_L1));
    if (ticks && *ticks >= 0 && *ticks <= MaxCount)
        result.costInUsdTicks = ticks;
    return result;
}

std::optional<ResponsesResponse> responsesResponseFromObject(const QJsonObject &object,
                                                             QLatin1StringView what, QString *error)
{
    QString reason;
    const QJsonValue output = object.value("output"_L1);
    if (!object.value("id"_L1).isString() || object.value("id"_L1).toString().isEmpty())
        reason = what + " has no id"_L1;
    else if (!object.value("status"_L1).isString())
        reason = what + " has no status"_L1;
    else if (!output.isUndefined() && !output.isNull() && !output.isArray())
        reason = what + " output is not an array"_L1;
    if (!reason.isEmpty()) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    ResponsesResponse response;
    response.id = object.value("id"_L1).toString();
    response.model = object.value("model"_L1).toString();
    response.status = object.value("status"_L1).toString();
    response.createdAt = jsonInteger(object.value("created_at"_L1)).value_or(0);
    response.previousResponseId = object.value("previous_response_id"_L1).toString();
    readOutput(output.toArray(), &response);
    const QJsonObject failure = object.value("error"_L1).toObject();
    response.errorCode = boundedLine(failure.value("code"_L1));
    response.errorMessage = boundedLine(failure.value("message"_L1));
    response.incompleteReason
        = boundedLine(object.value("incomplete_details"_L1).toObject().value("reason"_L1));
    if (object.value("usage"_L1).isObject())
        response.usage = parseResponsesUsage(object.value("usage"_L1).toObject());
    return response;
}

std::optional<ResponsesResponse> parseResponsesResponse(const QByteArray &body, QString *error)
{
    QString reason;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (body.trimmed().isEmpty())
        reason = u"response is empty"_s;
    else if (parseError.error != QJsonParseError::NoError)
        reason = u"response is not JSON: "_s + parseError.errorString()
            + u" at offset %1"_s.arg(parseError.offset);
    else if (!document.isObject())
        reason = u"response is not a JSON object"_s;
    else if (!document.object().contains("output"_L1) && !document.object().contains("status"_L1)) {
        if (const std::optional<ErrorBody> serverError = parseStreamError(body))
            reason = u"response carries an error: "_s + serverError->message;
    }
    if (!reason.isEmpty()) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    return responsesResponseFromObject(document.object(), "response"_L1, error);
}

} // namespace gp
