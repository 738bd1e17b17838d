#pragma once

#include "core/client/outcome.h"
#include "core/telemetry/event.h"
#include "core/telemetry/loghistogram.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

namespace gp {

// Counts for the progress line and the end-of-run summary. Memory is flat: latency
// goes into a fixed log histogram.
class BatchStats final
{
public:
    void recordOutcome(const Outcome &outcome);
    void recordError(JobStatus status, ErrorClass errorClass); // lines never sent
    void recordSkipped() { ++m_skipped; }
    void recordEvent(const Event &event); // 429s and retries as they happen

    qint64 done() const { return m_succeeded + m_failed + m_cancelled + m_interrupted; }
    qint64 succeeded() const { return m_succeeded; }
    qint64 unsuccessful() const { return m_failed + m_cancelled + m_interrupted; }
    qint64 skipped() const { return m_skipped; }
    qint64 http429() const { return m_http429; }
    qint64 retries() const { return m_retries; }

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
    qint64 m_retries = 0;
    qint64 m_promptTokens = 0;
    qint64 m_completionTokens = 0;
    qint64 m_reasoningTokens = 0;
    qint64 m_cachedTokens = 0;
    double m_costUsd = 0.0;
    bool m_costEstimated = false;
    QMap<QString, qint64> m_errorClasses;
    LogHistogram m_latency;
};

} // namespace gp
