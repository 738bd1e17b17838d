#include "core/pacing/priorityqueue.h"

#include <algorithm>

namespace gp {

PriorityQueue::PriorityQueue(int capacity, qint64 agingMs)
    : m_capacity(std::max(1, capacity))
    , m_agingMs(std::max<qint64>(1, agingMs))
{ }

int PriorityQueue::size() const
{
    int n = int(m_delayed.size());
    for (const auto &level : m_ready)
        n += int(level.size());
    return n;
}

int PriorityQueue::size(Priority priority) const
{
    const int index = std::clamp(int(priority), 0, PriorityCount - 1);
    const auto delayed = std::count_if(m_delayed.begin(), m_delayed.end(),
                                       [&](const auto &entry) { return entry.second.priority == priority; });
    return int(m_ready[index].size()) + int(delayed);
}

bool PriorityQueue::push(const PaceTicket &ticket)
{
    if (isFull())
        return false;
    if (ticket.notBeforeMs > 0)
        m_delayed.emplace(ticket.notBeforeMs, ticket);
    else
        makeReady(ticket);
    return true;
}

void PriorityQueue::makeReady(const PaceTicket &ticket)
{
    std::deque<PaceTicket> &level = m_ready[std::clamp(int(ticket.priority), 0, PriorityCount - 1)];
    const auto resumes = [](const PaceTicket &t) { return t.isRetry && !t.refusedBeforeWork; };
    if (resumes(ticket)) // after the retries already there, ahead of every first try
        level.insert(std::find_if_not(level.begin(), level.end(), resumes), ticket);
    else
        level.push_back(ticket);
}

void PriorityQueue::promoteDue(qint64 nowMs)
{
    while (!m_delayed.empty() && m_delayed.begin()->first <= nowMs) {
        makeReady(m_delayed.begin()->second);
        m_delayed.erase(m_delayed.begin());
    }
}

qint64 PriorityQueue::effectiveLevel(const PaceTicket &ticket, qint64 nowMs) const
{
    const qint64 waited = std::max<qint64>(0, nowMs - ticket.enqueuedMs);
    return qint64(ticket.priority) - waited / m_agingMs;
}

std::optional<PaceTicket> PriorityQueue::peek(qint64 nowMs,
                                              const std::function<bool(const PaceTicket &)> &skip)
{
    promoteDue(nowMs);
    const PaceTicket *best = nullptr;
    qint64 bestLevel = 0;
    for (const auto &level : m_ready) {
        auto head = level.begin();
        if (skip)
            head = std::find_if_not(level.begin(), level.end(), skip);
        if (head == level.end())
            continue;
        const qint64 eff = effectiveLevel(*head, nowMs);
        // Levels are scanned most urgent first, so ties keep the higher priority; an
        // aged ticket of a lower level wins only when strictly more urgent.
        if (!best || eff < bestLevel) {
            best = &*head;
            bestLevel = eff;
        }
    }
    return best ? std::optional<PaceTicket>(*best) : std::nullopt;
}

std::optional<PaceTicket> PriorityQueue::take(quint64 jobId)
{
    for (auto &level : m_ready) {
        const auto it
            = std::find_if(level.begin(), level.end(), [&](const PaceTicket &t) { return t.jobId == jobId; });
        if (it != level.end()) {
            PaceTicket ticket = *it;
            level.erase(it);
            return ticket;
        }
    }
    for (auto it = m_delayed.begin(); it != m_delayed.end(); ++it) {
        if (it->second.jobId == jobId) {
            PaceTicket ticket = it->second;
            m_delayed.erase(it);
            return ticket;
        }
    }
    return std::nullopt;
}

bool PriorityQueue::contains(quint64 jobId) const
{
    for (const auto &level : m_ready) {
        if (std::any_of(level.begin(), level.end(), [&](const PaceTicket &t) { return t.jobId == jobId; }))
            return true;
    }
    return std::any_of(m_delayed.begin(), m_delayed.end(),
                       [&](const auto &entry) { return entry.second.jobId == jobId; });
}

std::optional<qint64> PriorityQueue::nextDueMs() const
{
    return m_delayed.empty() ? std::nullopt : std::optional<qint64>(m_delayed.begin()->first);
}

std::optional<qint64> PriorityQueue::earliestDeadlineMs() const
{
    std::optional<qint64> earliest;
    auto consider = [&](const PaceTicket &t) {
        if (t.deadlineMs > 0 && (!earliest || t.deadlineMs < *earliest))
            earliest = t.deadlineMs;
    };
    for (const auto &level : m_ready)
        std::for_each(level.begin(), level.end(), consider);
    for (const auto &entry : m_delayed)
        consider(entry.second);
    return earliest;
}

QList<quint64> PriorityQueue::deadlinesBefore(qint64 ms) const
{
    QList<quint64> ids;
    auto consider = [&](const PaceTicket &t) {
        if (t.deadlineMs > 0 && t.deadlineMs <= ms)
            ids.append(t.jobId);
    };
    for (const auto &level : m_ready)
        std::for_each(level.begin(), level.end(), consider);
    for (const auto &entry : m_delayed)
        consider(entry.second);
    return ids;
}

} // namespace gp
