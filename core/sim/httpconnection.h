#pragma once

#include "core/sim/httprequestparser.h"
#include "core/sim/simresponse.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <functional>

namespace gp::sim {

// One keep-alive client connection: parses requests one at a time and acts out each
// SimResponse over time (delays, chunked SSE, stalls, resets, truncation).
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    using Handler = std::function<SimResponse(const HttpRequest &)>;
    // +1 when a /v1 request has been read, -1 when its answer is done (or the connection ends).
    using InFlight = std::function<void(int delta)>;
    HttpConnection(QTcpSocket *socket, Handler handler, InFlight inFlight, QObject *parent);
    ~HttpConnection() override;

    // Error response for a request that could not be parsed; the connection closes after it.
    static SimResponse protocolError(int status, const QString &message);

private:
    void onReadyRead();
    void processBuffer();
    void perform();
    void writeHead();
    void writeBody();
    void writeEvents();
    void finish();
    void resetConnection();
    void closeAfterFlush();
    void drainThenClose();
    void endInFlight();
    void afterFlush(std::function<void()> step);

    QPointer<QTcpSocket> m_socket;
    Handler m_handler;
    InFlight m_inFlight;
    bool m_counted = false; // the current request is counted in flight
    bool m_drainBeforeClose = false; // a refused request: read its body away, then close
    bool m_draining = false;
    qint64 m_drained = 0;
    QByteArray m_buffer;
    HttpRequestParser m_parser;
    SimResponse m_current;
    bool m_busy = false;
    bool m_closing = false;
    bool m_stalled = false;
    qsizetype m_nextEvent = 0;
};

} // namespace gp::sim
