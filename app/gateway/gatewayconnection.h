#pragma once

#include "core/sim/httprequestparser.h"
#include "core/wire/ratelimitheaders.h"

#include <QBasicTimer>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

namespace gp {

// The bounds one client connection lives within (slowloris, huge bodies, slow readers).
struct ConnectionLimits
{
    qint64 maxBodyBytes = 1024 * 1024;
    int headerTimeoutMs = 10000; // first byte of a request to the end of its headers
    int bodyTimeoutMs = 30000; // end of the headers to the end of the body
    int idleTimeoutMs = 60000; // keep-alive with no request
    qint64 maxUnsentBytes = 8 * 1024 * 1024; // a reader this far behind is cut
};

// One keep-alive client connection of the gateway: parses one request at a time (the HTTP
// parser is the simulator's), enforces the limits above, and writes either a whole response
// or a chunked stream. closed() is emitted once, when the connection ends for any reason.
class GatewayConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayConnection)

public:
    GatewayConnection(QTcpSocket *socket, const ConnectionLimits &limits, QObject *parent);
    ~GatewayConnection() override;

    void start();
    QString peer() const { return m_peer; }
    bool isOpen() const { return !m_closed; }

    void sendResponse(int status, const HeaderList &headers, const QByteArray &body);
    void beginStream(int status, const HeaderList &headers);
    void writeStream(const QByteArray &bytes);
    void endStream();
    // Passes an upstream cut on as a cut: the connection closes without the last chunk.
    void cutStream();
    // Answers and closes (used for refusals before any request was read).
    void refuse(int status, const HeaderList &headers, const QByteArray &body);

    // Ends the connection now (closed() follows at once); a job it waits for is cancelled.
    void close();

    static QByteArray reasonPhrase(int status);

Q_SIGNALS:
    void requestReady(gp::GatewayConnection *connection, const gp::sim::HttpRequest &request);
    void closed(gp::GatewayConnection *connection);

private:
    enum class Phase { Idle, Head, Body, Busy };
    void onReadyRead();
    void processBuffer();
    QByteArray head(int status, const HeaderList &headers, const QByteArray &framing) const;
    void afterResponse();
    void closeAfterFlush();
    void setPhase(Phase phase);
    void timerEvent(QTimerEvent *event) override;

    QPointer<QTcpSocket> m_socket;
    ConnectionLimits m_limits;
    sim::HttpRequestParser m_parser;
    QByteArray m_buffer;
    QString m_peer;
    Phase m_phase = Phase::Idle;
    QBasicTimer m_timer;
    bool m_keepAlive = true;
    bool m_streaming = false;
    bool m_closing = false;
    bool m_closed = false;
};

} // namespace gp
