#pragma once

#include "core/policy/breakerstate.h"
#include "core/policy/errorclass.h"

#include <QString>
#include <QtGlobal>

#include <deque>
#include <optional>

namespace gp {

struct BreakerConfig
{
    // Open after this many failures in a row; with a full window (minSamples) before the run that
    // failed often already, after the run that share makes rare (p^k <= 1e-5, at most 3x this):
    // at 18% independent faults, 7; an endpoint that had not failed still opens after 5.
    int consecutiveFailures = 5;
    double failureRatio = 0.5; // ... or this share of failures in the window
    int minSamples = 20; // ... once the window holds this many outcomes
    qint64 windowMs = 30000;
    qint64 cooldownMs = 10000; // open -> half-open after this long
    bool operator==(const BreakerConfig &) const = default;
};

// Counts as a breaker failure: the endpoint is unwell (5xx, 529, timeouts, resets).
// 4xx, 429 quota and capacity, and client-side decisions do not.
bool breakerCountsAsFailure(ErrorClass errorClass);

// Per-endpoint circuit breaker, a pure state machine: time is passed in (steady ms).
// Methods that can move the state return the new state when it changed.
class CircuitBreaker final
{
public:
    explicit CircuitBreaker(BreakerConfig config = {});

    // Asks to send one attempt. Closed: yes. Open: no until the cooldown ends, then the
    // breaker turns half-open and lets exactly one probe through.
    bool allowRequest(qint64 nowMs, std::optional<BreakerState> *changed = nullptr);
    std::optional<BreakerState> recordSuccess(qint64 nowMs);
    std::optional<BreakerState> recordFailure(qint64 nowMs);
    // An admitted attempt that ended without telling anything (cancelled, 4xx in half-open
    // counts as success instead): frees the probe slot.
    void releaseProbe();

    BreakerState state() const { return m_state; }
    // Open: ms until a probe may go; HalfOpen with a probe out: -1 (wait for it); else 0.
    qint64 msUntilAllowed(qint64 nowMs) const;
    int consecutiveFailures() const { return m_consecutive; }
    // Closed, with a full window (minSamples) in which at most half the trip ratio failed: the
    // endpoint answers most attempts, so its failures are independent faults, not overload.
    bool mostlyAnswering() const;
    // While mostlyAnswering(): the run of failures that the window's failure share makes rare
    // (p^k <= 1e-5, from consecutiveFailures to 3x it): a request that has failed fewer times
    // than this has met chance, not a broken endpoint. Otherwise 0.
    int chanceRunLength() const;
    const BreakerConfig &config() const { return m_config; }

private:
    void prune(qint64 nowMs);
    std::optional<BreakerState> moveTo(BreakerState state, qint64 nowMs);
    bool ratioTripped() const;
    int runToTrip() const; // failures in a row that open the breaker now

    struct Sample
    {
        qint64 timeMs = 0;
        bool failed = false;
    };

    BreakerConfig m_config;
    BreakerState m_state = BreakerState::Closed;
    int m_consecutive = 0;
    std::deque<Sample> m_samples;
    int m_failuresInWindow = 0;
    qint64 m_openedAtMs = 0;
    bool m_probeOut = false;
};

} // namespace gp
