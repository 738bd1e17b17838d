#pragma once

#include "core/pacing/cubicrule.h"

#include <QString>
#include <QtGlobal>

namespace gp {

// Everything the Scheduler can be told. Zero for a limit means "not configured":
// the server's quota headers or the adaptive limiter decide instead.
struct PacingConfig
{
    // Local limits from configuration.
    double requestsPerSecond = 0.0;
    double requestsPerMinute = 0.0;
    // Bucket size for requestsPerSecond; 0 = one second's worth locally, and in the shared (Redis)
    // gate the largest remaining any instance has seen, else 1: a server's burst may be small.
    double requestBurst = 0.0;
    double tokensPerMinute = 0.0; // also the bucket size unless tokenBurst is set
    double tokenBurst = 0.0;
    int maxInFlight = 16;

    // Queue.
    int maxQueued = 10000;
    qint64 agingMs = 10000; // each agingMs of waiting lifts a ticket one priority level
    double interactiveReserve = 0.2; // share only interactive work may use while background waits

    // Learning from the server.
    bool useServerQuota = true; // pace on remaining/reset headers
    bool probeFirst = true; // one attempt alone until the first response has been seen...
    // ...or until it has been out this long unanswered: a limiter that refuses at admission would
    // have refused it by then (TCP's initial retransmission timeout before any round trip is
    // measured, RFC 6298), and at LLM latency the first answer can take seconds. 0: wait for it.
    qint64 probeTimeoutMs = 1000;
    bool adaptive = true; // learn a request rate from 429s when there are no headers
    qint64 minHoldAfter429Ms = cubic::MinHoldMs; // pause after a quota 429 without Retry-After
    double adaptiveBeta = cubic::Beta;
    double adaptiveCubicC = cubic::GrowthC;
    // Before a model's first loss: at most this many of its attempts in flight, plus the per-success
    // growth (cubic::startWindow); 0 = no window, the rate's slow start alone.
    int adaptiveStartWindow = cubic::StartWindow;
    double adaptiveWindowPerSuccess = cubic::WindowPerSuccess;
    double adaptiveWindowPacing = cubic::WindowPacing; // x window per round trip; 0 = not paced
    // Attempts older than this many smoothed round trips leave the window; 0 = all in flight count.
    double adaptiveWindowHorizonRtts = cubic::WindowHorizonRtts;
    double adaptiveSlowStartRps = cubic::SlowStartRps; // before the first loss: from this rate...
    qint64 adaptiveSlowStartDoublingMs = cubic::SlowStartDoublingMs; // ...doubled this often

    // Retry budget (retries are at most this share of attempts, with a floor per second).
    double retryBudgetRatio = 0.2;
    double retryBudgetMinPerSecond = 3.0;

    qint64 stateThrottleMs = 100; // stateChanged at most this often

    // Shared pacing through Redis across processes and machines; empty = local only.
    QString redisUrl; // redis://[user:password@]host:port/db
    QString redisNamespace = QStringLiteral("grokpulse");
    // The shared quota is keyed by namespace + model: the console and batch jobs on one model share it.
    QString redisModel = QStringLiteral("grok-4");
    double fallbackShare = 0.0; // share of a limit used while Redis is down; 0 = 1/last seen instances

    // The limits a running pacer takes over live (rates, bursts, adaptive on/off): one list.
    void takeLimitsFrom(const PacingConfig &other)
    {
        requestsPerSecond = other.requestsPerSecond;
        requestsPerMinute = other.requestsPerMinute;
        requestBurst = other.requestBurst;
        tokensPerMinute = other.tokensPerMinute;
        tokenBurst = other.tokenBurst;
        adaptive = other.adaptive;
    }
};

} // namespace gp
