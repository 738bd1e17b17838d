#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gp {

struct ChatMessage
{
    QString role; // "system", "user", "assistant"
    QString content;
    bool operator==(const ChatMessage &) const = default;
};

// Body of POST /v1/chat/completions.
struct ChatRequest
{
    QString model;
    QList<ChatMessage> messages;
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<qint64> maxCompletionTokens;
    QStringList stop;
    std::optional<qint64> seed;
    bool stream = false;
    bool includeUsage = true; // stream_options.include_usage, only sent when streaming
    QJsonObject extra; // unknown fields, passed through verbatim

    // Writes `extra` first, then the set fields over it: model only when non-empty,
    // stop as an array, stream and stream_options only when streaming.
    QJsonObject toJsonObject() const;
    QByteArray toJson() const; // compact
    // Reads a request body (batch input lines). Unknown fields go to `extra`; a missing
    // model stays empty for the caller to fill; null means absent; stop may be a string.
    // On bad input returns nullopt and a one-line reason in *error (which may be null):
    // messages missing, not an array or empty, a role other than system/user/assistant,
    // non-string content, or a known field of the wrong type.
    static std::optional<ChatRequest> fromJsonObject(const QJsonObject &object, QString *error);

    // Prompt-token estimate used for pacing, before the server reports real usage:
    // ceil(Unicode characters of all message contents / 4) + 4 per message (role and
    // framing) + 3 (reply primer). Roughly right for English; an upper-ish bound for code.
    qint64 estimatePromptTokens() const;
    bool operator==(const ChatRequest &) const = default;
};

} // namespace gp
