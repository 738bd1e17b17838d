#pragma once

#include "core/policy/errorclass.h"
#include "core/policy/transporterror.h"
#include "core/wire/errorbody.h"

#include <QString>

#include <optional>

namespace gp {

// Everything one attempt's end tells the classifier. Headers arrive pre-parsed
// (x-should-retry) so that this table needs no HTTP library.
struct ClassifierInput
{
    int httpStatus = 0; // 0 when no response headers arrived
    ErrorBody body; // parsed error body (non-2xx) or mid-stream error event
    TransportError transport = TransportError::None;
    bool malformedSuccess = false; // a 2xx whose body was truncated or not the expected JSON
    std::optional<bool> shouldRetry; // x-should-retry, when the server sent it
    bool streamErrorEvent = false; // the error arrived as an SSE data line after a 200
    qint64 requestTokens = 0; // this request's own estimate (prompt + max completion); 0 unknown
};

struct Classification
{
    ErrorClass errorClass = ErrorClass::None;
    bool retriable = false;
    QString message; // one human sentence: what happened and, for fatal ones, why it stops
    bool isSuccess() const { return errorClass == ErrorClass::None; }
};

// The classification table (the real API's statuses and error wordings). Pure: the same
// input, the same row.
Classification classifyAttempt(const ClassifierInput &input);

// Detects "Tokens per Minute (actual/limit): 65605/16000" with actual > limit.
bool messageSaysTokensExceedLimit(const QString &message);
// The same numbers, but about this one request (never satisfiable as sent) rather than the
// team's minute running out: says "too large" / "reduce", or the request alone is over the
// limit, or nothing says the team exceeded its quota ("slow down", "has exceeded").
bool requestAloneExceedsTokenLimit(const ErrorBody &body, qint64 requestTokens);
// Credits or spending limit exhausted (429/403): never retriable.
bool messageSaysCreditsExhausted(const ErrorBody &body);
// "at capacity", "overloaded": the service, not our quota.
bool messageSaysCapacity(const ErrorBody &body);
// 400 with "Incorrect API key" and friends.
bool messageSaysBadApiKey(const ErrorBody &body);

} // namespace gp
