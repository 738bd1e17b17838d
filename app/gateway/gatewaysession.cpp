#include "app/gateway/gatewaysession.h"

#include "app/gateway/gatewayserver.h"
#include "app/gateway/gatewaytoken.h"
#include "app/gateway/upstreamcredential.h"
#include "core/client/client.h"
#include "core/engine/engine.h"

using namespace Qt::StringLiterals;

namespace gp {

GatewaySession::GatewaySession(GatewayOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

GatewaySession::~GatewaySession()
{
    m_server.reset(); // connections and relays before the client their jobs belong to
    m_engine.reset();
}

Client *GatewaySession::client() const
{
    return m_engine ? m_engine->client() : nullptr;
}

Telemetry *GatewaySession::telemetry() const
{
    return m_engine ? m_engine->telemetry() : nullptr;
}

quint16 GatewaySession::port() const
{
    return m_server ? m_server->port() : 0;
}

int GatewaySession::start(QString *error)
{
    const UpstreamCredential::Result credential
        = UpstreamCredential::resolve(m_options.apiKeyEnv, m_options.useKeychain);
    m_apiKey = credential.key;
    m_apiKeySource = credential.source;
    if (m_apiKey.isEmpty()) {
        *error = u"no upstream API key: %1 (set it, pass --api-key-env NAME, or save the key "
                 u"from the console)"_s.arg(credential.note);
        return 3;
    }
    m_tokenPath = m_options.tokenFile.isEmpty() ? GatewayToken::defaultPath() : m_options.tokenFile;
    const std::optional<QByteArray> token = GatewayToken::loadOrCreate(m_tokenPath, &m_tokenCreated, error);
    if (!token)
        return 2;
    if (*token == m_apiKey.toUtf8()) {
        *error
            = u"the token file %1 holds the upstream API key: clients must never get it"_s.arg(m_tokenPath);
        return 2;
    }
    if (const int code = startEngine(error))
        return code;

    GatewayServerConfig config;
    config.connection.maxBodyBytes = m_options.maxBodyBytes;
    config.connection.headerTimeoutMs = m_options.headerTimeoutMs;
    config.connection.bodyTimeoutMs = m_options.bodyTimeoutMs;
    config.connection.idleTimeoutMs = m_options.idleTimeoutMs;
    config.maxConnections = m_options.maxConnections;
    config.maxPending = m_options.maxPending;
    config.token = *token;
    config.upstream = m_options.upstream;
    config.upstreamKey = m_apiKey;
    config.allowInsecureHttp = m_options.allowInsecureHttp;
    config.tlsCertPath = m_options.tlsCertPath;
    config.tlsKeyPath = m_options.tlsKeyPath;
    m_server = std::make_unique<GatewayServer>(m_engine->client(), config);
    if (!m_server->listen(m_options.listenAddress, m_options.listenPort, error))
        return 2;
    return 0;
}

EngineConfig GatewaySession::engineConfig() const
{
    EngineConfig config;
    config.client.baseUrl = m_options.upstream;
    config.client.apiKey = m_apiKey;
    config.client.apiKeySource = m_apiKeySource;
    config.client.defaultModel = m_options.defaultModel;
    config.client.maxInFlight = m_options.concurrency;
    config.client.allowInsecureHttp = m_options.allowInsecureHttp;
    if (m_options.maxAttempts > 0) { // a limit the user set holds for every failure
        config.client.retry.maxAttempts = m_options.maxAttempts;
        config.client.retry.stretchWhileAnswering = false;
    }
    config.client.timeouts.defaultDeadlineMs = m_options.deadlineMs;
    config.limitMemory.enabled = !m_options.noRememberLimits;
    config.paced = !m_options.unpaced; // unpaced: the client's own pass-through pacer, the cap only
    PacingConfig &pacing = config.pacing;
    pacing.requestsPerSecond = m_options.requestsPerSecond;
    pacing.requestBurst = m_options.requestBurst;
    pacing.requestsPerMinute = m_options.requestsPerMinute;
    pacing.tokensPerMinute = m_options.tokensPerMinute;
    pacing.maxInFlight = m_options.concurrency;
    pacing.maxQueued = std::max(pacing.maxQueued, m_options.maxPending * 2);
    pacing.redisUrl = m_options.redisUrl;
    pacing.redisModel = m_options.defaultModel;
    config.telemetry.enabled = !m_options.journalPath.isEmpty() || m_options.metricsPort >= 0;
    config.telemetry.metricsPort = m_options.metricsPort;
    config.journal.path = m_options.journalPath;
    return config;
}

int GatewaySession::startEngine(QString *error)
{
    m_engine = std::make_unique<Engine>(engineConfig());
    const QList<ConfigProblem> problems = m_engine->start();
    if (problems.isEmpty())
        return 0;
    const ConfigProblem &first = problems.first();
    const QString option = first.field == ConfigField::Redis ? u"--redis: "_s
        : first.field == ConfigField::Journal                ? u"--journal: "_s
        : first.field == ConfigField::Metrics                ? u"--metrics-port: "_s
                                                             : QString();
    *error = option + first.message;
    return 2;
}

void GatewaySession::stop()
{
    if (m_server)
        m_server->close();
    if (m_engine)
        m_engine->shutDown();
}

} // namespace gp
