#pragma once

#include "app/gateway/gatewayoptions.h"

#include <QObject>

#include <memory>

namespace gp {

class Client;
class GatewayServer;
class RedisLimiter;
class Scheduler;
class Telemetry;

// The one place a gateway run is composed: the upstream key, the clients' token, the
// Client and its Scheduler (Redis when configured), Telemetry (journal, Prometheus) and
// the HTTP server. Built the way `grokpulse batch` composes its engine; when a shared
// composition root exists, this class is what it replaces.
class GatewaySession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewaySession)

public:
    explicit GatewaySession(GatewayOptions options, QObject *parent = nullptr);
    ~GatewaySession() override;

    // 0 when serving; otherwise the exit code, with a one-line reason in *error.
    int start(QString *error);
    quint16 port() const;
    QString tokenPath() const { return m_tokenPath; }
    bool tokenCreated() const { return m_tokenCreated; }
    GatewayServer *server() const { return m_server.get(); }
    Client *client() const { return m_client.get(); }
    Telemetry *telemetry() const { return m_telemetry.get(); }
    void stop(); // closes the listener and every connection; unfinished jobs are cancelled

private:
    int createClient(QString *error);
    int openTelemetry(QString *error);

    GatewayOptions m_options;
    QString m_apiKey; // never printed
    QString m_apiKeySource; // the variable's name or "keychain"
    QString m_tokenPath;
    bool m_tokenCreated = false;
    std::unique_ptr<Client> m_client;
    std::unique_ptr<RedisLimiter> m_redis; // declared before the scheduler: outlives it
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<Telemetry> m_telemetry;
    std::unique_ptr<GatewayServer> m_server;
};

} // namespace gp
