#pragma once

#include "core/policy/breakerstate.h"

#include <QtGlobal>

namespace gp {

// When a batch run stops waiting for a dead server, either of:
//  - the circuit breaker has not been closed for afterMs (it opened, and every
//    half-open probe since failed) and nothing succeeded in that time;
//  - an attempt failed without any HTTP answer (refused, reset, timed out) afterMs ago
//    and since then no HTTP answer of any kind has arrived: a server that accepts and
//    then stalls may take minutes of timeouts to open the breaker.
// Pure: time (steady ms) is passed in. afterMs 0: never.
class GiveUpRule final
{
public:
    explicit GiveUpRule(qint64 afterMs);

    void onBreakerState(BreakerState state, qint64 nowMs);
    void onSuccess(qint64 nowMs);
    // One attempt's end: httpStatus 0 when no response arrived at all.
    void onAttempt(int httpStatus, bool failed, qint64 nowMs);
    bool shouldGiveUp(qint64 nowMs) const;
    // How long the breaker has been away from closed; 0 while closed.
    qint64 openForMs(qint64 nowMs) const;
    // How long attempts have failed with no HTTP answer at all; 0 when one came.
    qint64 silentForMs(qint64 nowMs) const;

private:
    qint64 m_afterMs = 0;
    bool m_open = false;
    qint64 m_openSinceMs = 0;
    qint64 m_lastSuccessMs = -1;
    qint64 m_silentSinceMs = -1; // first failure without an answer since the last answer
};

} // namespace gp
