#pragma once

#include "core/pacing/pacer.h"
#include "core/policy/retrybudget.h"

#include <QList>
#include <QTimer>

namespace gp {

// The client's default pacer: no rate limits, only a concurrency cap, each ticket's
// not-before time (backoff), and the retry budget, which holds retry tickets until the
// budget allows them and rejects them only when that cannot happen before their deadline.
class PassThroughPacer final : public Pacer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PassThroughPacer)

public:
    explicit PassThroughPacer(int maxInFlight, RetryBudget budget = RetryBudget(), QObject *parent = nullptr);
    ~PassThroughPacer() override = default;

    std::optional<Error> enqueue(const PaceTicket &ticket) override;
    void cancel(quint64 jobId) override;
    void release(const PaceFeedback &feedback) override;
    PacingState state() const override;

    void setMaxInFlight(int maxInFlight);
    RetryBudget &budget() { return m_budget; }

private:
    void schedulePump();
    void pump();
    // Index of the next ticket to admit now, or -1; sets *wakeInMs when one waits for time.
    qsizetype nextAdmissible(qint64 nowMs, qint64 *wakeInMs);

    int m_maxInFlight = 8;
    int m_inFlight = 0;
    RetryBudget m_budget;
    QList<PaceTicket> m_queue; // priority order, FIFO within a priority
    QTimer m_pumpTimer; // wakes the pump for not-before times and budget waits
    bool m_pumpPosted = false; // a queued pump() is pending
    QString m_waitReason;
};

} // namespace gp
