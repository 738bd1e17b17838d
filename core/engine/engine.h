#pragma once

#include "core/engine/engineconfig.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace gp {

class Client;
class Pacer;
class RedisLimiter;
class Scheduler;
class StatedLimitKeeper;
class Telemetry;
namespace sim {
class SimServer;
}

// The one composition root: made from one EngineConfig, it owns and wires the Client, its
// Scheduler (unless unpaced), the Redis limiter (when pacing.redisUrl is set), Telemetry (its
// journal and Prometheus endpoint) and the in-process simulator. The console, `batch` and the
// gateway hold an Engine and build none of these themselves.
class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)

public:
    explicit Engine(EngineConfig config, QObject *parent = nullptr);
    ~Engine() override;

    // Validates, then starts the simulator, builds and wires the parts, opens the journal and
    // the metrics port, starts Redis. Returns every problem found; isRunning() says whether
    // the engine runs (strict: only without problems; degraded: see EngineConfig).
    QList<ConfigProblem> start();
    bool isRunning() const { return m_client != nullptr; }

    // A new configuration while running: validated first (a limits or retry problem, or any
    // problem when strict, applies nothing). What can change live is pushed into the parts at
    // once: retries and timeouts into the Client for the next jobs (a job in flight keeps the
    // attempts and backoff it started with), rates, bursts, concurrency, adaptive pacing, the
    // interactive share and the retry budget into the Scheduler from its next admission, a new
    // Redis URL as a new shared limiter (none: local pacing), alert thresholds into Telemetry. The rest is
    // reported as needing a restart and left as it runs. Before start(): the whole configuration is taken for
    // start().
    ApplyReport apply(const EngineConfig &next);

    const EngineConfig &config() const { return m_config; }
    QUrl baseUrl() const { return m_config.client.baseUrl; } // the simulator's once started with one
    Client *client() const { return m_client.get(); }
    Scheduler *scheduler() const { return m_scheduler.get(); } // nullptr when unpaced
    Pacer *pacer() const; // the scheduler, or the client's own pass-through pacer
    RedisLimiter *redisLimiter() const { return m_redis.get(); }
    Telemetry *telemetry() const { return m_telemetry.get(); } // nullptr when off
    sim::SimServer *simulator() const { return m_sim.get(); }
    StatedLimitKeeper *limitKeeper() const { return m_keeper.get(); } // nullptr when not remembering
    // Cancels every job and commits what the journal holds.
    void shutDown();

Q_SIGNALS:
    // Something a user should see that is not a request's event: about Redis (down, back) or
    // pacing, or about the journal (a corrupt file moved aside, write failures, dropped events),
    // from the first moment of start().
    void warning(gp::ConfigField about, const QString &message);

private:
    std::optional<ConfigProblem> startSimulator();
    void buildPacing();
    void startLimitMemory();
    std::optional<ConfigProblem> startRedis();
    QList<ConfigProblem> startTelemetry();
    void teardown();
    bool canApplyNow(EngineSetting setting) const;
    std::optional<ConfigProblem> replaceRedis();

    EngineConfig m_given; // as given (before the simulator's URL replaced the endpoint), updated by apply()
    EngineConfig m_config;
    std::unique_ptr<sim::SimServer> m_sim;
    std::unique_ptr<Telemetry> m_telemetry; // outlives the client, which feeds it
    std::unique_ptr<RedisLimiter> m_redis; // outlives the scheduler, which asks it
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<StatedLimitKeeper> m_keeper; // listens to the scheduler: goes before it
    std::unique_ptr<Client> m_client;
};

} // namespace gp
