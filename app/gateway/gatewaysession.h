#pragma once

#include "app/gateway/gatewayoptions.h"

#include <QObject>

#include <memory>

namespace gp {

class Client;
class Engine;
class GatewayServer;
class Telemetry;
struct EngineConfig;

// A gateway run: the upstream key, the clients' token, the Engine (Client, its Scheduler
// unless --unpaced, Redis when configured, Telemetry with journal and Prometheus) and the
// HTTP server in front of it.
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
    Client *client() const;
    Telemetry *telemetry() const;
    void stop(); // closes the listener and every connection; unfinished jobs are cancelled

private:
    EngineConfig engineConfig() const;
    int startEngine(QString *error);

    GatewayOptions m_options;
    QString m_apiKey; // never printed
    QString m_apiKeySource; // the variable's name or "keychain"
    QString m_tokenPath;
    bool m_tokenCreated = false;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<GatewayServer> m_server;
};

} // namespace gp
