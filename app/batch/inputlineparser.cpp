#include "app/batch/inputlineparser.h"

#include "core/wire/apiurl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr qsizetype MaxIdLength = 512;

bool fail(InputLine *line, const QString &message)
{
    line->valid = false;
    line->error = message;
    return false;
}

bool isBatchForm(const QJsonObject &object)
{
    return object.contains("custom_id"_L1) || object.contains("body"_L1);
}

} // namespace

InputLineParser::InputLineParser(const QUrl &baseUrl, const QString &defaultModel)
    : m_baseUrl(baseUrl)
    , m_chatUrl(chatCompletionsUrl(baseUrl))
    , m_responsesUrl(joinApiUrl(baseUrl, u"/v1/responses"_s))
    , m_defaultModel(defaultModel)
{ }

QUrl InputLineParser::chatCompletionsUrl(const QUrl &baseUrl)
{
    return joinApiUrl(baseUrl, u"/v1/chat/completions"_s);
}

QString InputLineParser::peekId(const QJsonObject &object)
{
    const QJsonValue id = object.value(isBatchForm(object) ? "custom_id"_L1 : "id"_L1);
    if (id.isString())
        return id.toString();
    if (id.isDouble() && id.toDouble() == double(id.toInteger()))
        return QString::number(id.toInteger());
    return {};
}

InputLine InputLineParser::parse(const QByteArray &text, qint64 lineNumber)
{
    InputLine line;
    line.lineNumber = lineNumber;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        fail(&line, u"not JSON: %1 at offset %2"_s.arg(parseError.errorString()).arg(parseError.offset));
        return line;
    }
    if (!document.isObject()) {
        fail(&line, u"not a JSON object"_s);
        return line;
    }
    const QJsonObject object = document.object();
    if (!readId(object, &line))
        return line;
    line.valid = isBatchForm(object) ? readBatchForm(object, &line) : readShortForm(object, &line);
    return line;
}

bool InputLineParser::readId(const QJsonObject &object, InputLine *line)
{
    const QLatin1StringView key = isBatchForm(object) ? "custom_id"_L1 : "id"_L1;
    if (!object.contains(key))
        return fail(line, u"missing %1"_s.arg(key));
    const QString id = peekId(object);
    if (id.trimmed().isEmpty())
        return fail(line, u"%1 must be a non-empty string"_s.arg(key));
    if (id.size() > MaxIdLength)
        return fail(line, u"%1 is longer than %2 characters"_s.arg(key).arg(MaxIdLength));
    const auto seen = m_seen.constFind(id);
    if (seen != m_seen.constEnd())
        return fail(line, u"duplicate %1 \"%2\" (first on line %3)"_s.arg(key, id).arg(seen.value()));
    m_seen.insert(id, line->lineNumber);
    line->customId = id;
    return true;
}

bool InputLineParser::readBatchForm(const QJsonObject &object, InputLine *line) const
{
    const QJsonValue method = object.value("method"_L1);
    if (!method.isUndefined() && method.toString().compare("POST"_L1, Qt::CaseInsensitive) != 0)
        return fail(line, u"method must be POST"_s);
    const QJsonValue url = object.value("url"_L1);
    if (!url.isUndefined()) {
        if (!url.isString() || url.toString().isEmpty())
            return fail(line, u"url must be a non-empty string"_s);
        const QUrl target = joinApiUrl(m_baseUrl, url.toString());
        if (target != m_chatUrl && target != m_responsesUrl)
            return fail(line,
                        u"url %1 is not supported: only /v1/chat/completions and /v1/responses"_s.arg(
                            url.toString()));
        line->isResponses = target == m_responsesUrl;
    }
    const QJsonValue body = object.value("body"_L1);
    if (!body.isObject())
        return fail(line, u"body is missing or not an object"_s);
    return line->isResponses ? readResponsesBody(body.toObject(), line) : readBody(body.toObject(), line);
}

bool InputLineParser::readShortForm(const QJsonObject &object, InputLine *line) const
{
    QJsonObject body = object;
    body.remove("id"_L1);
    const QJsonValue prompt = body.take("prompt"_L1);
    const QJsonValue system = body.take("system"_L1);
    if (!system.isUndefined() && !system.isString())
        return fail(line, u"system must be a string"_s);
    if (prompt.isUndefined() && !body.contains("messages"_L1))
        return fail(line, u"missing prompt"_s);
    if (!prompt.isUndefined()) {
        if (!prompt.isString())
            return fail(line, u"prompt must be a string"_s);
        if (body.contains("messages"_L1))
            return fail(line, u"give prompt or messages, not both"_s);
        QJsonArray messages;
        if (!system.isUndefined())
            messages.append(QJsonObject { { u"role"_s, u"system"_s }, { u"content"_s, system } });
        messages.append(QJsonObject { { u"role"_s, u"user"_s }, { u"content"_s, prompt } });
        body.insert("messages"_L1, messages);
    }
    return readBody(body, line);
}

bool InputLineParser::readBody(const QJsonObject &body, InputLine *line) const
{
    QString reason;
    std::optional<ChatRequest> request = ChatRequest::fromJsonObject(body, &reason);
    if (!request)
        return fail(line, u"bad body: %1"_s.arg(reason));
    if (request->messages.isEmpty())
        return fail(line, u"bad body: messages is empty"_s);
    if (request->model.isEmpty())
        request->model = m_defaultModel;
    line->request = std::move(*request);
    return true;
}

bool InputLineParser::readResponsesBody(const QJsonObject &body, InputLine *line) const
{
    QString reason;
    std::optional<ResponsesRequest> request = ResponsesRequest::fromJsonObject(body, &reason);
    if (!request)
        return fail(line, u"bad body: %1"_s.arg(reason));
    if (request->model.isEmpty())
        request->model = m_defaultModel;
    line->responses = std::move(*request);
    return true;
}

} // namespace gp
