#include "app/gateway/gatewaysession.h"

#include "app/gateway/gatewayserver.h"
#include "app/gateway/gatewaytoken.h"
#include "core/client/client.h"
#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "core/telemetry/telemetry.h"

using namespace Qt::StringLiterals;

namespace gp {

GatewaySession::GatewaySession(GatewayOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

GatewaySession::~GatewaySession()
{
    m_server.reset(); // connections and relays before the client their jobs belong to
    if (m_client)
        m_client->cancelAll();
    m_client.reset(); // while its pacer still exists
    if (m_scheduler)
        m_scheduler->setSharedLimiter(nullptr);
}

quint16 GatewaySession::port() const
{
    return m_server ? m_server->port() : 0;
}

int GatewaySession::start(QString *error)
{
    m_apiKey = qEnvironmentVariable(m_options.apiKeyEnv.toLocal8Bit().constData()).trimmed();
    if (m_apiKey.isEmpty()) {
        *error = u"no upstream API key: the environment variable %1 is empty or unset "
                 u"(set it or pass --api-key-env NAME)"_s.arg(m_options.apiKeyEnv);
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
    if (const int code = createClient(error))
        return code;
    if (const int code = openTelemetry(error))
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
    m_server = std::make_unique<GatewayServer>(m_client.get(), config);
    if (!m_server->listen(m_options.listenAddress, m_options.listenPort, error))
        return 2;
    return 0;
}

int GatewaySession::createClient(QString *error)
{
    ClientConfig config;
    config.baseUrl = m_options.upstream;
    config.apiKey = m_apiKey;
    config.apiKeySource = m_options.apiKeyEnv;
    config.defaultModel = m_options.defaultModel;
    config.maxInFlight = m_options.concurrency;
    config.allowInsecureHttp = m_options.allowInsecureHttp;
    if (m_options.maxAttempts > 0)
        config.retry.maxAttempts = m_options.maxAttempts;
    config.timeouts.defaultDeadlineMs = m_options.deadlineMs;
    m_client = std::make_unique<Client>(config);
    if (const QString refusal = m_client->endpointRefusal(); !refusal.isEmpty()) {
        *error = refusal;
        return 2;
    }
    if (m_options.unpaced)
        return 0; // the client's own pass-through pacer: the concurrency cap only

    PacingConfig pacing;
    pacing.requestsPerSecond = m_options.requestsPerSecond;
    pacing.requestBurst = m_options.requestBurst;
    pacing.requestsPerMinute = m_options.requestsPerMinute;
    pacing.tokensPerMinute = m_options.tokensPerMinute;
    pacing.maxInFlight = m_options.concurrency;
    pacing.maxQueued = std::max(pacing.maxQueued, m_options.maxPending * 2);
    pacing.redisUrl = m_options.redisUrl;
    pacing.redisModel = m_options.defaultModel;
    const RedisLimiterConfig redisConfig = RedisLimiterConfig::fromPacing(pacing);
    pacing.redisUrl.clear(); // the session's RedisLimiter below, not a second one of the scheduler's
    m_scheduler = std::make_unique<Scheduler>(pacing);
    m_client->setPacer(m_scheduler.get());
    if (!m_options.redisUrl.isEmpty()) {
        m_redis = std::make_unique<RedisLimiter>(redisConfig);
        if (!m_redis->start(error)) {
            *error = u"--redis: "_s + *error;
            return 2;
        }
        m_scheduler->setSharedLimiter(m_redis.get());
    }
    return 0;
}

int GatewaySession::openTelemetry(QString *error)
{
    if (m_options.journalPath.isEmpty() && m_options.metricsPort < 0)
        return 0;
    m_telemetry = std::make_unique<Telemetry>();
    m_telemetry->attach(m_client.get());
    m_telemetry->setServerUrl(m_options.upstream); // GenAI provider, server_address, server_port
    if (m_scheduler)
        m_telemetry->attachPacer(m_scheduler.get());
    if (!m_options.journalPath.isEmpty()) {
        JournalConfig journal;
        journal.path = m_options.journalPath;
        if (!m_telemetry->openJournal(journal, error)) {
            *error = u"--journal: "_s + *error;
            return 2;
        }
    }
    if (m_options.metricsPort >= 0 && !m_telemetry->listenMetrics(quint16(m_options.metricsPort), error)) {
        *error = u"--metrics-port: "_s + *error;
        return 2;
    }
    return 0;
}

void GatewaySession::stop()
{
    if (m_server)
        m_server->close();
    if (m_client)
        m_client->cancelAll();
    if (m_telemetry && m_telemetry->journal())
        m_telemetry->journal()->flush();
}

} // namespace gp
