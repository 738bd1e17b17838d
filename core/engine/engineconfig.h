#pragma once

#include "core/client/clientconfig.h"
#include "core/pacing/pacingconfig.h"
#include "core/pacing/statedlimitmemory.h"
#include "core/telemetry/alertconfig.h"
#include "core/telemetry/journalconfig.h"

#include <QList>
#include <QString>

#include <optional>

namespace gp {

class CredentialProvider;

// The in-process simulator on loopback; its URL replaces the client's base URL.
struct SimulatorConfig
{
    QString scenario = QStringLiteral("demo"); // a built-in name or a JSON file
    std::optional<quint64> seed; // none: the scenario's own
    QString requiredApiKey; // non-empty: the only key it accepts, and the one the client sends
};

// The limits servers stated, remembered across runs per endpoint, key and model
// (core/pacing/statedlimitkeeper.h). Never with the in-process simulator: its port is new each run.
struct LimitMemoryConfig
{
    // Off: nothing is read or written. The commands (batch, gateway, console) turn it on; an Engine
    // built by a test or an embedder remembers nothing unless told to.
    bool enabled = false;
    QString path; // empty: StatedLimitKeeper::defaultPath()
    qint64 expiryMs = StatedLimitMemory::DefaultExpiryMs; // older than this: not used
};

struct TelemetryConfig
{
    bool enabled = true; // off: no Telemetry at all (no journal, no metrics)
    AlertConfig alerts;
    int metricsPort = -1; // < 0: no Prometheus endpoint; 0: any free port on 127.0.0.1
};

// Everything one Engine is made from. validate() says what is wrong with it, as values.
struct EngineConfig
{
    ClientConfig client; // endpoint, key, retry, timeouts, breaker, concurrency
    CredentialProvider *keyProvider = nullptr; // asked for a new key on 401; not owned
    bool paced = true; // false: only the client's concurrency cap and retry budget
    // pacing.redisUrl non-empty: the shared quota in Redis. pacing.maxInFlight is not read: the
    // concurrency is client.maxInFlight, for the client's network pool and the pacer alike.
    PacingConfig pacing;
    LimitMemoryConfig limitMemory; // read at start, with pacing on
    TelemetryConfig telemetry;
    JournalConfig journal; // path empty: no journal
    std::optional<SimulatorConfig> simulator;
    // Strict (batch, gateway): any problem refuses to start. Degraded (the console): a bad
    // endpoint still starts (every job then fails saying why, where the user sees it), a bad
    // Redis URL runs locally and a journal or metrics port that cannot open is left off.
    bool runDegraded = false;
};

enum class ConfigField { Endpoint, Redis, Limits, Retry, Journal, Metrics, Simulator };
QString configFieldName(ConfigField field); // "endpoint", "redis", ...

struct ConfigProblem
{
    ConfigField field = ConfigField::Endpoint;
    QString message; // one sentence; never holds the API key or a Redis password
    bool operator==(const ConfigProblem &) const = default;
};

// What one setting of a running Engine is, as Engine::apply() reports it.
enum class EngineSetting {
    Endpoint, // client.baseUrl, allowInsecureHttp: read at start
    DefaultModel, // client.defaultModel and the shared quota's key: live (a new Redis limiter on it)
    Retry, // client.retry's attempts, backoff and hint ceiling: live, for the next jobs
    Timeouts, // client.timeouts: live, from each job's next attempt (the deadline: next jobs)
    Breaker, // client.breaker: read at start
    Concurrency, // client.maxInFlight: live
    Limits, // pacing rates and bursts: live, from the next admission
    Adaptive, // pacing.adaptive: live
    Priorities, // pacing.interactiveReserve: live
    RetryBudget, // client.retry's budget share and floor: live (paced)
    Pacing, // paced on/off and the other pacing knobs (queue, aging, server quota, probe): at start
    Redis, // pacing.redisUrl, namespace, fallback share: live (paced), a new shared limiter
    Alerts, // telemetry.alerts: live
    Journal, // journal: read at start
    Metrics, // telemetry.metricsPort, telemetry on/off: read at start
    Simulator, // the simulator's scenario, seed, key: read at start
};
QString engineSettingName(EngineSetting setting); // "requests per second and bursts", ...
// True when a running Engine can take the setting without a restart (with pacing on for the
// pacing ones). The one list the console marks its fields by.
bool engineSettingIsLive(EngineSetting setting);

// What Engine::apply() did with a new configuration.
struct ApplyReport
{
    QList<ConfigProblem> problems; // every problem of the new configuration
    bool refused = false; // a limits or retry problem (any, when strict): nothing was applied
    QList<EngineSetting> applied; // changed, and in force for what comes next
    QList<EngineSetting> needsRestart; // changed, but read only when the engine starts
    bool changed() const { return !applied.isEmpty() || !needsRestart.isEmpty(); }
};

// Pure: every problem of the configuration, in a stable order (endpoint, redis, limits, retry,
// metrics). Resource problems (a port taken, a journal that cannot open) come from start().
QList<ConfigProblem> validateEngineConfig(const EngineConfig &config);

} // namespace gp
