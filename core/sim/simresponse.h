#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace gp::sim {

using SimHeader = std::pair<QByteArray, QByteArray>;
using SimHeaders = QList<SimHeader>;

// How one HTTP response is written, including the byte-level faults the
// connection must act out. Built by the handlers, performed by HttpConnection.
struct SimResponse
{
    int status = 200;
    SimHeaders headers; // besides Content-Length/Transfer-Encoding/Connection/Date
    QByteArray body; // non-streaming body
    bool streaming = false; // chunked SSE: events below, then the last chunk
    QList<QByteArray> events; // complete SSE events ("data: ...\n\n")
    int eventIntervalMs = 0;

    int delayBeforeHeadersMs = 0; // latency or stall_before_headers
    bool resetBeforeHeaders = false;
    bool resetAfterHeaders = false;
    bool truncateBody = false; // Content-Length says more than is sent, then close
    int cutAfterEvents = -1; // streaming: close (without the last chunk) after K events
    int stallAfterEvents = -1; // streaming: pause stallMs after K events
    int stallMs = 0;
    bool closeAfter = false; // send Connection: close and close when done
};

} // namespace gp::sim
