#include "core/client/breakergate.h"

#include "core/policy/retryplanner.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

int timerMs(qint64 ms)
{
    return int(std::min<qint64>(ms, std::numeric_limits<int>::max()));
}

} // namespace

BreakerGate::BreakerGate(const BreakerConfig &config, QString endpoint, QObject *parent)
    : QObject(parent)
    , m_breaker(config)
    , m_endpoint(std::move(endpoint))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &BreakerGate::releaseHeld);
}

BreakerGate::~BreakerGate() = default;

bool BreakerGate::allowRequest(qint64 nowMs)
{
    std::optional<BreakerState> changed;
    const bool allowed = m_breaker.allowRequest(nowMs, &changed);
    applyChange(changed);
    return allowed;
}

std::optional<Error> BreakerGate::hold(quint64 jobId, qint64 nowMs, qint64 deadlineMs)
{
    const qint64 wait = m_breaker.msUntilAllowed(nowMs);
    if (wait > 0 && deadlineMs > 0 && nowMs + wait >= deadlineMs) {
        return Error { ErrorClass::CircuitOpen,
                       0,
                       {},
                       u"circuit breaker open for "_s + m_endpoint
                           + u" after repeated failures; next probe in "_s
                           + RetryPlanner::formatDuration(wait) + u", after this job's deadline"_s };
    }
    m_held.append(jobId);
    if (wait > 0 && (!m_timer.isActive() || m_timer.remainingTime() > wait))
        m_timer.start(timerMs(wait));
    return std::nullopt;
}

void BreakerGate::forget(quint64 jobId)
{
    m_held.removeAll(jobId);
}

void BreakerGate::recordAttempt(ErrorClass errorClass, int httpStatus, bool wasProbe, qint64 nowMs)
{
    if (breakerCountsAsFailure(errorClass))
        applyChange(m_breaker.recordFailure(nowMs));
    else if (httpStatus > 0)
        applyChange(m_breaker.recordSuccess(nowMs));
    else
        m_breaker.releaseProbe();
    if (wasProbe && m_breaker.state() == BreakerState::HalfOpen)
        releaseHeld(); // the probe told nothing: let the next one go
}

void BreakerGate::abandonProbe()
{
    m_breaker.releaseProbe();
    releaseHeld();
}

void BreakerGate::releaseHeld()
{
    Q_EMIT released(std::exchange(m_held, {}));
}

void BreakerGate::applyChange(std::optional<BreakerState> changed)
{
    if (!changed)
        return;
    Event event;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    switch (*changed) {
    case BreakerState::Open:
        event.kind = EventKind::BreakerOpened;
        event.message = u"circuit breaker opened for "_s + m_endpoint + u"; probing again in "_s
            + RetryPlanner::formatDuration(m_breaker.config().cooldownMs);
        m_timer.start(timerMs(m_breaker.config().cooldownMs));
        break;
    case BreakerState::HalfOpen:
        event.kind = EventKind::BreakerHalfOpen;
        event.message = u"circuit breaker half-open for "_s + m_endpoint + u": sending one probe"_s;
        break;
    case BreakerState::Closed:
        event.kind = EventKind::BreakerClosed;
        event.message = u"circuit breaker closed for "_s + m_endpoint;
        break;
    }
    Q_EMIT stateChanged(*changed, m_endpoint);
    Q_EMIT eventEmitted(event);
    if (*changed == BreakerState::Closed)
        releaseHeld();
}

} // namespace gp
