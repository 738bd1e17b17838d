#include "core/sim/responseshandler.h"

#include "core/sim/chathandler.h"
#include "core/sim/responsesshape.h"
#include "core/sim/simerrors.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gp::sim {

namespace {

// The chat stream's events reshaped into Responses events; returns the streamed answer.
QString reshapeStream(SimResponse &r, const QString &id, const QString &previousId, bool store)
{
    QString answer;
    const QJsonObject first = QJsonDocument::fromJson(r.events.value(0).mid(6)).object();
    r.events = ResponsesShape::fromChatEvents(r.events, id, first.value("model"_L1).toString(), previousId,
                                              store, &answer);
    // response.created goes first: scripted stream faults keep their place in the answer.
    if (r.cutAfterEvents >= 0)
        r.cutAfterEvents += 1;
    if (r.stallAfterEvents >= 0)
        r.stallAfterEvents += 1;
    return answer;
}

// The first choice's message content of a chat completion.
QString completionAnswer(const QJsonObject &completion)
{
    return completion.value("choices"_L1)
        .toArray()
        .first()
        .toObject()
        .value("message"_L1)
        .toObject()
        .value("content"_L1)
        .toString();
}

} // namespace

SimResponse ResponsesHandler::handle(const HttpRequest &request, const QByteArray &requestId)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return SimErrors::flat(400,
                               u"The request body is not a JSON object: %1"_s.arg(parseError.errorString()));
    const QJsonObject body = document.object();
    const QJsonValue previous = body.value("previous_response_id"_L1);
    if (!previous.isUndefined() && !previous.isNull() && !previous.isString())
        return SimErrors::flat(400, u"previous_response_id must be a string"_s);
    QJsonArray history;
    if (!previous.toString().isEmpty()) {
        const auto stored = m_state.async.responses.conversations.constFind(previous.toString());
        if (stored == m_state.async.responses.conversations.constEnd())
            return SimErrors::flat(404,
                                   u"Response with id '%1' not found."_s.arg(previous.toString().left(100)));
        history = *stored;
    }
    const QJsonValue streamValue = body.value("stream"_L1);
    const QJsonValue storeValue = body.value("store"_L1);
    if ((!streamValue.isUndefined() && !streamValue.isNull() && !streamValue.isBool())
        || (!storeValue.isUndefined() && !storeValue.isNull() && !storeValue.isBool()))
        return SimErrors::flat(400, u"stream and store must be booleans"_s);
    QString error;
    const std::optional<QJsonArray> messages = ResponsesShape::messages(body, history, &error);
    if (!messages)
        return SimErrors::flat(400, error);
    const bool stream = streamValue.toBool(false);
    const bool store = storeValue.toBool(true); // the API's default: stored for 30 days

    HttpRequest chat = request;
    chat.path = "/v1/chat/completions";
    chat.body = ResponsesShape::chatBody(body, *messages, stream);
    SimResponse r = ChatHandler(m_state).handle(chat, requestId);
    if (r.status != 200 || r.resetBeforeHeaders)
        return r; // errors read as on the chat path
    const QString id = u"resp_"_s + QString::fromLatin1(requestId);
    const QString previousId = previous.toString();
    QString answer;
    if (stream) {
        answer = reshapeStream(r, id, previousId, store);
    } else {
        const QJsonObject completion = QJsonDocument::fromJson(r.body).object();
        if (completion.isEmpty())
            return r; // a malformed-body fault stays malformed
        answer = completionAnswer(completion);
        r.body = QJsonDocument(ResponsesShape::fromChatCompletion(completion, id, previousId, store))
                     .toJson(QJsonDocument::Compact);
    }
    if (store) {
        QJsonArray conversation = *messages;
        conversation.append(QJsonObject { { "role"_L1, u"assistant"_s }, { "content"_L1, answer } });
        m_state.async.responses.insert(id, conversation);
    }
    return r;
}

} // namespace gp::sim
