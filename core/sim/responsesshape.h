#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace gp::sim {

// The Responses API as a view of the chat path: a /v1/responses body becomes the chat
// request the simulator already knows how to limit, fault and answer, and the chat answer
// becomes a Responses object or typed event stream (OpenAI's Responses streaming format).
class ResponsesShape final
{
public:
    // The chat messages of a Responses body: the stored history, instructions as a system
    // message, then the input. nullopt and a message naming the field on bad input.
    static std::optional<QJsonArray> messages(const QJsonObject &body, const QJsonArray &history,
                                              QString *error);
    // The chat request to run: model, messages, max_completion_tokens from max_output_tokens.
    static QByteArray chatBody(const QJsonObject &body, const QJsonArray &messages, bool stream);
    // A Responses object from a chat.completion object.
    static QJsonObject fromChatCompletion(const QJsonObject &completion, const QString &responseId,
                                          const QString &previousId, bool store);
    // Usage in Responses terms: output_tokens includes the reasoning tokens.
    static QJsonObject usage(const QJsonObject &chatUsage);
    // One Responses event per chat event, after a response.created: content chunks become
    // output_text deltas, the finish chunk output_text.done, the usage chunk
    // output_item.done, [DONE] response.completed; an error chunk an `error` event. A chunk
    // that does not parse is passed on unchanged (the malformed-JSON fault).
    static QList<QByteArray> fromChatEvents(const QList<QByteArray> &chatEvents, const QString &responseId,
                                            const QString &model, const QString &previousId, bool store,
                                            QString *answerText);
    static QByteArray event(const QJsonObject &data);
};

} // namespace gp::sim
