#include "core/wire/errorbody.h"

#include "core/wire/htmltext.h"
#include "core/wire/wirenumber.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr qsizetype MaxJsonBytes = 1024 * 1024; // larger bodies are not error objects
constexpr qsizetype MaxTextBytes = 64 * 1024; // text and HTML are read from this prefix

// Single line: control and line-separator characters become spaces, runs collapse,
// lone surrogates become U+FFFD, then the text is cut to `max` with an ellipsis.
QString oneLine(const QString &text, int max)
{
    const qsizetype limit = qMax(1, max);
    QString out;
    out.reserve(qMin(text.size(), limit + 2));
    bool pendingSpace = false;
    for (qsizetype i = 0; i < text.size() && out.size() <= limit; ++i) {
        QChar c = text.at(i);
        const char16_t u = c.unicode();
        const bool pair = c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        if (c.isSurrogate() && !pair)
            c = QChar::ReplacementCharacter;
        if (u < 0x20 || u == 0x7f || u == 0x85 || u == 0x2028 || u == 0x2029 || c.isSpace()) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace)
            out.append(u' ');
        pendingSpace = false;
        out.append(c);
        if (pair)
            out.append(text.at(++i));
    }
    if (out.size() <= limit)
        return out;
    qsizetype cut = limit - 1;
    if (cut > 0 && out.at(cut - 1).isHighSurrogate())
        --cut; // never split a surrogate pair
    return out.left(cut).trimmed() + QChar(0x2026);
}

QString scalarText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? u"true"_s : u"false"_s;
    if (value.isDouble()) {
        const std::optional<qint64> integer = jsonInteger(value);
        return integer ? QString::number(*integer) : QString::number(value.toDouble());
    }
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return {}; // null, undefined
}

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// A message that is never empty: the text, else the code or type, else the JSON itself.
void finishJson(ErrorBody *body, const QString &message, const QJsonObject &object, int max)
{
    body->code = oneLine(body->code, max);
    body->type = oneLine(body->type, max);
    body->param = oneLine(body->param, max);
    body->message = oneLine(message, max);
    if (body->message.isEmpty())
        body->message = !body->code.isEmpty() ? body->code : body->type;
    if (body->message.isEmpty())
        body->message = oneLine(compactJson(object), max);
}

// xAI flat or OpenAI nested; nullopt for any other object.
std::optional<ErrorBody> fromErrorObject(const QJsonObject &object, int max)
{
    const QJsonValue error = object.value("error"_L1);
    ErrorBody body;
    if (error.isObject()) {
        const QJsonObject nested = error.toObject();
        body.format = ErrorBodyFormat::OpenAINested;
        body.code = scalarText(nested.value("code"_L1));
        body.type
            = scalarText(nested.contains("type"_L1) ? nested.value("type"_L1) : nested.value("status"_L1));
        body.param = scalarText(nested.value("param"_L1));
        finishJson(&body, scalarText(nested.value("message"_L1)), nested, max);
        return body;
    }
    if (error.isString()) {
        body.format = ErrorBodyFormat::XaiFlat;
        body.code = scalarText(object.value("code"_L1));
        finishJson(&body, error.toString(), object, max);
        return body;
    }
    return std::nullopt;
}

ErrorBody fromOtherJson(const QJsonObject &object, int max)
{
    ErrorBody body;
    body.format = ErrorBodyFormat::OtherJson;
    body.code = scalarText(object.value("code"_L1));
    body.type = scalarText(object.value("type"_L1));
    QString message;
    for (const auto key :
         { "message"_L1, "detail"_L1, "msg"_L1, "error_description"_L1, "title"_L1, "error"_L1 }) {
        message = scalarText(object.value(key));
        if (!message.trimmed().isEmpty())
            break;
    }
    finishJson(&body, message, object, max);
    return body;
}

ErrorBody fromAnyObject(const QJsonObject &object, int max)
{
    if (std::optional<ErrorBody> known = fromErrorObject(object, max))
        return *known;
    return fromOtherJson(object, max);
}

std::optional<ErrorBody> fromJson(const QByteArray &bytes, int max)
{
    if (bytes.size() > MaxJsonBytes)
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return std::nullopt;
    if (document.isArray()) {
        const QJsonArray array = document.array();
        if (!array.isEmpty() && array.at(0).isObject()) // e.g. [{"error": {...}}]
            return fromAnyObject(array.at(0).toObject(), max);
        ErrorBody body;
        body.format = ErrorBodyFormat::OtherJson;
        body.message = oneLine(QString::fromUtf8(document.toJson(QJsonDocument::Compact)), max);
        return body;
    }
    return fromAnyObject(document.object(), max);
}

// From a cut-off JSON body: the value of the first "message" or "error" string field.
QString salvageJsonMessage(const QString &text)
{
    for (const auto key : { "\"message\""_L1, "\"error\""_L1 }) {
        qsizetype at = text.indexOf(key);
        if (at < 0)
            continue;
        at += key.size();
        while (at < text.size() && (text.at(at) == u' ' || text.at(at) == u':'))
            ++at;
        if (at >= text.size() || text.at(at) != u'"')
            continue;
        QString value;
        for (++at; at < text.size() && text.at(at) != u'"'; ++at) {
            if (text.at(at) == u'\\' && at + 1 < text.size())
                ++at; // keep the escaped character itself
            value.append(text.at(at));
        }
        if (!value.trimmed().isEmpty())
            return value;
    }
    return {};
}

// Many control bytes or invalid UTF-8 sequences: not text a person should read.
bool looksBinary(const QByteArray &bytes, const QString &decoded)
{
    qsizetype bad = 0;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f)
            ++bad;
    }
    bad += decoded.count(QChar::ReplacementCharacter);
    return bad * 10 > qMax<qsizetype>(decoded.size(), 1);
}

ErrorBody fromText(const QByteArray &bytes, qsizetype totalSize, int max)
{
    const QString text = QString::fromUtf8(bytes);
    ErrorBody body;
    body.format = ErrorBodyFormat::PlainText;
    if (looksBinary(bytes, text)) {
        body.message = oneLine(u"unreadable response body (%1 bytes)"_s.arg(totalSize), max);
        return body;
    }
    if (text.startsWith(u'<')) {
        body.format = ErrorBodyFormat::Html;
        body.message = oneLine(htmlErrorText(text), max);
        if (body.message.isEmpty())
            body.message = oneLine(u"HTML response body without text (%1 bytes)"_s.arg(totalSize), max);
        return body;
    }
    if (text.startsWith(u'{') || text.startsWith(u'['))
        body.message = oneLine(salvageJsonMessage(text), max);
    if (body.message.isEmpty())
        body.message = oneLine(text, max);
    if (body.message.isEmpty()) // only invisible text, e.g. a second BOM or U+2028
        body.message = oneLine(u"blank response body (%1 bytes)"_s.arg(totalSize), max);
    return body;
}

QByteArray withoutBomAndSpace(const QByteArray &body)
{
    QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith("\xEF\xBB\xBF"))
        trimmed = trimmed.sliced(3).trimmed();
    return trimmed;
}

} // namespace

ErrorBody parseErrorBody(const QByteArray &body, int maxMessageLength)
{
    const QByteArray trimmed = withoutBomAndSpace(body);
    if (trimmed.isEmpty())
        return ErrorBody {
            ErrorBodyFormat::Empty, {}, oneLine(u"empty response body"_s, maxMessageLength), {}, {}
        };
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        if (std::optional<ErrorBody> json = fromJson(trimmed, maxMessageLength))
            return *json;
    }
    return fromText(trimmed.first(qMin(trimmed.size(), MaxTextBytes)), body.size(), maxMessageLength);
}

std::optional<ErrorBody> parseStreamError(const QByteArray &data)
{
    const QByteArray trimmed = withoutBomAndSpace(data);
    if (!trimmed.startsWith('{') || trimmed.size() > MaxJsonBytes)
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(trimmed);
    if (!document.isObject())
        return std::nullopt;
    return fromErrorObject(document.object(), DefaultMaxErrorMessageLength);
}

} // namespace gp
