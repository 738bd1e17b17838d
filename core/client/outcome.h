#pragma once

#include "core/events/event.h"
#include "core/policy/error.h"
#include "core/wire/chatresponse.h"
#include "core/wire/ratelimitheaders.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace gp {

enum class JobStatus { Succeeded, Failed, Cancelled, Interrupted };
QString jobStatusName(JobStatus status); // "succeeded", "failed", "cancelled", "interrupted"

// How a job ended: exactly one per job, carried by RequestJob::finished.
struct Outcome
{
    JobStatus status = JobStatus::Failed;
    ChatResponse response;
    QByteArray responseBody; // final body; for streams a synthesized non-stream JSON
    int httpStatus = 0;
    QString requestId; // the server's x-request-id of the last attempt
    HeaderList responseHeaders; // the last attempt's response headers
    QByteArray errorBody; // the last attempt's raw body when it was not a success
    Error error; // errorClass None when Succeeded
    int attempts = 0;
    qint64 latencyMs = 0; // submit to finish, waits included
    qint64 ttfbMs = -1; // first byte of the last attempt
    qint64 firstChunkMs = -1; // streams: first chunk of the last attempt
    ChunkGaps chunkGaps; // streams: the last attempt's gaps between chunks after the first
    QString partialText; // Interrupted (and Cancelled mid-stream): what had arrived

    bool isSuccess() const { return status == JobStatus::Succeeded; }
};

} // namespace gp

Q_DECLARE_METATYPE(gp::Outcome)
