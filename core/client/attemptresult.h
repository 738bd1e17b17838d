#pragma once

#include "core/events/event.h"
#include "core/policy/transporterror.h"
#include "core/wire/chatresponse.h"
#include "core/wire/errorbody.h"
#include "core/wire/ratelimitheaders.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace gp {

// Everything one HTTP exchange produced; the client classifies it.
struct AttemptResult
{
    int httpStatus = 0; // 0 when no response headers arrived
    HeaderList headers;
    QString requestId; // x-request-id
    QByteArray body; // non-stream body, or the error body of a non-2xx
    TransportError transport = TransportError::None;
    QString transportDetail; // Qt's error text, for logs (never holds the key)
    bool malformed = false; // a 2xx body (or stream chunk) that did not parse
    QString malformedReason;
    bool overLimit = false; // the body or an SSE line exceeded our bound: malformed, and fatal
    ChatResponse response; // parsed non-stream success, or assembled from the stream
    bool streamed = false;
    bool outputStarted = false; // a content or reasoning delta was delivered
    std::optional<ErrorBody> streamError;
    qint64 ttfbMs = -1;
    qint64 firstChunkMs = -1; // streams: the first SSE chunk, from the attempt's start
    ChunkGaps chunkGaps; // streams: the gaps between the chunks after the first
    qint64 durationMs = 0;
    int resends = 0; // sent again by Qt itself after a connection closed before any answer
};

} // namespace gp
