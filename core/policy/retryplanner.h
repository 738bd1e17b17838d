#pragma once

#include "core/policy/error.h"
#include "core/wire/quotasnapshot.h"
#include "core/wire/retryhint.h"

#include <QString>

namespace gp {

// The facts about one failed attempt that decide whether and when to retry it.
struct RetryPlanInput
{
    ErrorClass errorClass = ErrorClass::None;
    bool retriable = false;
    int attempt = 1; // the attempt that just failed, 1-based
    int maxAttempts = 5; // total attempts allowed, first included
    RetryHint hint; // retry-after-ms / Retry-After, as parsed from the headers
    QuotaSnapshot quota; // rate-limit headers of the same response
    qint64 backoffMs = 0; // the jittered backoff to use when the server gave no hint
    qint64 nowMs = 0; // steady clock
    qint64 deadlineMs = 0; // steady clock; 0 = none
    qint64 hintCeilingMs = 120000;
};

struct RetryPlan
{
    bool retry = false;
    qint64 delayMs = 0;
    RetryHintSource source = RetryHintSource::None; // None: computed backoff
    // When !retry: ErrorClass::None means "fail with the attempt's own error";
    // otherwise the planner's reason (RetryHintTooLong, DeadlineExceeded).
    ErrorClass failClass = ErrorClass::None;
    QString message;
};

// Server hints win over computed backoff, in order: retry-after-ms, Retry-After, the
// reset of an exhausted quota. A hint over the ceiling, or any wait that cannot end
// before the deadline, fails at once with a message naming the wait.
class RetryPlanner final
{
public:
    static RetryPlan planRetry(const RetryPlanInput &input);
    // The server-side wait, strongest source first; invalid when the server said nothing.
    static RetryHint effectiveHint(const RetryHint &hint, const QuotaSnapshot &quota);
    static QString formatDuration(qint64 ms); // "1.5 s", "2 min 5 s", "250 ms"
};

} // namespace gp
