#pragma once

#include <QString>
#include <QtGlobal>

#include <array>
#include <optional>

namespace gp {

class ConsoleSession;
class MetricsHub;

// The console's headline numbers, computed once per refresh from the metrics hub and the
// pacer, so the stat tiles and the status bar always show the same values.
struct HeadlineStats
{
    static constexpr qint64 kWindowMs = 60'000; // "now" = the last 60 s

    std::optional<qint64> requestsLeft;
    std::optional<qint64> requestLimit;
    std::optional<qint64> tokensLeft;
    std::optional<qint64> tokenLimit;
    bool requestsRefilled = false; // the reset announced with the last count has passed: read as full
    bool tokensRefilled = false;
    std::optional<double> learnedRps; // the pacer's own limit when the server states none
    QString limitSource; // "headers", "stated by server", "learned", "configured"; empty when none
    std::optional<double> pacedRps; // the rate admission is paced by (stated, learned or configured)
    std::optional<double> pacedTpm;
    QString pacedModel; // the model that pace holds for; empty: every model
    std::optional<qint64> resetInMs;
    std::optional<qint64> resetAgoMs; // the last reported reset has passed this long ago
    double spendSessionUsd = 0.0;
    double spendTodayUsd = 0.0;
    quint32 attempts = 0; // in the window
    quint32 failedAttempts = 0;
    quint32 retries = 0;
    std::optional<double> p50Ms;
    std::optional<double> p95Ms;
    quint32 successes = 0; // in the window
    qint64 tokens = 0; // billed tokens in the window
    int inFlight = 0;
    int maxInFlight = 0;
    int queued = 0;
    std::array<int, 3> queuedByPriority {}; // interactive, normal, background
    int breaker = 0; // 0 closed, 1 half-open, 2 open

    // The quota reset in words, the one wording of the tile and the status bar.
    struct ResetWords
    {
        QString value; // the tile's number: "in 12 s", "done", "—"
        QString detail; // the tile's small line: "then it refills", "9.1 s ago"
        QString sentence; // the status bar: "Quota resets in 12 s"
        bool announced = false; // a reset time is known, ahead or passed
    };
    ResetWords resetWords() const;

    std::optional<double> errorRate() const;
    std::optional<double> retryRate() const;
    double successesPerMinute() const { return double(successes) * 60'000.0 / kWindowMs; }
    double tokensPerSecond() const { return double(tokens) * 1000.0 / kWindowMs; }

    // `traffic`: the hub the counted numbers (spend, errors, retries, latency, throughput) come
    // from, one client's; nullptr = all traffic. Quota, queue and in-flight are always everyone's.
    static HeadlineStats compute(const ConsoleSession &session, qint64 nowMs,
                                 const MetricsHub *traffic = nullptr);

    // Shared wordings: "1.2 s", "$0.0123", "4.5%".
    static QString seconds(double ms);
    static QString briefly(double ms); // "0.2 s", "12 s", "3 min", "2 h": a tile's width
    static QString dollars(double usd);
    static QString percent(double fraction);
    static QString count(qint64 n); // 12 345 → "12.3k"
};

} // namespace gp
