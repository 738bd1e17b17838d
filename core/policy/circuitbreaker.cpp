#include "core/policy/circuitbreaker.h"

#include <algorithm>
#include <cmath>

namespace gp {

QString breakerStateName(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed: return QStringLiteral("closed");
    case BreakerState::Open: return QStringLiteral("open");
    case BreakerState::HalfOpen: return QStringLiteral("half_open");
    }
    return QStringLiteral("closed");
}

bool breakerCountsAsFailure(ErrorClass errorClass)
{
    switch (errorClass) {
    case ErrorClass::ServerError:
    case ErrorClass::Network:
    case ErrorClass::Timeout:
    case ErrorClass::MalformedResponse: return true;
    default: return false;
    }
}

CircuitBreaker::CircuitBreaker(BreakerConfig config)
    : m_config(config)
{
    m_config.consecutiveFailures = std::max(1, m_config.consecutiveFailures);
    m_config.minSamples = std::max(1, m_config.minSamples);
    m_config.windowMs = std::max<qint64>(1, m_config.windowMs);
    m_config.cooldownMs = std::max<qint64>(0, m_config.cooldownMs);
}

std::optional<BreakerState> CircuitBreaker::moveTo(BreakerState state, qint64 nowMs)
{
    if (state == m_state)
        return std::nullopt;
    m_state = state;
    m_probeOut = false;
    if (state == BreakerState::Open)
        m_openedAtMs = nowMs;
    if (state == BreakerState::Closed) {
        m_consecutive = 0;
        m_samples.clear();
        m_failuresInWindow = 0;
    }
    return state;
}

bool CircuitBreaker::allowRequest(qint64 nowMs, std::optional<BreakerState> *changed)
{
    if (m_state == BreakerState::Open && nowMs - m_openedAtMs >= m_config.cooldownMs) {
        const auto moved = moveTo(BreakerState::HalfOpen, nowMs);
        if (changed)
            *changed = moved;
    }
    switch (m_state) {
    case BreakerState::Closed: return true;
    case BreakerState::Open: return false;
    case BreakerState::HalfOpen:
        if (m_probeOut)
            return false;
        m_probeOut = true;
        return true;
    }
    return false;
}

void CircuitBreaker::prune(qint64 nowMs)
{
    while (!m_samples.empty() && m_samples.front().timeMs + m_config.windowMs <= nowMs) {
        if (m_samples.front().failed)
            --m_failuresInWindow;
        m_samples.pop_front();
    }
}

bool CircuitBreaker::mostlyAnswering() const
{
    const auto n = qsizetype(m_samples.size());
    return m_state == BreakerState::Closed && n >= m_config.minSamples
        && double(m_failuresInWindow) <= m_config.failureRatio / 2 * double(n);
}

namespace {

// A run of independent failures at share p has chance p^k: a run that share explains worse than
// 1 in 100,000 is not chance. Between the configured run and three times it.
int rareRun(double share, int configured)
{
    constexpr double RareRun = 1e-5;
    if (share <= 0.0)
        return configured;
    if (share >= 1.0)
        return 3 * configured;
    const int rare = int(std::ceil(std::log(RareRun) / std::log(share)));
    return std::clamp(rare, configured, 3 * configured);
}

} // namespace

int CircuitBreaker::runToTrip() const
{
    // The share of the window before the run: a run that share makes rare is a server gone down.
    const int configured = m_config.consecutiveFailures;
    const qsizetype before = qsizetype(m_samples.size()) - m_consecutive;
    const int failedBefore = m_failuresInWindow - m_consecutive;
    if (before < m_config.minSamples || failedBefore <= 0)
        return configured;
    return rareRun(double(failedBefore) / double(before), configured);
}

int CircuitBreaker::chanceRunLength() const
{
    if (!mostlyAnswering())
        return 0;
    return rareRun(double(m_failuresInWindow) / double(m_samples.size()), m_config.consecutiveFailures);
}

bool CircuitBreaker::ratioTripped() const
{
    const auto n = qsizetype(m_samples.size());
    return n >= m_config.minSamples && double(m_failuresInWindow) >= m_config.failureRatio * double(n);
}

std::optional<BreakerState> CircuitBreaker::recordSuccess(qint64 nowMs)
{
    if (m_state == BreakerState::HalfOpen)
        return moveTo(BreakerState::Closed, nowMs);
    if (m_state == BreakerState::Open)
        return std::nullopt; // a straggler from before the trip proves little
    m_consecutive = 0;
    m_samples.push_back({ nowMs, false });
    prune(nowMs);
    return std::nullopt;
}

std::optional<BreakerState> CircuitBreaker::recordFailure(qint64 nowMs)
{
    if (m_state == BreakerState::HalfOpen) {
        m_state = BreakerState::Closed; // force moveTo to report the transition and restart the cooldown
        return moveTo(BreakerState::Open, nowMs).value_or(BreakerState::Open);
    }
    if (m_state == BreakerState::Open)
        return std::nullopt;
    ++m_consecutive;
    m_samples.push_back({ nowMs, true });
    ++m_failuresInWindow;
    prune(nowMs);
    if (m_consecutive >= runToTrip() || ratioTripped())
        return moveTo(BreakerState::Open, nowMs);
    return std::nullopt;
}

void CircuitBreaker::releaseProbe()
{
    m_probeOut = false;
}

qint64 CircuitBreaker::msUntilAllowed(qint64 nowMs) const
{
    switch (m_state) {
    case BreakerState::Closed: return 0;
    case BreakerState::Open: return std::max<qint64>(0, m_openedAtMs + m_config.cooldownMs - nowMs);
    case BreakerState::HalfOpen: return m_probeOut ? -1 : 0;
    }
    return 0;
}

} // namespace gp
