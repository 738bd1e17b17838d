#include "core/client/passthroughpacer.h"

#include "core/events/steadyclock.h"
#include "core/policy/retryplanner.h"

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace gp {

PassThroughPacer::PassThroughPacer(int maxInFlight, RetryBudget budget, QObject *parent)
    : Pacer(parent)
    , m_maxInFlight(std::max(1, maxInFlight))
    , m_budget(std::move(budget))
{
    m_pumpTimer.setSingleShot(true);
    connect(&m_pumpTimer, &QTimer::timeout, this, &PassThroughPacer::pump);
}

std::optional<Error> PassThroughPacer::enqueue(const PaceTicket &ticket)
{
    PaceTicket queued = ticket;
    queued.enqueuedMs = SteadyClock::nowMs();
    // Keep priority order; a later ticket of the same priority goes behind earlier ones, except that
    // a retry after work goes ahead of its level's first tries (behind its retries), as in the Scheduler.
    const auto resumes = [](const PaceTicket &t) { return t.isRetry && !t.refusedBeforeWork; };
    const auto pos = std::find_if(m_queue.cbegin(), m_queue.cend(), [&](const PaceTicket &t) {
        return int(t.priority) > int(queued.priority)
            || (resumes(queued) && t.priority == queued.priority && !resumes(t));
    });
    m_queue.insert(pos - m_queue.cbegin(), queued);
    schedulePump();
    Q_EMIT stateChanged();
    return std::nullopt;
}

void PassThroughPacer::cancel(quint64 jobId)
{
    const auto removed = m_queue.removeIf([jobId](const PaceTicket &t) { return t.jobId == jobId; });
    if (removed > 0)
        Q_EMIT stateChanged();
}

void PassThroughPacer::release(const PaceFeedback &)
{
    if (m_inFlight > 0)
        --m_inFlight;
    schedulePump();
    Q_EMIT stateChanged();
}

void PassThroughPacer::setMaxInFlight(int maxInFlight)
{
    m_maxInFlight = std::max(1, maxInFlight);
    schedulePump();
}

PacingState PassThroughPacer::state() const
{
    PacingState s;
    for (const PaceTicket &t : m_queue)
        ++s.queued[int(t.priority)];
    s.inFlight = m_inFlight;
    s.maxInFlight = m_maxInFlight;
    s.waitReason = m_waitReason;
    return s;
}

void PassThroughPacer::schedulePump()
{
    // Never admit synchronously from enqueue()/release(): callers may be mid-update.
    // A zero timer runs on the next loop iteration without the wake-up syscall a posted
    // event costs (measured in bench_engine).
    if (!m_pumpTimer.isActive() || m_pumpTimer.remainingTime() > 0)
        m_pumpTimer.start(0);
}

qsizetype PassThroughPacer::nextAdmissible(qint64 now, qint64 *wakeInMs)
{
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        const PaceTicket &t = m_queue.at(i);
        if (t.notBeforeMs > now) {
            *wakeInMs = std::min(*wakeInMs, t.notBeforeMs - now);
            continue;
        }
        if (!t.isRetry)
            return i;
        const qint64 wait = m_budget.msUntilRetryAllowed(now);
        if (wait == 0)
            return i;
        if (t.deadlineMs > 0 && now + wait >= t.deadlineMs) {
            const quint64 rejectedJob = t.jobId;
            m_queue.removeAt(i);
            Q_EMIT rejected(rejectedJob,
                            Error { ErrorClass::RetryBudgetExhausted,
                                    0,
                                    {},
                                    u"retry budget exhausted: the next retry slot is in "_s
                                        + RetryPlanner::formatDuration(wait)
                                        + u", after the job's deadline"_s });
            return -2; // the queue changed under us: rescan
        }
        m_waitReason = u"retry budget"_s;
        *wakeInMs = std::min(*wakeInMs, wait);
    }
    return -1;
}

void PassThroughPacer::pump()
{
    qint64 wakeInMs = std::numeric_limits<qint64>::max();
    while (m_inFlight < m_maxInFlight) {
        const qint64 now = SteadyClock::nowMs();
        wakeInMs = std::numeric_limits<qint64>::max();
        const qsizetype index = nextAdmissible(now, &wakeInMs);
        if (index == -2)
            continue;
        if (index < 0)
            break;
        const PaceTicket ticket = m_queue.takeAt(index);
        ++m_inFlight;
        m_budget.recordAttempt(now, ticket.isRetry);
        m_waitReason.clear();
        Q_EMIT admitted(ticket.jobId); // may re-enter enqueue/cancel/release
    }
    if (m_inFlight >= m_maxInFlight)
        m_waitReason = u"concurrency"_s;
    else if (wakeInMs != std::numeric_limits<qint64>::max())
        m_pumpTimer.start(int(std::min<qint64>(wakeInMs, 24LL * 3600 * 1000)));
    Q_EMIT stateChanged();
}

} // namespace gp
