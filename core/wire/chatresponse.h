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

Usage parseUsage(const QJsonObject &usage);
// nullopt + *error ("response is not JSON: ...", "response has no choices") on bad input.
std::optional<ChatResponse> parseChatResponse(const QByteArray &body, QString *error);
std::optional<ChatChunk> parseChatChunk(const QByteArray &data, QString *error);

} // namespace gp
