#pragma once

#include "core/policy/backoff.h"
#include "core/policy/circuitbreaker.h"

#include <QString>
#include <QUrl>

namespace gp {

// Retries: jittered exponential backoff unless the server hints; at most maxAttempts
// attempts per job (the first included); hints above hintCeilingMs fail the job. With
// stretchWhileAnswering, an endpoint failure (5xx, reset, timeout, 529) while the breaker sees the
// endpoint answer most attempts ends a job only after the run of failures the breaker's window
// makes rare (8 at 20% faults, at most 15): chance, not a broken endpoint, must not lose work.
// Retries may be at most budgetRatio of the attempts of the last 10 s, but
// budgetMinPerSecond retries per second are always allowed, one every 1/budgetMinPerSecond s.
struct RetryConfig
{
    JitterKind jitter = JitterKind::Full;
    qint64 baseMs = 500;
    qint64 capMs = 30000;
    double multiplier = 2.0;
    int maxAttempts = 5;
    bool stretchWhileAnswering = true;
    qint64 hintCeilingMs = 120000;
    double budgetRatio = 0.2;
    double budgetMinPerSecond = 3.0;
    qint64 budgetWindowMs = 10000;
    bool operator==(const RetryConfig &) const = default;
};

// Timeouts, all steady-clock:
//  firstByteMs  from sending until the response headers (includes connecting): 60 s
//  idleMs       silence between body bytes / stream chunks: 30 s
//  attemptMs    one whole attempt, streaming included: 10 min
//  defaultDeadlineMs  a job's total time, queueing and backoff included, when the
//                     request's options give none: 0 = no deadline
struct TimeoutConfig
{
    qint64 firstByteMs = 60000;
    qint64 idleMs = 30000;
    qint64 attemptMs = 600000;
    qint64 defaultDeadlineMs = 0;
    // A response body (non-stream) larger than this aborts the attempt (MalformedResponse).
    qint64 maxResponseBytes = 16 * 1024 * 1024;
    // One SSE line longer than this fails the stream (the SseDecoder bound).
    qint64 maxStreamLineBytes = 1024 * 1024;
    bool operator==(const TimeoutConfig &) const = default;
};

struct ClientConfig
{
    QUrl baseUrl = QUrl(QStringLiteral("https://api.x.ai/v1"));
    QString apiKey;
    QString apiKeySource; // where the key came from, for messages: "XAI_API_KEY", "keychain"
    QString defaultModel = QStringLiteral("grok-4");
    RetryConfig retry;
    TimeoutConfig timeouts;
    BreakerConfig breaker; // per endpoint: 5 failures in a row or 50% of >= 20 in 30 s; 10 s cooldown
    int maxInFlight = 8; // the default PassThroughPacer's concurrency cap
    quint64 randomSeed = 0; // 0: seeded from the system
    // Plain http to a non-loopback host is refused unless this is set (the key would travel in clear).
    bool allowInsecureHttp = false;
};

} // namespace gp
