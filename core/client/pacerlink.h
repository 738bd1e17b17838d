#pragma once

#include "core/pacing/pacer.h"
#include "core/policy/error.h"
#include "core/policy/retrybudget.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace gp {

class PassThroughPacer;
class RequestJob;
struct AttemptResult;
struct Judgement;

// Everything the Client says to its Pacer: tickets for jobs, and the feedback that
// gives each admission's slot back (sent, unsent, cancelled). Owns the PassThroughPacer
// used when no external pacer is set, and falls back to it if an external one dies.
class PacerLink final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PacerLink)

public:
    PacerLink(int maxInFlight, RetryBudget budget, QObject *parent = nullptr);
    ~PacerLink() override;

    // Not owned; nullptr restores the internal PassThroughPacer.
    void setPacer(Pacer *pacer);
    Pacer *pacer() const { return m_pacer; }

    // Queues the job's next attempt, not before nowMs + delayMs; an error when refused.
    std::optional<Error> enqueue(const RequestJob *job, qint64 delayMs, qint64 nowMs);
    QString waitReason() const;
    // Gives back a slot that was admitted but not used (model empty: the job is gone).
    void releaseUnsent(quint64 jobId, const QString &model = {});
    // Reports a finished attempt: its status, quota headers, retry hint and usage.
    void releaseSent(const RequestJob *job, const AttemptResult &result, const Judgement &judgement);
    // The job leaves the queue, or its in-flight attempt is cancelled.
    void cancelQueued(quint64 jobId);
    void releaseCancelled(const RequestJob *job);

Q_SIGNALS:
    void admitted(quint64 jobId);
    void rejected(quint64 jobId, const gp::Error &error);

private:
    void ensurePacer(); // an external pacer died before us: fall back so nothing dangles

    PassThroughPacer *m_own = nullptr;
    QPointer<Pacer> m_pacer;
};

} // namespace gp
