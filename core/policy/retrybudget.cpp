#include "core/policy/retrybudget.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gp {

RetryBudget::RetryBudget(double ratio, double minPerSecond, qint64 windowMs)
    : m_ratio(std::isfinite(ratio) ? std::max(0.0, ratio) : 0.0)
    , m_minPerSecond(std::isfinite(minPerSecond) ? std::max(0.0, minPerSecond) : 0.0)
    , m_windowMs(std::max<qint64>(1, windowMs))
{ }

void RetryBudget::setLimits(double ratio, double minPerSecond)
{
    const RetryBudget clean(ratio, minPerSecond, m_windowMs);
    m_ratio = clean.m_ratio;
    m_minPerSecond = clean.m_minPerSecond;
}

void RetryBudget::prune(qint64 nowMs)
{
    while (!m_attempts.empty() && m_attempts.front() + m_windowMs <= nowMs)
        m_attempts.pop_front();
    while (!m_retries.empty() && m_retries.front() + m_windowMs <= nowMs)
        m_retries.pop_front();
}

void RetryBudget::recordAttempt(qint64 nowMs, bool isRetry)
{
    // Callers pass a steady clock; keep the deques sorted even if one steps back.
    const qint64 t = m_attempts.empty() ? nowMs : std::max(nowMs, m_attempts.back());
    m_attempts.push_back(t);
    if (isRetry) {
        m_retries.push_back(m_retries.empty() ? t : std::max(t, m_retries.back()));
        m_lastRetryMs = m_retries.back();
    }
    prune(nowMs);
}

double RetryBudget::allowedRetries(qint64 attempts) const
{
    return m_ratio * double(attempts);
}

double RetryBudget::floorIntervalMs() const
{
    return m_minPerSecond > 0.0 ? 1000.0 / m_minPerSecond : std::numeric_limits<double>::infinity();
}

bool RetryBudget::ratioAllows() const
{
    return double(m_retries.size()) + 1.0 <= allowedRetries(qint64(m_attempts.size())) + 1e-9;
}

bool RetryBudget::floorAllows(qint64 nowMs) const
{
    if (m_minPerSecond <= 0.0)
        return false;
    return !m_lastRetryMs || double(nowMs - *m_lastRetryMs) >= floorIntervalMs() - 1e-9;
}

bool RetryBudget::canRetry(qint64 nowMs)
{
    prune(nowMs);
    return ratioAllows() || floorAllows(nowMs);
}

qint64 RetryBudget::msUntilRatioAllows(qint64 nowMs) const
{
    // Only a retry leaving the window can turn "no" into "yes": test each such moment.
    size_t attemptIndex = 0;
    for (size_t i = 0; i < m_retries.size(); ++i) {
        const qint64 t = m_retries[i] + m_windowMs;
        while (attemptIndex < m_attempts.size() && m_attempts[attemptIndex] + m_windowMs <= t)
            ++attemptIndex;
        const double retriesLeft = double(m_retries.size() - (i + 1));
        const double attemptsLeft = double(m_attempts.size() - attemptIndex);
        if (retriesLeft + 1.0 <= allowedRetries(qint64(attemptsLeft)) + 1e-9)
            return std::max<qint64>(1, t - nowMs);
    }
    return -1;
}

qint64 RetryBudget::msUntilRetryAllowed(qint64 nowMs)
{
    if (canRetry(nowMs))
        return 0;
    qint64 wait = msUntilRatioAllows(nowMs);
    if (m_minPerSecond > 0.0 && m_lastRetryMs) {
        const double next = double(*m_lastRetryMs) + floorIntervalMs();
        const qint64 floorWait = std::max<qint64>(1, qint64(std::ceil(next - 1e-9)) - nowMs);
        wait = wait < 0 ? floorWait : std::min(wait, floorWait);
    }
    return wait < 0 ? m_windowMs : wait; // no floor and no traffic: nothing frees up by itself
}

qint64 RetryBudget::attemptsInWindow(qint64 nowMs)
{
    prune(nowMs);
    return qint64(m_attempts.size());
}

qint64 RetryBudget::retriesInWindow(qint64 nowMs)
{
    prune(nowMs);
    return qint64(m_retries.size());
}

} // namespace gp
