#pragma once

#include "core/wire/chatrequest.h"
#include "core/wire/responsesrequest.h"

#include <QString>

namespace gp {

// One parsed line of a batch input file: a request to send, or an input error that
// becomes a failed output line without stopping the run.
struct InputLine
{
    qint64 lineNumber = 0; // 1-based
    // The line's id; empty when it has none that is usable (missing, malformed, a
    // duplicate): its output line then has "custom_id": null and only its line number,
    // so a made-up id can never collide with a real one.
    QString customId;
    bool valid = false;
    ChatRequest request; // when valid, a chat line
    bool isResponses = false; // a line for /v1/responses: `responses` instead of `request`
    ResponsesRequest responses;
    QString error; // when invalid: one sentence, no line number
};

} // namespace gp
