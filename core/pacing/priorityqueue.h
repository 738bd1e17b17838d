#pragma once

#include "core/pacing/pacer.h"

#include <QList>

#include <deque>
#include <functional>
#include <map>
#include <optional>

namespace gp {

// The bounded ticket queue: FIFO within a priority level, interactive > normal >
// background, and aging: every `agingMs` a ticket has waited lifts it one level, so
// nothing starves. Tickets whose notBeforeMs lies ahead wait aside until due. A retry after
// work was done (not of a 429) goes ahead of its level's first tries once due: a request
// already begun ends before new ones start, as with a client that retries in its own task.
// Pure: time is passed in (steady ms).
class PriorityQueue final
{
public:
    explicit PriorityQueue(int capacity = 10000, qint64 agingMs = 10000);

    bool isFull() const { return size() >= m_capacity; }
    bool isEmpty() const { return size() == 0; }
    int size() const;
    int size(Priority priority) const;
    int capacity() const { return m_capacity; }

    // False when full. The ticket's enqueuedMs must be set.
    bool push(const PaceTicket &ticket);
    // The ticket to admit next among those due at nowMs; nullopt when none is due. Tickets for
    // which `skip` is true are passed over where they stand (they keep their place).
    std::optional<PaceTicket> peek(qint64 nowMs, const std::function<bool(const PaceTicket &)> &skip = {});
    std::optional<PaceTicket> take(quint64 jobId);
    bool contains(quint64 jobId) const;

    // Earliest notBeforeMs still ahead, and earliest deadline of any ticket.
    std::optional<qint64> nextDueMs() const;
    std::optional<qint64> earliestDeadlineMs() const;
    // Ids of tickets whose deadline is at or before `ms`.
    QList<quint64> deadlinesBefore(qint64 ms) const;

    // Effective level after aging (smaller is more urgent; may go below 0).
    qint64 effectiveLevel(const PaceTicket &ticket, qint64 nowMs) const;

private:
    void promoteDue(qint64 nowMs);
    void makeReady(const PaceTicket &ticket);

    int m_capacity = 10000;
    qint64 m_agingMs = 10000;
    std::deque<PaceTicket> m_ready[PriorityCount];
    std::multimap<qint64, PaceTicket> m_delayed; // by notBeforeMs
};

} // namespace gp
