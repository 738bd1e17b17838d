#include "core/client/failuredecider.h"

#include "core/policy/circuitbreaker.h"
#include "core/policy/retryplanner.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

FailureVerdict verdict(FailureVerdict::Action action, Error error)
{
    FailureVerdict v;
    v.action = action;
    v.error = std::move(error);
    return v;
}

} // namespace

FailureVerdict FailureDecider::decide(const AttemptResult &result, const Judgement &judgement,
                                      const FailureContext &context, Backoff &backoff)
{
    using Action = FailureVerdict::Action;
    const Classification &c = judgement.classification;
    if (result.outputStarted) {
        return verdict(
            Action::Interrupt,
            Error { ErrorClass::Interrupted, result.httpStatus, judgement.body.code,
                    u"stream cut after output began ("_s + c.message + u"); partial text kept"_s });
    }
    if (c.errorClass == ErrorClass::Authentication) {
        const Error error { ErrorClass::Authentication, result.httpStatus, judgement.body.code,
                            AttemptJudge::authMessage(c, context.apiKeySource, context.apiKeyEmpty) };
        return verdict(context.canRenewCredential ? Action::AwaitCredential : Action::Fail, error);
    }
    RetryPlanInput in;
    in.errorClass = c.errorClass;
    in.retriable = c.retriable;
    in.attempt = context.attempts;
    // While the endpoint mostly answers, a 529 or "at capacity" is as much chance as a 503 (the
    // pacer, not this job's backoff, slows the admission for it): the same cap and stretch.
    const bool endpointFault = breakerCountsAsFailure(c.errorClass) || c.errorClass == ErrorClass::Capacity;
    in.maxAttempts
        = endpointFault ? std::max(context.maxAttempts, context.attemptsWhileAnswering) : context.maxAttempts;
    in.hint = judgement.hint;
    in.quota = judgement.quota;
    in.backoffMs = c.retriable ? backoff.nextBackOffMs() : 0;
    if (context.healthyBackoffCapMs > 0 && endpointFault)
        in.backoffMs = std::min(in.backoffMs, context.healthyBackoffCapMs);
    in.nowMs = context.nowMs;
    in.deadlineMs = context.deadlineMs;
    in.hintCeilingMs = context.hintCeilingMs;
    const RetryPlan plan = RetryPlanner::planRetry(in);
    if (!plan.retry) {
        if (plan.failClass != ErrorClass::None) {
            return verdict(Action::Fail,
                           Error { plan.failClass, result.httpStatus, judgement.body.code,
                                   plan.message + u"; last error: "_s + c.message });
        }
        const QString tail = context.attempts > 1
            ? u" (gave up after "_s + QString::number(context.attempts) + u" attempts)"_s
            : QString();
        return verdict(Action::Fail,
                       Error { c.errorClass, result.httpStatus, judgement.body.code, c.message + tail });
    }
    FailureVerdict v;
    v.action = Action::Retry;
    v.retryReason = c.errorClass;
    v.delayMs = plan.delayMs;
    v.message = plan.message;
    return v;
}

} // namespace gp
