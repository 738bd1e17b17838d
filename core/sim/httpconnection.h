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
    HttpConnection(QTcpSocket *socket, Handler handler, QObject *parent);

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
    void afterFlush(std::function<void()> step);

    QPointer<QTcpSocket> m_socket;
    Handler m_handler;
    QByteArray m_buffer;
    HttpRequestParser m_parser;
    SimResponse m_current;
    bool m_busy = false;
    bool m_closing = false;
    bool m_stalled = false;
    qsizetype m_nextEvent = 0;
};

} // namespace gp::sim
