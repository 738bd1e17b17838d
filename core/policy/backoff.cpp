#include "core/policy/backoff.h"

#include <algorithm>
#include <cmath>

namespace gp {

Backoff::Backoff(JitterKind jitter, qint64 baseMs, qint64 capMs, double multiplier,
                 std::function<double()> uniform01)
    : m_jitter(jitter)
    , m_baseMs(std::max<qint64>(0, baseMs))
    , m_capMs(std::max<qint64>(0, capMs))
    , m_multiplier(std::isfinite(multiplier) && multiplier >= 1.0 ? multiplier : 1.0)
    , m_uniform(std::move(uniform01))
    , m_previousMs(m_baseMs)
{ }

qint64 Backoff::ceilingFor(int n) const
{
    // Computed in double and clamped so a long retry streak can never overflow.
    const double raw = double(m_baseMs) * std::pow(m_multiplier, n);
    if (!std::isfinite(raw) || raw >= double(m_capMs))
        return m_capMs;
    return qint64(raw);
}

qint64 Backoff::nextBackOffMs()
{
    const double u = std::clamp(m_uniform ? m_uniform() : 0.0, 0.0, 1.0);
    qint64 delay = 0;
    switch (m_jitter) {
    case JitterKind::Full: delay = qint64(u * double(ceilingFor(m_count))); break;
    case JitterKind::Equal: {
        const qint64 ceiling = ceilingFor(m_count);
        delay = ceiling / 2 + qint64(u * double(ceiling - ceiling / 2));
        break;
    }
    case JitterKind::Decorrelated: {
        const double upper = std::max(double(m_baseMs), double(m_previousMs) * 3.0);
        delay = std::min(m_capMs, qint64(double(m_baseMs) + u * (upper - double(m_baseMs))));
        m_previousMs = std::max<qint64>(delay, 1);
        break;
    }
    }
    ++m_count;
    return std::clamp<qint64>(delay, 0, m_capMs);
}

void Backoff::reset()
{
    m_count = 0;
    m_previousMs = m_baseMs;
}

} // namespace gp
