#pragma once

#include "core/sim/asyncconfig.h"
#include "core/sim/faultspec.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace gp::sim {

enum class HeaderStyle { None, OpenAI, Ietf, IetfLegacy, XRateLimit };
enum class RetryAfterStyle { None, Seconds, HttpDate };
// How quota and access errors are worded (see SimWordings): api.x.ai's 2026 texts, the
// simulator's earlier English, or "at capacity" for every limiter 429.
enum class Wording { Xai, Classic, Capacity };
// What a chat request's random draws (its fault and its latency) are keyed on: the next
// draws of one seeded sequence in arrival order, or the request itself (a hash of the seed,
// its model and prompt, and how many times the same request came before: its attempt), so
// that request i's attempt j draws the same in every client whatever the order it is sent in.
enum class DrawKeying { Arrival, PerRequest };

// Per-model quota. Zero means unlimited for that dimension.
struct ModelLimits
{
    double requests = 0; // requests per window
    qint64 windowMs = 1000; // 1000 (per second) or 60000 (per minute)
    int burst = 0; // bucket size; 0 means "requests" (rounded up)
    qint64 tokensPerMinute = 0;
};

struct LatencySpec
{
    enum class Distribution { Fixed, Uniform, LogNormal };
    Distribution distribution = Distribution::Fixed;
    double ms = 0; // fixed
    double minMs = 0; // uniform (and the floor for lognormal)
    double maxMs = 0; // uniform, and the cap for lognormal
    double medianMs = 0; // lognormal
    double sigma = 0.5; // lognormal; derived from p99_ms when the scenario gives that instead
    // When a limiter's 429 is answered: after this latency like an answer (the pessimistic
    // default), or at admission in network time, uniform in rejectionMinMs..rejectionMaxMs.
    enum class Rejections { AfterLatency, AtAdmission };
    Rejections rejections = Rejections::AfterLatency;
    double rejectionMinMs = 20;
    double rejectionMaxMs = 80;

    // One draw from two uniforms in [0, 1): a fixed number of draws per request keeps a
    // seeded run replayable.
    int sampleMs(double u1, double u2) const;
    // A limiter's 429, from the same two draws.
    int rejectionMs(double u1, double u2) const;
};

// A fault that fires with a probability, optionally only inside a time window
// (seconds after start or the last reset). Windowed rules are checked first.
struct FaultRule
{
    FaultSpec fault;
    double probability = 1.0;
    std::optional<double> startS;
    double durationS = 0;

    bool isWindowed() const { return startS.has_value(); }
};

// A simulator scenario, the schema of resources/scenarios/*.json (README.md there).
struct Scenario
{
    QString name;
    QString description;
    HeaderStyle headerStyle = HeaderStyle::OpenAI;
    RetryAfterStyle retryAfter = RetryAfterStyle::Seconds;
    bool retryAfterMs = false;
    int wrongKeyStatus = 401; // real xAI answers a wrong key with 400
    Wording wording = Wording::Classic;
    ModelLimits limits;
    QHash<QString, ModelLimits> modelLimits; // by resolved model id
    int completionWords = 24;
    int chunkIntervalMs = 2;
    int wordsPerChunk = 1;
    double tokensPerSecond = 0; // > 0: generation speed, replaces chunkIntervalMs
    LatencySpec latency;
    DrawKeying draws = DrawKeying::Arrival;
    QList<FaultRule> faults;
    AsyncConfig async; // deferred completions and the Batch API

    ModelLimits limitsFor(const QString &model) const { return modelLimits.value(model, limits); }

    static std::optional<Scenario> fromJson(const QJsonObject &object, QString *error);
    static std::optional<HeaderStyle> headerStyleFromName(const QString &name);
    static QString headerStyleName(HeaderStyle style);
    static QString wordingName(Wording wording);
};

} // namespace gp::sim
