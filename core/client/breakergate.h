#pragma once

#include "core/events/event.h"
#include "core/policy/circuitbreaker.h"
#include "core/policy/error.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <optional>

namespace gp {

// The endpoint's circuit breaker plus the jobs it holds back: admits or holds jobs,
// counts attempt results, and hands the held jobs back (released) when it may let them go.
// Knows job ids only; the Client re-queues them.
class BreakerGate final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BreakerGate)

public:
    BreakerGate(const BreakerConfig &config, QString endpoint, QObject *parent = nullptr);
    ~BreakerGate() override;

    BreakerState state() const { return m_breaker.state(); }
    const QString &endpoint() const { return m_endpoint; }
    bool mostlyAnswering() const { return m_breaker.mostlyAnswering(); }
    int chanceRunLength() const { return m_breaker.chanceRunLength(); }
    bool allowRequest(qint64 nowMs);
    // Holds the job until the breaker may admit it; an error when that is past its deadline.
    std::optional<Error> hold(quint64 jobId, qint64 nowMs, qint64 deadlineMs);
    void forget(quint64 jobId);
    // Counts one finished attempt; wasProbe: it was the half-open probe.
    void recordAttempt(ErrorClass errorClass, int httpStatus, bool wasProbe, qint64 nowMs);
    // A probe that was cancelled before it told anything.
    void abandonProbe();
    void releaseHeld();

Q_SIGNALS:
    void stateChanged(gp::BreakerState state, const QString &endpoint);
    void eventEmitted(const gp::Event &event);
    void released(const QList<quint64> &jobIds);

private:
    void applyChange(std::optional<BreakerState> changed);

    CircuitBreaker m_breaker;
    QString m_endpoint; // scheme://host:port
    QTimer m_timer;
    QList<quint64> m_held; // waiting for the breaker, in arrival order
};

} // namespace gp
