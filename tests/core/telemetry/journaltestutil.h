#pragma once

#include "core/events/event.h"

// Builders for recorded event streams shared by the journal, export and leak tests.
namespace gp::testutil {

inline Event makeEvent(EventKind kind, qint64 timeMs, quint64 jobId = 0, const QString &message = {})
{
    Event e;
    e.kind = kind;
    e.timeMs = timeMs;
    e.jobId = jobId;
    e.message = message;
    e.model = QStringLiteral("grok-4-0709");
    return e;
}

// One job: submitted, a 429 attempt, a retry, a successful attempt, succeeded with usage.
inline QList<Event> succeededJob(quint64 jobId, qint64 t0, const QString &customId)
{
    QList<Event> events;
    Event s = makeEvent(EventKind::Submitted, t0, jobId);
    s.customId = customId;
    s.priority = Priority::Interactive;
    events << s;
    Event a1 = makeEvent(EventKind::AttemptFinished, t0 + 100, jobId, QStringLiteral("rate limited"));
    a1.attempt = 1;
    a1.httpStatus = 429;
    a1.errorClass = ErrorClass::RateLimited;
    a1.ttfbMs = 80;
    a1.durationMs = 100;
    a1.quota.requests.remaining = 0;
    a1.quota.requests.limit = 60;
    events << a1;
    Event r = makeEvent(EventKind::RetryScheduled, t0 + 101, jobId);
    r.attempt = 1;
    r.errorClass = ErrorClass::RateLimited;
    r.delayMs = 1500;
    events << r;
    Event a2 = makeEvent(EventKind::AttemptFinished, t0 + 1800, jobId);
    a2.attempt = 2;
    a2.httpStatus = 200;
    a2.ttfbMs = 250;
    a2.durationMs = 900;
    a2.requestId = QStringLiteral("req-") + QString::number(jobId);
    events << a2;
    Event ok = makeEvent(EventKind::Succeeded, t0 + 2700, jobId);
    ok.customId = customId;
    ok.attempt = 2;
    ok.durationMs = 2700;
    ok.requestId = a2.requestId;
    ok.usage = { 100, 50, 25, 10, 175, 12'345'000, true };
    events << ok;
    return events;
}

inline QList<Event> failedJob(quint64 jobId, qint64 t0, const QString &customId, const QString &message)
{
    Event s = makeEvent(EventKind::Submitted, t0, jobId);
    s.customId = customId;
    Event a = makeEvent(EventKind::AttemptFinished, t0 + 50, jobId, message);
    a.attempt = 1;
    a.httpStatus = 400;
    a.errorClass = ErrorClass::BadRequest;
    Event f = makeEvent(EventKind::Failed, t0 + 60, jobId, message);
    f.customId = customId;
    f.attempt = 1;
    f.httpStatus = 400;
    f.errorClass = ErrorClass::BadRequest;
    f.durationMs = 60;
    return { s, a, f };
}

} // namespace gp::testutil
