#pragma once

#include "core/wire/usage.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace gp {

struct ChatChoice
{
    int index = 0;
    QString content;
    QString reasoningContent;
    QString finishReason;
    bool operator==(const ChatChoice &) const = default;
};

// A non-streaming chat completion.
struct ChatResponse
{
    QString id;
    QString model; // the resolved model, which may differ from the alias asked for
    qint64 created = 0;
    QList<ChatChoice> choices;
    Usage usage;

    QString text() const; // first choice's content, empty when none
    bool operator==(const ChatResponse &) const = default;
};

// One streamed chunk (the JSON in an SSE `data:` line).
struct ChatChunk
{
    QString id;
    QString model;
    QString deltaContent;
    QString deltaReasoning;
    QString finishReason;
    std::optional<Usage> usage; // the final usage chunk has empty choices
    bool operator==(const ChatChunk &) const = default;
};

// Missing, negative, fractional or > 2^53 counts read as 0 (cost: absent); a missing
// total_tokens is computed as prompt + completion + reasoning. Sets `present`.
Usage parseUsage(const QJsonObject &usage);
// nullopt + a one-line *error on bad input: "response is empty", "response is not JSON: ...",
// "response is not a JSON object", "response has no choices" (missing or empty),
// "choices[0].message.content is not a string", "response carries an error: <message>"
// (an xAI/OpenAI error body with a 200). `error` may be null.
std::optional<ChatResponse> parseChatResponse(const QByteArray &body, QString *error);
// Same for one SSE data payload (messages start with "chunk"); the first choice's delta
// is read; a chunk with empty or no choices is fine (the usage chunk). "[DONE]" is not
// JSON: check SseEvent::isDone() first.
std::optional<ChatChunk> parseChatChunk(const QByteArray &data, QString *error);

} // namespace gp
