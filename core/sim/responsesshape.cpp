#include "core/sim/responsesshape.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gp::sim {

namespace {

QString contentText(const QJsonValue &content, const QString &where, QString *error)
{
    if (content.isString())
        return content.toString();
    if (!content.isArray()) {
        *error = where + u".content must be a string or an array of content parts"_s;
        return {};
    }
    QStringList texts;
    for (const QJsonValue &part : content.toArray()) {
        if (!part.isObject()) {
            *error = where + u".content parts must be objects"_s;
            return {};
        }
        if (part.toObject().value("text"_L1).isString())
            texts.append(part.toObject().value("text"_L1).toString());
    }
    return texts.join(u'\n');
}

QJsonObject message(const QString &role, const QString &content)
{
    return QJsonObject { { "role"_L1, role }, { "content"_L1, content } };
}

QJsonObject outputMessage(const QString &id, const QString &text)
{
    return QJsonObject {
        { "type"_L1, u"message"_s },
        { "id"_L1, id },
        { "role"_L1, u"assistant"_s },
        { "status"_L1, u"completed"_s },
        { "content"_L1,
          QJsonArray { QJsonObject {
              { "type"_L1, u"output_text"_s }, { "text"_L1, text }, { "annotations"_L1, QJsonArray() } } } },
    };
}

QJsonObject responseObject(const QString &id, const QString &model, const QString &status,
                           const QJsonArray &output, const QJsonValue &usage, const QString &previousId,
                           bool store)
{
    return QJsonObject {
        { "id"_L1, id },
        { "object"_L1, u"response"_s },
        { "created_at"_L1, QDateTime::currentSecsSinceEpoch() },
        { "model"_L1, model },
        { "status"_L1, status },
        { "output"_L1, output },
        { "usage"_L1, usage },
        { "previous_response_id"_L1, previousId.isEmpty() ? QJsonValue() : QJsonValue(previousId) },
        { "store"_L1, store },
    };
}

// The stream's last event: response.completed, or response.incomplete when the output ran out.
QJsonObject terminalEvent(QJsonObject response, const QString &finish, qint64 sequence)
{
    QString type = u"response.completed"_s;
    if (finish == "length"_L1) {
        type = u"response.incomplete"_s;
        response.insert("status"_L1, u"incomplete"_s);
        response.insert("incomplete_details"_L1, QJsonObject { { "reason"_L1, u"max_output_tokens"_s } });
    }
    return { { "type"_L1, type }, { "sequence_number"_L1, sequence }, { "response"_L1, response } };
}

// A chat stream's error chunk as a Responses error event.
QJsonObject errorEvent(const QJsonObject &chunk, qint64 sequence)
{
    return { { "type"_L1, u"error"_s },
             { "sequence_number"_L1, sequence },
             { "code"_L1, chunk.value("code"_L1) },
             { "message"_L1, chunk.value("error"_L1) },
             { "param"_L1, QJsonValue() } };
}

// An output_text event of the one message item: its text so far, or one delta of it.
QJsonObject textEvent(const QString &type, const QString &itemId, QLatin1String key, const QString &text,
                      qint64 sequence)
{
    return { { "type"_L1, type },      { "sequence_number"_L1, sequence }, { "item_id"_L1, itemId },
             { "output_index"_L1, 0 }, { "content_index"_L1, 0 },          { key, text } };
}

} // namespace

std::optional<QJsonArray> ResponsesShape::messages(const QJsonObject &body, const QJsonArray &history,
                                                   QString *error)
{
    QJsonArray messages = history;
    const QJsonValue instructions = body.value("instructions"_L1);
    if (!instructions.isUndefined() && !instructions.isNull() && !instructions.isString()) {
        *error = u"instructions must be a string"_s;
        return std::nullopt;
    }
    if (!instructions.toString().isEmpty())
        messages.append(message(u"system"_s, instructions.toString()));
    const QJsonValue input = body.value("input"_L1);
    if (input.isString()) {
        messages.append(message(u"user"_s, input.toString()));
        return messages;
    }
    if (!input.isArray() || input.toArray().isEmpty()) {
        *error = u"input must be a string or a non-empty array of input items"_s;
        return std::nullopt;
    }
    const QJsonArray items = input.toArray();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        const QString where = u"input[%1]"_s.arg(i);
        if (!items.at(i).isObject()) {
            *error = where + u" must be an object"_s;
            return std::nullopt;
        }
        if (!item.contains("role"_L1)) {
            if (item.value("output"_L1).isString()) // a tool output: the model reads it as text
                messages.append(message(u"user"_s, item.value("output"_L1).toString()));
            continue;
        }
        QString role = item.value("role"_L1).toString();
        if (role == "developer"_L1)
            role = u"system"_s;
        if (role != "system"_L1 && role != "user"_L1 && role != "assistant"_L1) {
            *error = where + u".role must be one of user, assistant, system, developer"_s;
            return std::nullopt;
        }
        const QString text = contentText(item.value("content"_L1), where, error);
        if (!error->isEmpty())
            return std::nullopt;
        messages.append(message(role, text));
    }
    return messages;
}

QByteArray ResponsesShape::chatBody(const QJsonObject &body, const QJsonArray &messages, bool stream)
{
    QJsonObject chat { { "messages"_L1, messages } };
    for (const auto key : { "model"_L1, "temperature"_L1, "top_p"_L1 }) {
        if (body.contains(key))
            chat.insert(key, body.value(key));
    }
    if (body.contains("max_output_tokens"_L1) && !body.value("max_output_tokens"_L1).isNull())
        chat.insert("max_completion_tokens"_L1, body.value("max_output_tokens"_L1));
    if (stream) {
        chat.insert("stream"_L1, true);
        chat.insert("stream_options"_L1, QJsonObject { { "include_usage"_L1, true } });
    }
    return QJsonDocument(chat).toJson(QJsonDocument::Compact);
}

QJsonObject ResponsesShape::usage(const QJsonObject &chatUsage)
{
    const qint64 reasoning
        = chatUsage.value("completion_tokens_details"_L1).toObject().value("reasoning_tokens"_L1).toInteger();
    const qint64 prompt = chatUsage.value("prompt_tokens"_L1).toInteger();
    const qint64 output = chatUsage.value("completion_tokens"_L1).toInteger() + reasoning;
    QJsonObject usage {
        { "input_tokens"_L1, prompt },
        { "input_tokens_details"_L1,
          QJsonObject { { "cached_tokens"_L1,
                          chatUsage.value("prompt_tokens_details"_L1)
                              .toObject()
                              .value("cached_tokens"_L1)
                              .toInteger() } } },
        { "output_tokens"_L1, output },
        { "output_tokens_details"_L1, QJsonObject { { "reasoning_tokens"_L1, reasoning } } },
        { "total_tokens"_L1, prompt + output },
    };
    if (chatUsage.contains("cost_in_usd_ticks"_L1))
        usage.insert("cost_in_usd_ticks"_L1, chatUsage.value("cost_in_usd_ticks"_L1));
    return usage;
}

QJsonObject ResponsesShape::fromChatCompletion(const QJsonObject &completion, const QString &responseId,
                                               const QString &previousId, bool store)
{
    const QJsonObject choice = completion.value("choices"_L1).toArray().first().toObject();
    const QString text = choice.value("message"_L1).toObject().value("content"_L1).toString();
    QJsonObject response = responseObject(responseId, completion.value("model"_L1).toString(), u"completed"_s,
                                          QJsonArray { outputMessage(u"msg_"_s + responseId, text) },
                                          usage(completion.value("usage"_L1).toObject()), previousId, store);
    if (choice.value("finish_reason"_L1).toString() == "length"_L1) {
        response.insert("status"_L1, u"incomplete"_s);
        response.insert("incomplete_details"_L1, QJsonObject { { "reason"_L1, u"max_output_tokens"_s } });
    }
    return response;
}

QByteArray ResponsesShape::event(const QJsonObject &data)
{
    return "event: " + data.value("type"_L1).toString().toUtf8()
        + "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

QList<QByteArray> ResponsesShape::fromChatEvents(const QList<QByteArray> &chatEvents,
                                                 const QString &responseId, const QString &model,
                                                 const QString &previousId, bool store, QString *answerText)
{
    QList<QByteArray> events;
    qint64 sequence = 0;
    const QString itemId = u"msg_"_s + responseId;
    events.append(event(
        { { "type"_L1, u"response.created"_s },
          { "sequence_number"_L1, sequence++ },
          { "response"_L1,
            responseObject(responseId, model, u"in_progress"_s, {}, QJsonValue(), previousId, store) } }));
    QString text;
    QJsonValue usage;
    QString finish = u"stop"_s;
    for (const QByteArray &chat : chatEvents) {
        const QByteArray data = chat.startsWith("data: ") ? chat.mid(6).trimmed() : QByteArray();
        if (data == "[DONE]") {
            const QJsonObject response
                = responseObject(responseId, model, u"completed"_s,
                                 QJsonArray { outputMessage(itemId, text) }, usage, previousId, store);
            events.append(event(terminalEvent(response, finish, sequence++)));
            continue;
        }
        QJsonParseError parseError;
        const QJsonObject chunk = QJsonDocument::fromJson(data, &parseError).object();
        if (parseError.error != QJsonParseError::NoError) {
            events.append(chat); // a malformed chunk stays malformed
            continue;
        }
        if (chunk.value("error"_L1).isString()) {
            events.append(event(errorEvent(chunk, sequence++)));
            continue;
        }
        const QJsonObject choice = chunk.value("choices"_L1).toArray().first().toObject();
        if (chunk.value("usage"_L1).isObject()) {
            usage = ResponsesShape::usage(chunk.value("usage"_L1).toObject());
            events.append(event({ { "type"_L1, u"response.output_item.done"_s },
                                  { "sequence_number"_L1, sequence++ },
                                  { "output_index"_L1, 0 },
                                  { "item"_L1, outputMessage(itemId, text) } }));
        } else if (choice.value("finish_reason"_L1).isString()) {
            finish = choice.value("finish_reason"_L1).toString();
            events.append(
                event(textEvent(u"response.output_text.done"_s, itemId, "text"_L1, text, sequence++)));
        } else {
            const QString delta = choice.value("delta"_L1).toObject().value("content"_L1).toString();
            text += delta;
            events.append(
                event(textEvent(u"response.output_text.delta"_s, itemId, "delta"_L1, delta, sequence++)));
        }
    }
    if (answerText)
        *answerText = text;
    return events;
}

} // namespace gp::sim
