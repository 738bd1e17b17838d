#include "core/telemetry/metricsendpoint.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace gp {

namespace {
constexpr qint64 kMaxRequestBytes = 8192;
constexpr int kRequestTimeoutMs = 5000;
} // namespace

MetricsEndpoint::MetricsEndpoint(Renderer renderer, QObject *parent)
    : QObject(parent)
    , m_renderer(std::move(renderer))
{
    connect(&m_server, &QTcpServer::newConnection, this, &MetricsEndpoint::onConnection);
}

bool MetricsEndpoint::listen(quint16 port, QString *error)
{
    close();
    if (m_server.listen(QHostAddress::LocalHost, port))
        return true;
    if (error)
        *error = QStringLiteral("cannot serve metrics on 127.0.0.1:%1: %2")
                     .arg(port)
                     .arg(m_server.errorString());
    return false;
}

quint16 MetricsEndpoint::port() const
{
    return m_server.isListening() ? m_server.serverPort() : 0;
}

void MetricsEndpoint::close()
{
    m_server.close();
}

void MetricsEndpoint::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(kRequestTimeoutMs, socket, [socket] { socket->abort(); });
    }
}

void MetricsEndpoint::onReadable(QTcpSocket *socket)
{
    if (socket->property("gp_answered").toBool())
        return;
    if (socket->bytesAvailable() > kMaxRequestBytes) {
        socket->abort();
        return;
    }
    const QByteArray head = socket->peek(kMaxRequestBytes);
    if (!head.contains("\r\n\r\n") && !head.contains("\n\n"))
        return; // wait for the whole header block
    socket->setProperty("gp_answered", true);
    const QList<QByteArray> requestLine = head.left(head.indexOf('\n')).trimmed().split(' ');
    if (requestLine.size() < 2) {
        respond(socket, "400 Bad Request", "text/plain", "bad request\n");
    } else if (requestLine[0] != "GET" && requestLine[0] != "HEAD") {
        respond(socket, "405 Method Not Allowed", "text/plain", "only GET\n");
    } else if (requestLine[1] != "/metrics" && !requestLine[1].startsWith("/metrics?")) {
        respond(socket, "404 Not Found", "text/plain", "try /metrics\n");
    } else {
        const QByteArray body = m_renderer ? m_renderer() : QByteArray();
        respond(socket, "200 OK", "text/plain; version=0.0.4; charset=utf-8",
                requestLine[0] == "HEAD" ? QByteArray() : body);
    }
}

void MetricsEndpoint::respond(QTcpSocket *socket, const QByteArray &status, const QByteArray &contentType,
                              const QByteArray &body)
{
    socket->write("HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
}

} // namespace gp
