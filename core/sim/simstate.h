#pragma once

#include "core/sim/arrivalcounter.h"
#include "core/sim/asyncstores.h"
#include "core/sim/faultspec.h"
#include "core/sim/promptcache.h"
#include "core/sim/ratelimiter.h"
#include "core/sim/scenario.h"
#include "core/sim/simrng.h"
#include "core/sim/simstats.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace gp::sim {

// Everything the request handlers read and change; owned by SimServer.
struct SimState
{
    Scenario scenario;
    std::optional<HeaderStyle> headerStyleOverride;
    RateLimiter limiter;
    ArrivalCounter arrivals; // per model, for the "actual" in xAI 429s
    quint64 requestLimited429s = 0;
    qint64 inFlight = 0; // /v1 requests read and not yet fully answered (not reset)
    qint64 peakInFlight = 0; // since start or reset
    quint64 seed = 0;
    SimRng rng { 0 };
    // Per-request draws: how many times each request (model and prompt) was seen since the
    // last reset, its next attempt number. Bounded: past MaxRequestsSeen it starts over.
    static constexpr qsizetype MaxRequestsSeen = 200000;
    QHash<quint64, int> requestsSeen;
    SimStats stats;
    QList<FaultSpec> scripted;
    QElapsedTimer clock;
    qint64 epochMs = 0; // clock time of start or the last reset
    QString requiredKey;
    PromptCache promptCache; // bounded
    quint64 requestCounter = 0;
    AsyncStores async; // stored responses, deferred completions, batches

    HeaderStyle headerStyle() const { return headerStyleOverride.value_or(scenario.headerStyle); }
    qint64 nowMs() const { return clock.elapsed(); }
    qint64 sinceResetMs() const { return clock.elapsed() - epochMs; }
    void reset()
    {
        limiter.reset();
        arrivals.reset();
        requestLimited429s = 0;
        peakInFlight = inFlight;
        stats.reset();
        scripted.clear();
        promptCache.clear();
        rng.reseed(seed);
        requestsSeen.clear();
        requestCounter = 0;
        async.clear();
        epochMs = clock.elapsed();
    }
};

} // namespace gp::sim
