#include "core/pacing/tokenbucket.h"

#include <algorithm>
#include <cmath>

namespace gp {

namespace {
double finiteOrZero(double v)
{
    return std::isfinite(v) ? std::max(0.0, v) : 0.0;
}
} // namespace

TokenBucket::TokenBucket(double ratePerSecond, double capacity, qint64 nowMs)
    : m_limited(true)
    , m_ratePerMs(finiteOrZero(ratePerSecond) / 1000.0)
    , m_capacity(finiteOrZero(capacity))
    , m_level(m_capacity)
    , m_lastMs(nowMs)
{ }

void TokenBucket::configure(double ratePerSecond, double capacity, qint64 nowMs)
{
    if (!m_limited) {
        *this = TokenBucket(ratePerSecond, capacity, nowMs);
        return;
    }
    advance(nowMs);
    m_ratePerMs = finiteOrZero(ratePerSecond) / 1000.0;
    m_capacity = finiteOrZero(capacity);
    m_level = std::min(m_level, m_capacity);
}

void TokenBucket::advance(qint64 nowMs)
{
    // A clock stepping back must not refill or drain anything.
    if (nowMs > m_lastMs) {
        m_level = std::min(m_capacity, m_level + double(nowMs - m_lastMs) * m_ratePerMs);
        m_lastMs = nowMs;
    }
}

double TokenBucket::level(qint64 nowMs) const
{
    if (!m_limited)
        return 0.0;
    const double dt = nowMs > m_lastMs ? double(nowMs - m_lastMs) : 0.0;
    return std::min(m_capacity, m_level + dt * m_ratePerMs);
}

qint64 TokenBucket::msUntil(qint64 nowMs, double amount, double keep) const
{
    if (!m_limited)
        return 0;
    const double need = std::min(m_capacity, finiteOrZero(amount) + finiteOrZero(keep));
    if (finiteOrZero(amount) > m_capacity)
        return -1;
    const double missing = need - level(nowMs);
    if (missing <= 1e-9)
        return 0;
    if (m_ratePerMs <= 0.0)
        return -1;
    return qint64(std::ceil(missing / m_ratePerMs));
}

void TokenBucket::take(qint64 nowMs, double amount)
{
    if (!m_limited)
        return;
    advance(nowMs);
    m_level -= finiteOrZero(amount);
}

void TokenBucket::give(qint64 nowMs, double amount)
{
    if (!m_limited)
        return;
    advance(nowMs);
    m_level = std::min(m_capacity, m_level + finiteOrZero(amount));
}

void TokenBucket::setLevel(qint64 nowMs, double level)
{
    if (!m_limited)
        return;
    advance(nowMs);
    m_level = std::isfinite(level) ? std::min(m_capacity, level) : m_level;
}

} // namespace gp
