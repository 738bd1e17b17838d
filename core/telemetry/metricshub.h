#pragma once

#include "core/events/event.h"
#include "core/events/pacingstate.h"
#include "core/telemetry/metricbucket.h"
#include "core/telemetry/metricring.h"

#include <QList>
#include <QPointF>

#include <array>

namespace gp {

enum class Resolution { Second, Minute };

// Cumulative totals since start, for the status bar and the Prometheus endpoint.
struct MetricsSnapshot
{
    // Upper bounds (seconds) of the request-duration histogram; +Inf is implied.
    static constexpr std::array<double, 12> kDurationBoundsSec { 0.05, 0.1, 0.25, 0.5, 1,   2.5,
                                                                 5,    10,  30,   60,  120, 300 };
    enum Outcome { Succeeded, Failed, Cancelled, Interrupted, OutcomeCount };

    qint64 timeMs = -1; // newest event or gauge time seen
    quint64 submitted = 0;
    quint64 attempts = 0;
    std::array<quint64, OutcomeCount> outcomes {};
    std::array<quint64, ErrorBucketCount> errors {};
    std::array<quint64, ErrorBucketCount> retries {};
    // Non-cumulative counts per bound, then one for +Inf.
    std::array<quint64, kDurationBoundsSec.size() + 1> durationBuckets {};
    double durationSumSec = 0.0;
    quint64 durationCount = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 cachedTokens = 0;
    double costUsd = 0.0;
    bool costEstimated = false; // some of costUsd is from list prices, not the server's own figure
    MetricGauges gauges;
};

// Live metrics from the event stream: bounded 1 s x 1 h and 1 min x 24 h rings plus
// cumulative totals. Fixed memory (~7 MB), O(1) per event. Not thread-safe: feed and
// read it on one thread (the Telemetry facade's).
class MetricsHub final
{
public:
    static constexpr qint64 kSecondMs = 1000;
    static constexpr int kSecondSlots = 3600;
    static constexpr qint64 kMinuteMs = 60'000;
    static constexpr int kMinuteSlots = 1440;

    MetricsHub();

    void record(const Event &event);
    // Pacer gauges; nextResetMs is steady-clock, so the caller gives both clocks.
    void recordPacing(const PacingState &state, qint64 nowMs, qint64 steadyNowMs);
    // A hub started after others (one client's) begins from the gauges they know.
    void seedGauges(const MetricGauges &gauges);

    // Copies buckets in [fromMs, toMs] into `out` (resized, capacity reused: preallocate it),
    // x = bucket start (ms since epoch), y = value. Buckets without a value are skipped.
    // Returns the number of points.
    int series(Resolution resolution, qint64 fromMs, qint64 toMs, MetricField field,
               QList<QPointF> &out) const;
    // "The last spanMs of X": 1 s buckets up to an hour, 1 min buckets beyond.
    int recent(qint64 spanMs, qint64 nowMs, MetricField field, QList<QPointF> &out) const;
    static Resolution resolutionFor(qint64 spanMs);

    // Sum of buckets in [fromMs, toMs] (counters and histograms merged; gauges of the latest).
    MetricBucket window(Resolution resolution, qint64 fromMs, qint64 toMs) const;
    const MetricsSnapshot &snapshot() const { return m_totals; }

private:
    MetricBucket *touch(MetricRing &ring, qint64 timeMs);
    void updateGauges(qint64 timeMs);
    void countError(qint64 timeMs, ErrorClass errorClass, bool attemptFailed);
    void recordTerminal(const Event &event);
    void recordQuota(const Event &event);
    const MetricRing &ring(Resolution resolution) const;

    MetricRing m_seconds { kSecondMs, kSecondSlots };
    MetricRing m_minutes { kMinuteMs, kMinuteSlots };
    MetricsSnapshot m_totals;
};

} // namespace gp
