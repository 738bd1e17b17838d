#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace gp {

// One item of a Responses `input` array. A message (role + content) keeps its content as
// sent when that was an array of parts; any other item (a function call output, a
// reasoning item, ...) is kept verbatim in `raw`.
struct ResponsesInputItem
{
    QString role; // "user", "assistant", "system", "developer"; empty for a raw item
    QString text; // the message text (input_text / output_text parts joined), for estimates
    QJsonValue content; // the content as sent when it was not a plain string
    QJsonObject raw; // a non-message item, written back unchanged
    bool operator==(const ResponsesInputItem &) const = default;
};

// Body of POST /v1/responses (xAI's preferred API; OpenAI's Responses shape).
struct ResponsesRequest
{
    QString model;
    QString inputText; // `input` as a string; used when `inputItems` is empty
    QList<ResponsesInputItem> inputItems;
    QString instructions; // a system prompt; not sent when empty
    std::optional<qint64> maxOutputTokens; // includes reasoning tokens
    std::optional<double> temperature;
    std::optional<double> topP;
    QString previousResponseId;
    std::optional<bool> store; // the API stores by default (30 days); sent only when set
    bool stream = false;
    QJsonObject extra; // unknown fields, passed through verbatim

    // `extra` first, then the set fields over it; `stream` only when true.
    QJsonObject toJsonObject() const;
    QByteArray toJson() const; // compact
    // Reads a request body (a batch input line). nullopt and a one-line *error (may be
    // null) when input is missing, empty or of the wrong type, a message has an unknown
    // role or unreadable content, or a known field has the wrong type.
    static std::optional<ResponsesRequest> fromJsonObject(const QJsonObject &object, QString *error);

    // Input-token estimate for pacing, the same rule as chat: ceil(characters / 4) of the
    // instructions and every message, + 4 per message (a string input is one) + 3.
    qint64 estimateInputTokens() const;
    // What the request may cost the tokens-per-minute window: input estimate + max output.
    qint64 estimateTotalTokens(qint64 defaultMaxOutputTokens) const;
    bool operator==(const ResponsesRequest &) const = default;
};

} // namespace gp
