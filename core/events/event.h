#pragma once

#include "core/policy/errorclass.h"
#include "core/policy/priority.h"
#include "core/wire/quotasnapshot.h"
#include "core/wire/usage.h"

#include <QString>
#include <QtGlobal>

#include <optional>

namespace gp {

enum class EventKind {
    Submitted, // a job entered the client
    Queued, // waiting for the pacer (message says the wait reason)
    AttemptStarted, // one HTTP exchange began
    AttemptFinished, // one HTTP exchange ended (httpStatus, errorClass, ttfbMs, durationMs)
    RetryScheduled, // delayMs, errorClass = why
    Succeeded, // terminal
    Failed, // terminal
    Cancelled, // terminal
    Interrupted, // terminal: stream cut after output began
    QuotaUpdated, // the server reported quota (quota)
    LimitLearned, // the adaptive limiter moved (message)
    BreakerOpened,
    BreakerHalfOpen,
    BreakerClosed,
    AlertRaised,
    AlertCleared,
    Warning, // anything else a user should see (journal rotated, Redis down, ...)
};

QString eventKindName(EventKind kind); // "attempt_finished", ...
std::optional<EventKind> eventKindFromName(const QString &name);
bool isTerminal(EventKind kind);

// One step of a request's life, for telemetry. Never holds the API key or any
// request header: only what is safe to journal and export.
struct Event
{
    qint64 timeMs = 0; // ms since the Unix epoch, UTC
    quint64 jobId = 0; // 0 for events not tied to a job (alerts, breaker, quota)
    int attempt = 0; // 1-based; 0 when not about an attempt
    EventKind kind = EventKind::Warning;
    Priority priority = Priority::Normal;
    QString model; // the model asked for
    QString responseModel; // terminal events: the model that answered (an alias resolved), if known
    bool stream = false; // the request asked for a stream
    QString customId; // the caller's id (batch custom_id), when there is one
    QString client; // the gateway client that asked, when there is one
    QString requestId; // the server's x-request-id
    int httpStatus = 0;
    ErrorClass errorClass = ErrorClass::None;
    qint64 delayMs = 0; // retry delay
    qint64 ttfbMs = -1; // time to first byte of this attempt, -1 when unknown
    qint64 durationMs = -1; // attempt duration, or whole job for terminal events
    qint64 firstChunkMs = -1; // terminal events of streams: first chunk of the last attempt
    Usage usage;
    QuotaSnapshot quota;
    QString message; // one human sentence
    QString alertId; // AlertRaised/AlertCleared: the rule ("error_spike", "quota_low_tokens", ...)
};

} // namespace gp
