#include "app/batch/giveuprule.h"

namespace gp {

GiveUpRule::GiveUpRule(qint64 afterMs)
    : m_afterMs(afterMs)
{ }

void GiveUpRule::onBreakerState(BreakerState state, qint64 nowMs)
{
    if (state == BreakerState::Closed) {
        m_open = false;
        return;
    }
    if (!m_open) { // half-open <-> open flips keep the first opening time
        m_open = true;
        m_openSinceMs = nowMs;
    }
}

void GiveUpRule::onSuccess(qint64 nowMs)
{
    m_lastSuccessMs = nowMs;
}

void GiveUpRule::onAttempt(int httpStatus, bool failed, qint64 nowMs)
{
    if (httpStatus > 0)
        m_silentSinceMs = -1; // the server answered, if only with an error
    else if (failed && m_silentSinceMs < 0)
        m_silentSinceMs = nowMs;
}

bool GiveUpRule::shouldGiveUp(qint64 nowMs) const
{
    if (m_afterMs <= 0)
        return false;
    if (m_silentSinceMs >= 0 && m_lastSuccessMs < m_silentSinceMs && nowMs - m_silentSinceMs >= m_afterMs)
        return true;
    if (!m_open || m_lastSuccessMs >= m_openSinceMs)
        return false;
    return nowMs - m_openSinceMs >= m_afterMs;
}

qint64 GiveUpRule::openForMs(qint64 nowMs) const
{
    return m_open ? nowMs - m_openSinceMs : 0;
}

qint64 GiveUpRule::silentForMs(qint64 nowMs) const
{
    return m_silentSinceMs >= 0 ? nowMs - m_silentSinceMs : 0;
}

} // namespace gp
