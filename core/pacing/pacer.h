#pragma once

#include "core/events/pacingstate.h"
#include "core/policy/error.h"
#include "core/policy/priority.h"
#include "core/wire/quotasnapshot.h"
#include "core/wire/retryhint.h"
#include "core/wire/statedlimit.h"

#include <QObject>
#include <QString>

#include <optional>

namespace gp {

// One attempt that wants to be sent. The client enqueues a ticket per attempt
// (first try and every retry) and sends only after the pacer admits it.
struct PaceTicket
{
    quint64 jobId = 0;
    Priority priority = Priority::Normal;
    QString model;
    qint64 estimatedTokens = 0; // prompt estimate + max_completion_tokens, reserved on admission
    qint64 notBeforeMs = 0; // steady-clock ms (QDeadlineTimer/QElapsedTimer base); 0 = now
    qint64 deadlineMs = 0; // steady-clock ms; 0 = no deadline
    bool isRetry = false; // retries are also gated by the retry budget...
    // ...except a retry of a 429: refused before any work, it waits for the pacer's slot alone.
    bool refusedBeforeWork = false;
    qint64 enqueuedMs = 0; // set by the pacer
};

// What one admitted attempt taught us; given back exactly once per admission.
struct PaceFeedback
{
    quint64 jobId = 0;
    QString model;
    bool sent = false; // false when the attempt was cancelled before sending
    int httpStatus = 0; // 0 when no response
    ErrorClass errorClass = ErrorClass::None;
    QuotaSnapshot quota; // what the response's headers said
    RetryHint retryHint;
    qint64 reservedTokens = 0; // what admission reserved
    std::optional<qint64> actualTokens; // billed usage when known (prompt+completion+reasoning)
    QList<StatedLimit> statedLimits; // the limits a 429 body stated for `model`
};

// Decides when each attempt may be sent. Implementations: PassThroughPacer (no
// limits but concurrency and retry budget) and the full pacing Scheduler.
class Pacer : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~Pacer() override = default;

    // Queues a ticket; returns an error (QueueFull, RequestTooLarge) when it can never
    // be admitted. admitted(jobId) follows later, possibly from within this call's
    // event loop iteration but never synchronously from enqueue().
    virtual std::optional<Error> enqueue(const PaceTicket &ticket) = 0;
    // Removes a queued ticket (cancellation). No-op when not queued.
    virtual void cancel(quint64 jobId) = 0;
    // An admitted attempt ended: frees its slot, settles tokens, learns from status/headers.
    virtual void release(const PaceFeedback &feedback) = 0;
    virtual PacingState state() const = 0;

Q_SIGNALS:
    void admitted(quint64 jobId);
    // The ticket cannot be admitted before its deadline (or the retry budget cannot
    // allow it in time): the job should fail with this error.
    void rejected(quint64 jobId, const gp::Error &error);
    void stateChanged();
};

} // namespace gp
