#pragma once

#include "core/client/attemptjudge.h"
#include "core/client/attemptresult.h"
#include "core/policy/backoff.h"
#include "core/policy/error.h"

#include <QString>

namespace gp {

// What the job is and may do when an attempt has failed.
struct FailureContext
{
    int attempts = 1; // attempts made so far, the failed one included
    int maxAttempts = 5;
    qint64 nowMs = 0; // steady clock
    qint64 deadlineMs = 0; // steady clock; 0 = none
    qint64 hintCeilingMs = 120000;
    // > 0: the longest backoff after an endpoint failure (5xx, reset, timeout, 529/capacity) while the
    // breaker says the endpoint answers most attempts (RequestJob: base / 2); the retry budget, not the
    // backoff, bounds the load.
    qint64 healthyBackoffCapMs = 0;
    // > maxAttempts: an endpoint failure (5xx, reset, timeout, 529/capacity) ends the job only after this
    // many attempts, the run the breaker's window makes rare (RequestJob: CircuitBreaker::chanceRunLength
    // while the endpoint mostly answers and the limit was not set for this request).
    int attemptsWhileAnswering = 0;
    bool canRenewCredential = false; // a provider is set and this job has not used a new key yet
    QString apiKeySource;
    bool apiKeyEmpty = false;
};

struct FailureVerdict
{
    enum class Action { Interrupt, AwaitCredential, Fail, Retry };
    Action action = Action::Fail;
    Error error; // Interrupt, AwaitCredential, Fail: the job's error
    ErrorClass retryReason = ErrorClass::None; // Retry: the failed attempt's class
    qint64 delayMs = 0; // Retry
    QString message; // Retry: the planner's explanation
};

// After a failed attempt: keep the partial stream, ask for a new key, retry or fail.
// No state and no I/O; the backoff is advanced only when a retry is possible.
class FailureDecider final
{
public:
    static FailureVerdict decide(const AttemptResult &result, const Judgement &judgement,
                                 const FailureContext &context, Backoff &backoff);
};

} // namespace gp
