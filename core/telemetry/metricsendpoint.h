#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

#include <deque>
#include <functional>

class QTcpSocket;

namespace gp {

// Bounds that keep a misbehaving scraper from hurting the process it scrapes.
struct MetricsEndpointLimits
{
    int maxConnections = 32; // open at once; past it the oldest one still silent is closed
    int connectionTimeoutMs = 5000; // a connection's whole life: request head, response, close
    qint64 maxRequestBytes = 8192; // a larger request head is dropped
    int renderIntervalMs = 200; // scrapes closer together than this share one rendering
};

// A tiny HTTP/1.1 responder for Prometheus: GET /metrics, 127.0.0.1 unless told otherwise,
// one response per connection. Garbage gets a 400 and the connection closed; slow requests and
// oversized heads are dropped, and past the connection cap the oldest connection that has not
// sent a whole request makes room (a flood of idle connections cannot lock a scraper out). Rendering runs at
// most once per renderIntervalMs, so a client hammering the endpoint costs the event loop little.
class MetricsEndpoint final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsEndpoint)

public:
    using Renderer = std::function<QByteArray()>;

    explicit MetricsEndpoint(Renderer renderer, QObject *parent = nullptr);
    MetricsEndpoint(Renderer renderer, const MetricsEndpointLimits &limits, QObject *parent = nullptr);

    // Port 0 picks a free port; false with *error when the port is taken.
    bool listen(quint16 port, QString *error = nullptr,
                const QHostAddress &address = QHostAddress(QHostAddress::LocalHost));
    quint16 port() const;
    void close();

    int openConnections() const { return m_open; }
    quint64 arrivedConnections() const { return m_arrived; } // every connection seen
    quint64 refusedConnections() const { return m_refused; } // closed to make room past the cap
    quint64 droppedRequests() const { return m_dropped; } // timed out or oversized
    quint64 renders() const { return m_renders; }

private:
    void onConnection();
    void onReadable(QTcpSocket *socket);
    QByteArray body();
    static void respond(QTcpSocket *socket, const QByteArray &status, const QByteArray &contentType,
                        const QByteArray &body);

    Renderer m_renderer;
    MetricsEndpointLimits m_limits;
    QTcpServer m_server;
    std::deque<QPointer<QTcpSocket>> m_waiting; // accepted, no whole request yet, oldest first
    int m_open = 0;
    quint64 m_arrived = 0;
    quint64 m_refused = 0;
    quint64 m_dropped = 0;
    quint64 m_renders = 0;
    QByteArray m_cached;
    QElapsedTimer m_renderedAt;
};

} // namespace gp
