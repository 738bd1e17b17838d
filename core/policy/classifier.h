#pragma once

#include "core/policy/errorclass.h"
#include "core/policy/transporterror.h"
#include "core/wire/errorbody.h"
#include "core/wire/statedlimit.h"

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
    QList<StatedLimit> statedLimits; // what a 429 body said the limits are
    bool isSuccess() const { return errorClass == ErrorClass::None; }
};

// The classification table (the real API's statuses and error wordings). Pure: the same
// input, the same row.
Classification classifyAttempt(const ClassifierInput &input);

// Our token estimates (prompt estimate + max completion tokens) may be off by this share.
inline constexpr double TokenEstimateMargin = 0.1;
// This request, as estimated, can never fit a token limit of `limit`: over it beyond the margin.
bool estimateExceedsTokenLimit(qint64 estimate, qint64 limit);
// A token 429 about this one request (never satisfiable as sent) rather than a full window,
// decided from numbers alone (xAI words both cases alike): our estimate exceeds a stated token
// limit, or the server counted (about) just this request and that count exceeds the limit.
bool requestAloneExceedsTokenLimit(const QList<StatedLimit> &limits, qint64 requestTokens);
// Credits or spending limit exhausted (429/403): never retriable.
bool messageSaysCreditsExhausted(const ErrorBody &body);
// "at capacity", "overloaded": the service, not our quota.
bool messageSaysCapacity(const ErrorBody &body);
// 400 with "Incorrect API key" and friends.
bool messageSaysBadApiKey(const ErrorBody &body);

} // namespace gp
