#pragma once

#include "core/client/clientconfig.h"
#include "core/pacing/pacingconfig.h"
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

// Pure: every problem of the configuration, in a stable order (endpoint, redis, limits, retry,
// metrics). Resource problems (a port taken, a journal that cannot open) come from start().
QList<ConfigProblem> validateEngineConfig(const EngineConfig &config);

} // namespace gp
