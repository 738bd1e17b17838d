#pragma once

#include "core/wire/chatresponse.h"
#include "core/wire/errorbody.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gp {

// Deferred chat completions: POST /v1/chat/completions with "deferred": true answers
// {"request_id": ...}; GET /v1/chat/deferred-completion/{request_id} answers 202 with an
// empty body until the result is ready, then 200 with the completion, once, within 24 h.
struct DeferredPoll
{
    enum class State {
        Pending, // 202: not ready yet, ask again later
        Ready, // 200 with a completion: `response`
        Gone, // 404: fetched already, expired or never known
        Failed, // any other status, or a 200 that does not parse: `error`
    };

    State state = State::Failed;
    ChatResponse response;
    ErrorBody error; // the server's error (Failed, Gone) or why a 200 did not parse
};

// The request id of a deferred submission; nullopt and a one-line *error (may be null)
// when the body is not a JSON object with a non-empty string request_id of at most 200
// characters from [A-Za-z0-9_-] (it goes into a URL path: no dots, slashes or queries).
std::optional<QString> parseDeferredRequestId(const QByteArray &body, QString *error);
// What one poll's HTTP status and body mean.
DeferredPoll readDeferredPoll(int httpStatus, const QByteArray &body);

} // namespace gp
