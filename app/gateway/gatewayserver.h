#pragma once

#include "app/gateway/gatewayconnection.h"
#include "app/gateway/gatewaystats.h"
#include "app/gateway/openaierror.h"
#include "core/client/requestoptions.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTcpServer>
#include <QUrl>

#include <memory>
#include <optional>

namespace gp {

class ChatRelay;
class Client;

// What the server enforces besides each connection's own limits.
struct GatewayServerConfig
{
    ConnectionLimits connection;
    int maxConnections = 256;
    int maxPending = 512; // chat and Responses requests queued or in flight
    QByteArray token; // clients' bearer token; never the upstream key
    QUrl upstream; // for GET /v1/models
    QString upstreamKey; // for GET /v1/models; never sent to a client, never logged
    bool allowInsecureHttp = false;
    QString tlsCertPath; // both set: the listener speaks TLS only
    QString tlsKeyPath;
};

// The gateway's HTTP front: accepts connections (bounded), authenticates the local token,
// and routes POST /v1/chat/completions, POST /v1/responses, GET /v1/models and GET /healthz.
// Chat and Responses requests become jobs of the given Client (not owned); one ChatRelay
// answers each.
class GatewayServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayServer)

public:
    GatewayServer(Client *client, GatewayServerConfig config, QObject *parent = nullptr);
    ~GatewayServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_tcp ? m_tcp->serverPort() : 0; }
    bool isTls() const { return !m_config.tlsCertPath.isEmpty(); }
    int connectionCount() const { return int(m_connections.size()); }
    int pendingCount() const { return m_pending; }
    const GatewayStats &stats() const { return m_stats; }
    void close();

    // "x-grokpulse-client" made safe for labels: [A-Za-z0-9._-], at most 64; else "default".
    static QString clientLabel(const QByteArray &header);

Q_SIGNALS:
    void requestFinished(const QString &client, const gp::Outcome &outcome);

private:
    struct JobRequest
    {
        QString client;
        QJsonObject body;
        RequestOptions options;
    };
    void onNewConnection();
    void onRequest(GatewayConnection *connection, const sim::HttpRequest &request);
    void onConnectionClosed(GatewayConnection *connection);
    std::optional<JobRequest> admit(GatewayConnection *connection, const sim::HttpRequest &request);
    ChatRelay *newRelay(GatewayConnection *connection, const QString &client);
    void refuse(GatewayConnection *connection, const QString &client, const OpenAiError &error,
                const HeaderList &extra = {});
    void handleChat(GatewayConnection *connection, const sim::HttpRequest &request);
    void handleResponses(GatewayConnection *connection, const sim::HttpRequest &request);
    void handleModels(GatewayConnection *connection);
    void handleHealth(GatewayConnection *connection, bool authorized);
    void onRelayFinished(ChatRelay *relay, const QString &client, const Outcome &outcome);
    void sendError(GatewayConnection *connection, const OpenAiError &error, const HeaderList &extra = {});

    Client *m_client = nullptr;
    GatewayServerConfig m_config;
    std::unique_ptr<QTcpServer> m_tcp; // a QSslServer with TLS
    QSet<GatewayConnection *> m_connections;
    int m_pending = 0;
    GatewayStats m_stats;
};

} // namespace gp
