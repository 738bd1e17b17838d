#include "core/telemetry/metricsendpoint.h"

#include <QTcpSocket>
#include <QTimer>

namespace gp {

MetricsEndpoint::MetricsEndpoint(Renderer renderer, QObject *parent)
    : MetricsEndpoint(std::move(renderer), MetricsEndpointLimits {}, parent)
{ }

MetricsEndpoint::MetricsEndpoint(Renderer renderer, const MetricsEndpointLimits &limits, QObject *parent)
    : QObject(parent)
    , m_renderer(std::move(renderer))
    , m_limits(limits)
{
    connect(&m_server, &QTcpServer::newConnection, this, &MetricsEndpoint::onConnection);
}

bool MetricsEndpoint::listen(quint16 port, QString *error, const QHostAddress &address)
{
    close();
    if (m_server.listen(address, port))
        return true;
    if (error)
        *error = QStringLiteral("cannot serve metrics on %1:%2: %3")
                     .arg(address.toString())
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
        ++m_arrived;
        while (m_open >= m_limits.maxConnections && !m_waiting.empty()) {
            QPointer<QTcpSocket> oldest = m_waiting.front();
            m_waiting.pop_front();
            if (!oldest || oldest->property("gp_answered").toBool())
                continue;
            ++m_refused;
            oldest->abort();
            delete oldest.data(); // now, so the count drops before the next arrival
        }
        if (m_open >= m_limits.maxConnections) { // all open ones are being answered
            ++m_refused;
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_waiting.emplace_back(socket);
        while (m_waiting.size() > size_t(2 * m_limits.maxConnections) && !m_waiting.front())
            m_waiting.pop_front();
        ++m_open;
        connect(socket, &QObject::destroyed, this, [this] { --m_open; });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(m_limits.connectionTimeoutMs, socket, [this, socket] {
            if (!socket->property("gp_answered").toBool())
                ++m_dropped;
            socket->abort();
            socket->deleteLater();
        });
    }
}

void MetricsEndpoint::onReadable(QTcpSocket *socket)
{
    if (socket->property("gp_answered").toBool()) {
        socket->readAll(); // one response per connection: the rest is ignored
        return;
    }
    const QByteArray head = socket->peek(m_limits.maxRequestBytes + 1);
    const qsizetype end = std::min(head.indexOf("\r\n\r\n") < 0 ? head.size() : head.indexOf("\r\n\r\n"),
                                   head.indexOf("\n\n") < 0 ? head.size() : head.indexOf("\n\n"));
    if (end >= head.size()) {
        if (head.size() > m_limits.maxRequestBytes) {
            ++m_dropped;
            socket->abort();
            socket->deleteLater();
        }
        return; // wait for the whole header block
    }
    socket->setProperty("gp_answered", true);
    socket->readAll();
    const QList<QByteArray> requestLine = head.left(head.indexOf('\n')).trimmed().split(' ');
    if (requestLine.size() < 3 || !requestLine[2].startsWith("HTTP/")) {
        respond(socket, "400 Bad Request", "text/plain", "bad request\n");
    } else if (requestLine[0] != "GET" && requestLine[0] != "HEAD") {
        respond(socket, "405 Method Not Allowed", "text/plain", "only GET\n");
    } else if (requestLine[1] != "/metrics" && !requestLine[1].startsWith("/metrics?")) {
        respond(socket, "404 Not Found", "text/plain", "try /metrics\n");
    } else {
        respond(socket, "200 OK", "text/plain; version=0.0.4; charset=utf-8",
                requestLine[0] == "HEAD" ? QByteArray() : body());
    }
}

QByteArray MetricsEndpoint::body()
{
    if (m_renderedAt.isValid() && m_renderedAt.elapsed() < m_limits.renderIntervalMs)
        return m_cached;
    m_cached = m_renderer ? m_renderer() : QByteArray();
    m_renderedAt.start();
    ++m_renders;
    return m_cached;
}

void MetricsEndpoint::respond(QTcpSocket *socket, const QByteArray &status, const QByteArray &contentType,
                              const QByteArray &body)
{
    socket->write("HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    socket->disconnectFromHost();
}

} // namespace gp
