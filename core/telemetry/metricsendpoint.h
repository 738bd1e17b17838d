#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace gp {

// A tiny HTTP/1.1 responder for Prometheus: GET /metrics on 127.0.0.1 only, one
// response per connection, requests over 8 KiB or slower than 5 s are dropped.
class MetricsEndpoint final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsEndpoint)

public:
    using Renderer = std::function<QByteArray()>;

    explicit MetricsEndpoint(Renderer renderer, QObject *parent = nullptr);

    // Port 0 picks a free port; false with *error when the port is taken.
    bool listen(quint16 port, QString *error = nullptr);
    quint16 port() const;
    void close();

private:
    void onConnection();
    void onReadable(QTcpSocket *socket);
    static void respond(QTcpSocket *socket, const QByteArray &status, const QByteArray &contentType,
                        const QByteArray &body);

    Renderer m_renderer;
    QTcpServer m_server;
};

} // namespace gp
