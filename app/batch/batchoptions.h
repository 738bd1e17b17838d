#pragma once

#include "core/policy/priority.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace gp {

// The `grokpulse batch` command line, parsed and validated. Exit codes (also in --help):
//   0 every line succeeded · 1 some lines did not (or a first signal) · 2 usage or setup error, nothing
//   written · 3 authentication failed · 4 the output, journal or summary could not be
//   written · 5 gave up on an unreachable server · 130 stopped by a second signal.
struct BatchOptions
{
    QString inputPath;
    QString outputPath;
    QUrl baseUrl; // default $GROKPULSE_BASE_URL or https://api.x.ai/v1
    bool allowInsecureHttp = false; // plain http to a non-loopback host is refused without it
    QString apiKeyEnv = QStringLiteral("XAI_API_KEY");
    QString model = QStringLiteral("grok-4");
    int concurrency = 8;
    double requestsPerMinute = 0.0;
    double requestsPerSecond = 0.0;
    double requestBurst = 0.0; // requests the server accepts at once; 0: learned from quota headers
    double tokensPerMinute = 0.0;
    bool rememberLimits = true; // limits servers stated in earlier runs seed the pacing, and are kept
    qint64 rememberLimitsMs = 6 * 3600 * 1000; // how long after last stated
    int maxAttempts = 0; // 0: the client's default
    qint64 deadlineMs = 600000; // per request, waits included; 0: none
    qint64 giveUpAfterMs = 30000; // breaker open this long, nothing succeeded: stop; 0: never
    Priority priority = Priority::Normal;
    bool stream = false;
    QString redisUrl;
    QString journalPath;
    QString summaryPath;
    int metricsPort = -1; // -1: no endpoint
    std::optional<QString> simulateScenario; // set: run against the in-process simulator
    quint64 simulateSeed = 1;
    bool resume = false;
    bool quiet = false;
    qint64 graceMs = 5000; // in-flight grace after the first SIGINT/SIGTERM
    enum class Via { Direct, XaiBatch, Deferred };
    Via via = Via::Direct; // live paced calls, the Batch API, or deferred completions
    qint64 pollMs = 2000; // first poll interval of --via runs; backs off to pollCapMs
    qint64 pollCapMs = 30000;
    qint64 batchChunkBytes = 4 * 1024 * 1024; // one add-requests body at most (xAI: 25 MB)
    bool exactTokens = false; // count prompt tokens with POST /tokenize-text for pacing

    // How many jobs may wait ahead of the pacer: bounded so huge inputs stay flat.
    int submitWindow() const { return std::max(16, concurrency * 4); }
};

struct BatchOptionsResult
{
    std::optional<BatchOptions> options; // nullopt: see error or helpText
    QString error; // usage error, one sentence
    QString helpText; // set when --help was asked for
};

// arguments as from main, with "batch" as the first one after the program name.
// defaultBaseUrl is $GROKPULSE_BASE_URL or empty.
BatchOptionsResult parseBatchOptions(const QStringList &arguments, const QString &defaultBaseUrl);

} // namespace gp
