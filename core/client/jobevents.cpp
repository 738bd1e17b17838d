#include "core/client/jobevents.h"

#include "core/client/requestjob.h"

#include <QDateTime>

namespace gp {

Event JobEvents::make(const RequestJob *job, EventKind kind)
{
    Event event;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    event.jobId = job->id();
    event.attempt = job->attempts();
    event.kind = kind;
    event.priority = job->options().priority;
    event.model = job->request().model;
    event.stream = job->request().stream;
    event.customId = job->options().customId;
    event.client = job->options().clientLabel;
    return event;
}

Event JobEvents::terminal(const RequestJob *job)
{
    const Outcome &outcome = job->outcome();
    static constexpr EventKind kinds[]
        = { EventKind::Succeeded, EventKind::Failed, EventKind::Cancelled, EventKind::Interrupted };
    Event event = make(job, kinds[int(outcome.status)]);
    event.requestId = outcome.requestId;
    event.httpStatus = outcome.httpStatus;
    event.errorClass = outcome.error.errorClass;
    event.ttfbMs = outcome.ttfbMs;
    event.firstChunkMs = outcome.firstChunkMs;
    event.chunkGaps = outcome.chunkGaps;
    event.responseModel = outcome.response.model;
    event.durationMs = outcome.latencyMs;
    event.usage = outcome.response.usage;
    event.message = outcome.error.message;
    return event;
}

Event JobEvents::attemptFinished(const RequestJob *job, const AttemptResult &result,
                                 const Judgement &judgement, const QString &message)
{
    Event event = make(job, EventKind::AttemptFinished);
    event.requestId = result.requestId;
    event.httpStatus = result.httpStatus;
    event.errorClass = judgement.classification.errorClass;
    event.ttfbMs = result.ttfbMs;
    event.durationMs = result.durationMs;
    event.usage = result.response.usage;
    event.quota = judgement.quota;
    event.message = message;
    return event;
}

} // namespace gp
