#include "core/engine/engine.h"

#include "core/client/client.h"
#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "core/pacing/statedlimitkeeper.h"
#include "core/sim/simserver.h"
#include "core/telemetry/telemetry.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

bool degradable(ConfigField field)
{
    return field != ConfigField::Simulator;
}

} // namespace

Engine::Engine(EngineConfig config, QObject *parent)
    : QObject(parent)
    , m_given(config)
    , m_config(std::move(config))
{ }

Engine::~Engine()
{
    teardown();
}

void Engine::teardown()
{
    if (m_client)
        m_client->cancelAll();
    m_client.reset(); // talks to the pacer and the simulator: it goes first
    m_keeper.reset();
    if (m_scheduler)
        m_scheduler->setSharedLimiter(nullptr);
    m_scheduler.reset();
    m_redis.reset();
    m_telemetry.reset();
    m_sim.reset();
}

Pacer *Engine::pacer() const
{
    return m_client ? m_client->pacer() : nullptr;
}

QList<ConfigProblem> Engine::start()
{
    teardown();
    QList<ConfigProblem> problems = validateEngineConfig(m_config);
    const bool refused = std::any_of(problems.cbegin(), problems.cend(), [this](const ConfigProblem &p) {
        return !m_config.runDegraded || !degradable(p.field);
    });
    if (refused)
        return problems;
    if (const auto problem = startSimulator()) {
        problems.append(*problem);
        teardown();
        return problems;
    }
    const bool redisUsable = std::none_of(problems.cbegin(), problems.cend(), [](const ConfigProblem &p) {
        return p.field == ConfigField::Redis;
    });
    if (m_config.telemetry.enabled) {
        problems.append(startTelemetry());
        if (!m_config.runDegraded && !problems.isEmpty()) {
            teardown();
            return problems;
        }
    }
    m_client = std::make_unique<Client>(m_config.client);
    m_client->setCredentialProvider(m_config.keyProvider);
    if (m_config.paced)
        buildPacing();
    if (m_telemetry) {
        m_telemetry->attach(m_client.get());
        if (m_scheduler)
            m_telemetry->attachPacer(m_scheduler.get());
    }
    if (m_scheduler && redisUsable && !m_config.pacing.redisUrl.isEmpty()) {
        if (const auto problem = startRedis()) {
            problems.append(*problem);
            if (!m_config.runDegraded)
                teardown();
        }
    }
    return problems;
}

std::optional<ConfigProblem> Engine::startSimulator()
{
    if (!m_config.simulator)
        return std::nullopt;
    const SimulatorConfig &s = *m_config.simulator;
    m_sim = std::make_unique<sim::SimServer>();
    QString error;
    if (!m_sim->loadScenario(s.scenario, &error))
        return ConfigProblem { ConfigField::Simulator, u"scenario \"%1\": %2"_s.arg(s.scenario, error) };
    if (s.seed)
        m_sim->setSeed(*s.seed);
    m_sim->setRequiredApiKey(s.requiredApiKey);
    if (!m_sim->listen(0))
        return ConfigProblem { ConfigField::Simulator, u"the simulator cannot listen on 127.0.0.1"_s };
    m_config.client.baseUrl = m_sim->baseUrl();
    if (!s.requiredApiKey.isEmpty()) {
        m_config.client.apiKey = s.requiredApiKey; // a real key is never sent to it
        m_config.client.apiKeySource = u"simulator"_s;
    }
    return std::nullopt;
}

void Engine::buildPacing()
{
    m_config.pacing.maxInFlight = m_config.client.maxInFlight; // one concurrency, the client's
    m_scheduler = std::make_unique<Scheduler>(m_config.pacing);
    connect(m_scheduler.get(), &Scheduler::warning, this,
            [this](const QString &message) { Q_EMIT warning(ConfigField::Redis, message); });
    m_client->setPacer(m_scheduler.get());
    startLimitMemory();
}

void Engine::startLimitMemory()
{
    const LimitMemoryConfig &memory = m_config.limitMemory;
    if (!memory.enabled || m_config.simulator)
        return;
    const StatedLimitKeeper::Config keeper { memory.path,
                                             StatedLimitMemory::originOf(m_config.client.baseUrl),
                                             StatedLimitMemory::keyIdOf(m_config.client.apiKey),
                                             memory.expiryMs };
    m_keeper = std::make_unique<StatedLimitKeeper>(m_scheduler.get(), keeper);
    connect(m_keeper.get(), &StatedLimitKeeper::warning, this,
            [this](const QString &message) { Q_EMIT warning(ConfigField::Limits, message); });
    m_keeper->start(); // before the first request: a remembered limit paces it
}

std::optional<ConfigProblem> Engine::startRedis()
{
    m_redis = std::make_unique<RedisLimiter>(RedisLimiterConfig::fromPacing(m_config.pacing));
    m_scheduler->setSharedLimiter(m_redis.get()); // first, so its first warnings reach ours
    QString error;
    if (m_redis->start(&error))
        return std::nullopt;
    m_scheduler->setSharedLimiter(nullptr);
    m_redis.reset();
    return ConfigProblem { ConfigField::Redis, error };
}

QList<ConfigProblem> Engine::startTelemetry()
{
    QList<ConfigProblem> problems;
    m_telemetry = std::make_unique<Telemetry>();
    m_telemetry->setAlertConfig(m_config.telemetry.alerts);
    m_telemetry->setServerUrl(m_config.client.baseUrl);
    connect(m_telemetry.get(), &Telemetry::warning, this,
            [this](const Event &event) { Q_EMIT warning(ConfigField::Journal, event.message); });
    QString error;
    if (!m_config.journal.path.isEmpty() && !m_telemetry->openJournal(m_config.journal, &error))
        problems.append({ ConfigField::Journal, error });
    const int port = m_config.telemetry.metricsPort;
    if (port >= 0 && !m_telemetry->listenMetrics(quint16(port), &error))
        problems.append({ ConfigField::Metrics, error });
    return problems;
}

void Engine::shutDown()
{
    if (m_client)
        m_client->cancelAll();
    if (m_telemetry && m_telemetry->journal())
        m_telemetry->journal()->flush();
}

} // namespace gp
