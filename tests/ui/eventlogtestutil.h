#pragma once

// Event streams shaped like a RequestJob's, for the event log's tests: the kinds, attempt
// numbers and order core/client emits them in (submitted, queued, attempt started, quota,
// attempt finished, retry scheduled, queued again, ..., the terminal state).
#include "core/events/event.h"
#include "core/telemetry/journalreader.h"

#include <QFile>
#include <QList>

namespace gp::test {

inline Event jobEvent(EventKind kind, qint64 timeMs, quint64 jobId, int attempt)
{
    Event e;
    e.kind = kind;
    e.timeMs = timeMs;
    e.jobId = jobId;
    e.attempt = attempt;
    e.model = QStringLiteral("grok-4-0709");
    return e;
}

// A job whose first `failures` attempts get HTTP `status` and whose last one answers.
inline QList<Event> retriedJob(quint64 jobId, qint64 t0, int failures, int status = 503)
{
    QList<Event> out;
    qint64 t = t0;
    out << jobEvent(EventKind::Submitted, t, jobId, 0);
    Event queued = jobEvent(EventKind::Queued, t, jobId, 0);
    queued.message = QStringLiteral("waiting for the requests-per-second limit");
    out << queued;
    for (int a = 1; a <= failures + 1; ++a) {
        t += 5;
        out << jobEvent(EventKind::AttemptStarted, t, jobId, a);
        t += 300;
        Event quota = jobEvent(EventKind::QuotaUpdated, t, jobId, a);
        quota.quota.requests.remaining = 480 - a;
        quota.quota.requests.limit = 500;
        out << quota;
        Event finished = jobEvent(EventKind::AttemptFinished, t, jobId, a);
        finished.ttfbMs = 120;
        finished.durationMs = 300;
        finished.requestId = QStringLiteral("req-%1-%2").arg(jobId).arg(a);
        if (a <= failures) {
            finished.httpStatus = status;
            finished.errorClass = status == 429 ? ErrorClass::RateLimited : ErrorClass::ServerError;
            finished.message = QStringLiteral("HTTP %1: the server is busy").arg(status);
            out << finished;
            Event retry = jobEvent(EventKind::RetryScheduled, t, jobId, a);
            retry.httpStatus = status;
            retry.errorClass = finished.errorClass;
            retry.delayMs = 200;
            out << retry;
            Event again = jobEvent(EventKind::Queued, t, jobId, a);
            again.delayMs = 200;
            out << again;
            t += 200;
        } else {
            finished.httpStatus = 200;
            finished.usage = { 100, 40, 0, 0, 140, 2'500'000, true };
            out << finished;
        }
    }
    Event done = jobEvent(EventKind::Succeeded, t, jobId, failures + 1);
    done.httpStatus = 200;
    done.durationMs = t - t0;
    done.usage = { 100, 40, 0, 0, 140, 2'500'000, true };
    out << done;
    return out;
}

inline QList<JournalEvent> rows(const QList<Event> &events, qint64 runId, qint64 &nextId)
{
    QList<JournalEvent> out;
    for (const Event &e : events)
        out << JournalEvent { nextId++, runId, e };
    return out;
}

inline qint64 residentBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    return -1;
}

} // namespace gp::test
