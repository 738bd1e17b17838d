#include "ui/gatewayhost.h"

#include "app/gateway/gatewayserver.h"
#include "app/gateway/gatewaytoken.h"
#include "core/client/client.h"
#include "core/telemetry/telemetry.h"
#include "ui/consolesession.h"
#include "ui/gatewayclientsmodel.h"

namespace gp {

GatewayHost::GatewayHost(ConsoleSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_clients(
          new GatewayClientsModel(session->telemetry() ? session->telemetry()->clientHubs() : nullptr, this))
{
    // Rows count every labelled job of the console's client, across stops and starts; the
    // telemetry (connected first) has counted the event when the model hears of it.
    if (Client *client = session->client())
        connect(client, &Client::eventEmitted, m_clients, &GatewayClientsModel::record);
}

GatewayHost::~GatewayHost()
{
    stop();
}

QString GatewayHost::tokenPath() const
{
    return m_tokenPath.isEmpty() ? GatewayToken::defaultPath() : m_tokenPath;
}

quint16 GatewayHost::port() const
{
    return m_server ? m_server->port() : 0;
}

QString GatewayHost::baseUrl() const
{
    return m_server ? QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server->port()) : QString();
}

QString GatewayHost::upstreamText() const
{
    const QString url = m_session->endpoint().toString();
    return m_session->isSimulated() ? tr("%1 (the built-in simulator)").arg(url) : url;
}

bool GatewayHost::start(quint16 port, QString *error)
{
    if (m_server)
        return true;
    if (!m_session->client()) {
        *error = tr("the console has no engine running (it did not start)");
        return false;
    }
    bool created = false;
    const std::optional<QByteArray> token = GatewayToken::loadOrCreate(tokenPath(), &created, error);
    if (!token)
        return false;
    if (*token == m_session->apiKey().toUtf8()) {
        *error
            = tr("The token file %1 holds the upstream API key: clients must never get it.").arg(tokenPath());
        return false;
    }
    GatewayServerConfig config;
    config.token = *token;
    config.upstream = m_session->endpoint();
    config.upstreamKey = m_session->apiKey();
    config.allowInsecureHttp = m_session->client()->config().allowInsecureHttp;
    auto server = std::make_unique<GatewayServer>(m_session->client(), config);
    if (!server->listen(QHostAddress(QHostAddress::LocalHost), port, error))
        return false;
    m_server = std::move(server);
    m_token = *token;
    Q_EMIT runningChanged(true);
    return true;
}

void GatewayHost::stop()
{
    if (!m_server)
        return;
    m_server.reset(); // its connections close; their jobs are cancelled by their relays' owner
    Q_EMIT runningChanged(false);
}

} // namespace gp
