#pragma once

#include "core/wire/usage.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gp {

// A Responses API response object: the body of a non-streaming POST /v1/responses, and
// the `response` of the response.created / .completed / .failed / .incomplete events.
struct ResponsesResponse
{
    QString id; // what a follow-up sends as previous_response_id
    QString model; // the resolved model
    QString status; // "completed", "failed", "incomplete", "in_progress", ...
    qint64 createdAt = 0;
    QString text; // every output_text part of every message item, in order
    QString reasoningText; // reasoning items' summary / content text, when the model shows any
    QString previousResponseId;
    QString errorCode; // `error` of a failed response
    QString errorMessage;
    QString incompleteReason; // incomplete_details.reason, e.g. "max_output_tokens"
    Usage usage;

    bool isCompleted() const { return status == QLatin1StringView("completed"); }
    bool operator==(const ResponsesResponse &) const = default;
};

// Responses usage in our Usage terms. On the wire output_tokens already contains the
// reasoning tokens (xAI: total = input + output); Usage keeps reasoning apart from
// completion, so completionTokens = output_tokens - reasoning_tokens. Bad counts read as 0,
// a missing total as input + output. Sets `present`.
Usage parseResponsesUsage(const QJsonObject &usage);
// A response object already parsed from JSON; nullopt and a one-line *error when it has no
// id or status ("response has no id"), or output is not an array. `what` names it in errors.
std::optional<ResponsesResponse> responsesResponseFromObject(const QJsonObject &object,
                                                             QLatin1StringView what, QString *error);
// nullopt and a one-line *error on: "response is empty", "response is not JSON: ...",
// "response is not a JSON object", "response carries an error: <message>" (an error body
// with a 2xx), or what responsesResponseFromObject refuses. `error` may be null.
std::optional<ResponsesResponse> parseResponsesResponse(const QByteArray &body, QString *error);

} // namespace gp
