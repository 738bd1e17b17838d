#include "core/sim/chatcallparser.h"

#include "core/sim/simerrors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace gp::sim {

namespace {

QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("boolean `%1`").arg(value.toBool() ? u"true" : u"false");
    case QJsonValue::Double: return QStringLiteral("number %1").arg(value.toDouble());
    case QJsonValue::String: return QStringLiteral("string \"%1\"").arg(value.toString().left(40));
    case QJsonValue::Array: return QStringLiteral("sequence");
    case QJsonValue::Object: return QStringLiteral("map");
    default: return QStringLiteral("nothing");
    }
}

SimResponse typeError(const QString &field, const QJsonValue &value, const QString &expected)
{
    return SimErrors::flat(
        422,
        QStringLiteral("Failed to deserialize the JSON body into the target type: %1: invalid "
                       "type: %2, expected %3")
            .arg(field, describe(value), expected));
}

SimResponse missingField(const QString &field)
{
    return SimErrors::flat(
        422,
        QStringLiteral("Failed to deserialize the JSON body into the target type: missing field `%1`")
            .arg(field));
}

// Appends the text of one message's content; false when the content has the wrong shape.
bool appendContent(const QJsonValue &content, QString *prompt)
{
    if (content.isString() || content.isNull()) {
        *prompt += content.toString();
        return true;
    }
    if (!content.isArray())
        return false;
    for (const QJsonValue &part : content.toArray()) {
        if (!part.isObject() || !part.toObject().value(QLatin1String("type")).isString())
            return false;
        *prompt += part.toObject().value(QLatin1String("text")).toString();
    }
    return true;
}

std::optional<SimResponse> parseMessages(const QJsonObject &body, QString *prompt)
{
    const QJsonValue messages = body.value(QLatin1String("messages"));
    if (messages.isUndefined())
        return missingField(QStringLiteral("messages"));
    if (!messages.isArray())
        return typeError(QStringLiteral("messages"), messages, QStringLiteral("a sequence"));
    if (messages.toArray().isEmpty())
        return SimErrors::flat(400, QStringLiteral("The messages field must contain at least one message"));
    static const QStringList roles { QStringLiteral("system"), QStringLiteral("user"),
                                     QStringLiteral("assistant"), QStringLiteral("tool"),
                                     QStringLiteral("developer") };
    int index = 0;
    for (const QJsonValue &message : messages.toArray()) {
        const QString field = QStringLiteral("messages[%1]").arg(index++);
        if (!message.isObject())
            return typeError(field, message, QStringLiteral("a message object"));
        const QJsonValue role = message.toObject().value(QLatin1String("role"));
        if (!role.isString())
            return role.isUndefined()
                ? missingField(field + QStringLiteral(".role"))
                : typeError(field + QStringLiteral(".role"), role, QStringLiteral("a string"));
        if (!roles.contains(role.toString()))
            return SimErrors::flat(422,
                                   QStringLiteral("%1.role: unknown variant `%2`, expected one of %3")
                                       .arg(field, role.toString().left(40), roles.join(u", ")));
        if (!prompt->isEmpty())
            *prompt += u'\n';
        const QJsonValue content = message.toObject().value(QLatin1String("content"));
        if (!appendContent(content, prompt))
            return typeError(field + QStringLiteral(".content"), content,
                             QStringLiteral("a string or content parts"));
    }
    return std::nullopt;
}

std::optional<SimResponse> parseNumber(const QJsonObject &body, const QString &field, double min, double max)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isDouble())
        return typeError(field, value, QStringLiteral("a number"));
    if (value.toDouble() < min || value.toDouble() > max)
        return SimErrors::flat(400,
                               QStringLiteral("%1 must be between %2 and %3, got %4")
                                   .arg(field)
                                   .arg(min)
                                   .arg(max)
                                   .arg(value.toDouble()));
    return std::nullopt;
}

std::optional<SimResponse> parseMaxTokens(const QJsonObject &body, std::optional<qint64> *maxTokens)
{
    for (const QString &field : { QStringLiteral("max_completion_tokens"), QStringLiteral("max_tokens") }) {
        const QJsonValue value = body.value(field);
        if (value.isUndefined() || value.isNull())
            continue;
        const double number = value.toDouble();
        if (!value.isDouble() || number != std::floor(number) || std::abs(number) > 1e12)
            return typeError(field, value, QStringLiteral("an unsigned integer"));
        if (number < 0)
            return SimErrors::flat(400, QStringLiteral("%1 must not be negative").arg(field));
        if (!*maxTokens)
            *maxTokens = qint64(number);
    }
    return std::nullopt;
}

std::optional<SimResponse> parseStream(const QJsonObject &body, bool *stream, bool *includeUsage)
{
    const QJsonValue value = body.value(QLatin1String("stream"));
    if (!value.isUndefined() && !value.isNull() && !value.isBool())
        return typeError(QStringLiteral("stream"), value, QStringLiteral("a boolean"));
    *stream = value.toBool();
    const QJsonValue options = body.value(QLatin1String("stream_options"));
    if (options.isUndefined() || options.isNull())
        return std::nullopt;
    if (!options.isObject())
        return typeError(QStringLiteral("stream_options"), options, QStringLiteral("a map"));
    const QJsonValue include = options.toObject().value(QLatin1String("include_usage"));
    if (!include.isUndefined() && !include.isBool())
        return typeError(QStringLiteral("stream_options.include_usage"), include,
                         QStringLiteral("a boolean"));
    *includeUsage = include.toBool();
    return std::nullopt;
}

} // namespace

std::optional<SimResponse> ChatCallParser::parse(const HttpRequest &request, ChatCall *call)
{
    const QByteArray type = request.header("content-type").toLower();
    if (!type.startsWith("application/json"))
        return SimErrors::flat(415,
                               QStringLiteral("Unsupported content type \"%1\"; expected application/json")
                                   .arg(QString::fromLatin1(type.left(60))));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return SimErrors::flat(400,
                               QStringLiteral("Failed to parse the request body as JSON: %1 at offset %2")
                                   .arg(parseError.errorString())
                                   .arg(parseError.offset));
    if (!document.isObject())
        return SimErrors::flat(400, QStringLiteral("The request body must be a JSON object"));
    const QJsonObject body = document.object();
    const QJsonValue model = body.value(QLatin1String("model"));
    if (model.isUndefined())
        return missingField(QStringLiteral("model"));
    if (!model.isString())
        return typeError(QStringLiteral("model"), model, QStringLiteral("a string"));
    if (auto error = parseMessages(body, &call->prompt))
        return error;
    if (auto error = parseNumber(body, QStringLiteral("temperature"), 0, 2))
        return error;
    if (auto error = parseNumber(body, QStringLiteral("top_p"), 0, 1))
        return error;
    if (auto error = parseMaxTokens(body, &call->maxTokens))
        return error;
    if (auto error = parseStream(body, &call->stream, &call->includeUsage))
        return error;
    call->model = CompletionSynth::resolve(model.toString());
    if (!call->model)
        return SimErrors::flat(
            404,
            QStringLiteral("The model %1 does not exist or your team does not have access to it.")
                .arg(model.toString().left(100)));
    return std::nullopt;
}

} // namespace gp::sim
