#pragma once

#include "core/client/attemptjudge.h"
#include "core/client/attemptresult.h"
#include "core/events/event.h"

namespace gp {

class RequestJob;

// Builds the telemetry events the Client emits about one job; no state, no I/O.
class JobEvents final
{
public:
    static Event make(const RequestJob *job, EventKind kind);
    // Succeeded / Failed / Cancelled / Interrupted from the job's outcome.
    static Event terminal(const RequestJob *job);
    // message is already redacted by the caller.
    static Event attemptFinished(const RequestJob *job, const AttemptResult &result,
                                 const Judgement &judgement, const QString &message);
};

} // namespace gp
