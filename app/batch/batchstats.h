#pragma once

#include "core/client/outcome.h"
#include "core/events/event.h"
#include "core/policy/breakerstate.h"
#include "core/telemetry/loghistogram.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

namespace gp {

// Counts for the progress line and the end-of-run summary. Memory is flat: latency
// goes into a fixed log histogram.
// Status counts are of lines on disk: a result that could not be written counts as
// not written (and, when it had succeeded, as paid for but not delivered).
class BatchStats final
{
public:
    // written: the line is on disk. Attempts, tokens and cost count either way (paid).
    void recordOutcome(const Outcome &outcome, bool written = true);
    void recordSkipped() { ++m_skipped; }
    void recordEvent(const Event &event); // 429s, retries and the last error as they happen
    void setBreakerState(BreakerState state, qint64 sinceSteadyMs);

    qint64 done() const { return m_succeeded + m_failed + m_cancelled + m_interrupted + m_notWritten; }
    qint64 succeeded() const { return m_succeeded; }
    qint64 unsuccessful() const { return m_failed + m_cancelled + m_interrupted + m_notWritten; }
    qint64 notWritten() const { return m_notWritten; }
    qint64 paidNotWritten() const { return m_paidNotWritten; }
    qint64 skipped() const { return m_skipped; }
    qint64 http429() const { return m_http429; }
    qint64 retriesSoFar() const { return m_retriesStarted; } // attempts after a job's first, live
    BreakerState breakerState() const { return m_breaker; }
    qint64 breakerSinceMs() const { return m_breakerSinceMs; } // steady clock
    // "class: message" of the last failed attempt; empty when none failed.
    QString lastError() const { return m_lastError; }

    // wallMs: the run's duration; exitCode as the process will return it.
    QJsonObject toJson(qint64 wallMs, int exitCode) const;
    QString toText(qint64 wallMs) const; // a few lines for stderr

private:
    qint64 m_succeeded = 0;
    qint64 m_failed = 0;
    qint64 m_cancelled = 0;
    qint64 m_interrupted = 0;
    qint64 m_skipped = 0;
    qint64 m_attempts = 0;
    qint64 m_sent = 0; // lines that made at least one attempt
    qint64 m_http429 = 0;
    qint64 m_retries = 0; // per finished job: attempts - 1
    qint64 m_retriesStarted = 0;
    qint64 m_notWritten = 0;
    qint64 m_paidNotWritten = 0; // succeeded (and billed), but the line is not on disk
    BreakerState m_breaker = BreakerState::Closed;
    qint64 m_breakerSinceMs = 0;
    QString m_lastError;
    qint64 m_promptTokens = 0;
    qint64 m_completionTokens = 0;
    qint64 m_reasoningTokens = 0;
    qint64 m_cachedTokens = 0;
    double m_costUsd = 0.0;
    bool m_costEstimated = false;
    QMap<QString, qint64> m_errorClasses;
    LogHistogram m_latency; // succeeded requests only: a failure's latency is not the service's
};

} // namespace gp
