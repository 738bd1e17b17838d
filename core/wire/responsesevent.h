#pragma once

#include "core/wire/errorbody.h"
#include "core/wire/responsesresponse.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gp {

// One typed Server-Sent Event of a streamed Responses API call (OpenAI's Responses
// streaming format, which xAI speaks): the `type` field of the JSON in `data:` says what it is.
struct ResponsesEvent
{
    enum class Kind {
        Created, // response.created: the response object, status in_progress
        InProgress, // response.in_progress
        OutputTextDelta, // response.output_text.delta: `delta`
        ReasoningDelta, // response.reasoning_text.delta / response.reasoning_summary_text.delta
        Completed, // response.completed: the final response with usage
        Failed, // response.failed: the response, status failed, with its error
        Incomplete, // response.incomplete: stopped early (incomplete_details.reason)
        Error, // error: {code, message, param}; ends the stream
        Other, // any other type (output_item.added, content_part.done, ...): ignored
    };

    Kind kind = Kind::Other;
    QString type; // as sent, bounded
    QString delta;
    std::optional<ResponsesResponse> response; // Created/InProgress/Completed/Failed/Incomplete
    ErrorBody error; // Error
    qint64 sequenceNumber = -1;

    bool isTerminal() const
    {
        return kind == Kind::Completed || kind == Kind::Failed || kind == Kind::Incomplete;
    }
    bool operator==(const ResponsesEvent &) const = default;
};

// One SSE data payload (and its `event:` name, used when the JSON has no type). nullopt
// and a one-line *error when the payload is not a JSON object, a delta is not a string,
// or a lifecycle event has no usable response object. An xAI/OpenAI error body without a
// type reads as Kind::Error, so a proxy's mid-stream error is not lost.
std::optional<ResponsesEvent> parseResponsesEvent(const QByteArray &data, const QByteArray &eventName,
                                                  QString *error);

} // namespace gp
