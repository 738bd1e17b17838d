#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <memory>

namespace gp {

class ConsoleSession;
class GatewayClientsModel;
class GatewayServer;

// `grokpulse gateway` inside the console: the same HTTP front, serving on loopback through
// the console's own Client, so gateway jobs are paced by the console's Scheduler and land in
// the console's telemetry (charts, journal, alerts) next to its own prompts. Per-client rows
// come from those events.
class GatewayHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayHost)

public:
    explicit GatewayHost(ConsoleSession *session, QObject *parent = nullptr);
    ~GatewayHost() override;

    bool start(quint16 port, QString *error); // 127.0.0.1 only; port 0 = any free port
    void stop(); // closes the listener and every client connection
    bool isRunning() const { return m_server != nullptr; }
    quint16 port() const;
    QString baseUrl() const; // "http://127.0.0.1:8787/v1" while running, else empty
    QString upstreamText() const; // where jobs go: the console's endpoint, "(simulator)" in demo
    QByteArray token() const { return m_token; }
    QString tokenPath() const;
    void setTokenPath(const QString &path) { m_tokenPath = path; } // empty: the gateway's default
    GatewayServer *server() const { return m_server.get(); }
    GatewayClientsModel *clients() const { return m_clients; }

Q_SIGNALS:
    void runningChanged(bool running);

private:
    ConsoleSession *m_session = nullptr;
    GatewayClientsModel *m_clients = nullptr;
    std::unique_ptr<GatewayServer> m_server;
    QByteArray m_token; // shown masked; never logged
    QString m_tokenPath;
};

} // namespace gp
