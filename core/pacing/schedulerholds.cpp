// The Scheduler's holds: what sets a ticket aside without holding the tickets behind it (the
// retry budget for one retry; a model's own gates for that model's tickets). The pass is
// scheduler.cpp.
#include "core/pacing/scheduler.h"
#include "core/pacing/sharedlimiter.h"

#include <algorithm>

namespace gp {

namespace {
constexpr qint64 Never = PacingGates::Never;
constexpr qint64 ModelRecheckMs = 60000; // a model held with no time known is looked at again this often
} // namespace

// A retry after work was done waits for the retry budget, set aside so first tries behind it
// keep flowing; a 429's retry is paced by the gates alone. True when the head was set aside.
bool Scheduler::holdRetry(const PaceTicket &head, qint64 nowMs)
{
    if (!head.isRetry || head.refusedBeforeWork)
        return false;
    const qint64 budgetWait = m_retryBudget.msUntilRetryAllowed(nowMs);
    if (budgetWait <= 0)
        return false;
    PaceTicket later = *m_queue.take(head.jobId);
    if (later.deadlineMs > 0 && nowMs + budgetWait > later.deadlineMs) {
        reject(later.jobId, ErrorClass::RetryBudgetExhausted,
               QStringLiteral("The retry budget does not allow another attempt before the deadline."));
        return true;
    }
    later.notBeforeMs = nowMs + budgetWait;
    m_queue.push(later);
    return true;
}

// What holds one model holds only that model's tickets: they keep their place in the queue and
// the pass looks past them, so another model's tickets behind them go when the other gates allow.
bool Scheduler::holdModel(const PaceTicket &head, qint64 holdMs, const QString &why, qint64 nowMs,
                          QSet<QString> *heldModels, qint64 *wakeInMs)
{
    m_waitReason = why;
    if (holdMs != Never && head.deadlineMs > 0 && nowMs + holdMs > head.deadlineMs) {
        m_queue.take(head.jobId);
        reject(
            head.jobId, ErrorClass::DeadlineExceeded,
            QStringLiteral("The request could not be sent before its deadline (waiting for %1).").arg(why));
        return true;
    }
    heldModels->insert(head.model);
    // Never: a release of the model's own attempts wakes the next pass; the recheck is a backstop.
    *wakeInMs = std::min(*wakeInMs, holdMs == Never ? ModelRecheckMs : holdMs);
    return true;
}

// The gates of the ticket's model alone: the limits its 429s stated, else its learned limit and,
// before its first loss, its start window. 0: free; Never: until one of its attempts ends.
qint64 Scheduler::modelHoldMs(const PaceTicket &ticket, qint64 nowMs, QString *reason)
{
    forgetRemembered(ticket.model, nowMs, false);
    StatedLimitGates *stated = statedFor(ticket.model);
    qint64 hold = stated ? stated->waitMs(nowMs, ticket.estimatedTokens, reason) : 0;
    // Shared: the instances' common gate in Redis paces instead of this one's learned limit.
    // A model whose 429s stated its request limit is paced by that limit, not by learning.
    const bool shared = m_shared && m_shared->isShared();
    const bool toldThisRun = stated && !stated->isRemembered();
    if (shared || (toldThisRun && stated->limitsRequests()))
        return hold;
    // An unknown limit is probed no faster than its answers come back; a stated one needs no probe.
    // A remembered one is probed too: the server's window at the start is unknown.
    if (!toldThisRun) {
        if (const qint64 window = startWindowHoldMs(ticket.model, nowMs); window > 0 && window >= hold) {
            *reason = QStringLiteral("start-window");
            return window;
        }
    }
    QString why;
    if (const qint64 learned = m_gates.learnedWaitMs(nowMs, ticket.model, &why); learned > hold) {
        hold = learned;
        *reason = why;
    }
    return hold;
}

// The start window counts the model's attempts in flight that are younger than its horizon: one
// unanswered for longer has passed a limiter that refuses before work. Full: 0 when one more may go,
// else the time until the oldest counted attempt leaves the window (Never: until one is released).
qint64 Scheduler::startWindowHoldMs(const QString &model, qint64 nowMs) const
{
    const std::optional<int> window = m_gates.startWindow(model);
    if (!window)
        return 0;
    const std::optional<qint64> horizon = m_gates.startWindowHorizonMs(model);
    int counted = 0;
    qint64 leavesInMs = Never;
    for (const Admission &admission : m_inFlight) {
        if (admission.model != model)
            continue;
        const qint64 age = nowMs - admission.admittedMs;
        if (horizon && age >= *horizon)
            continue;
        ++counted;
        if (horizon)
            leavesInMs = std::min(leavesInMs, std::max<qint64>(1, *horizon - age));
    }
    return counted >= *window ? leavesInMs : 0;
}

} // namespace gp
