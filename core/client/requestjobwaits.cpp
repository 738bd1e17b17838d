// RequestJob while it waits on something outside it: the circuit breaker, or a new API key.
#include "core/client/requestjob.h"

#include "core/client/breakergate.h"
#include "core/client/jobcontext.h"
#include "core/events/steadyclock.h"

namespace gp {

void RequestJob::holdForBreaker()
{
    if (auto error = m_context->gate->hold(m_id, SteadyClock::nowMs(), m_deadlineMs)) {
        fail(std::move(*error));
        return;
    }
    m_stage = Stage::Holding;
}

void RequestJob::releaseFromBreaker()
{
    if (m_stage == Stage::Holding)
        enqueue(0);
}

void RequestJob::resumeWithNewKey()
{
    if (m_stage != Stage::AwaitingCredential)
        return;
    m_usedNewCredential = true;
    m_nextIsRetry = false; // a resubmission with a new key, not a retry of a failure
    enqueue(0);
}

void RequestJob::failForDeclinedKey()
{
    if (m_stage == Stage::AwaitingCredential)
        fail(m_pendingError);
}

} // namespace gp
