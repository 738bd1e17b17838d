#pragma once

#include "core/policy/breakerstate.h"
#include "core/policy/priority.h"
#include "core/telemetry/loghistogram.h"
#include "core/telemetry/metricfield.h"

#include <QtGlobal>

#include <array>

namespace gp {

// Point-in-time gauges; -1 means "not known yet".
struct MetricGauges
{
    qint64 requestsRemaining = -1;
    qint64 requestLimit = -1;
    qint64 tokensRemaining = -1;
    qint64 tokenLimit = -1;
    qint64 quotaResetAtMs = -1; // wall-clock ms of the next known quota reset (the earlier of the two)
    qint64 requestsResetAtMs = -1; // wall-clock ms the server said its requests quota is full again
    qint64 tokensResetAtMs = -1; // ...and its tokens quota
    std::array<int, PriorityCount> queued {};
    int inFlight = 0;
    BreakerState breaker = BreakerState::Closed;

    int queueDepth() const { return queued[0] + queued[1] + queued[2]; }
    // What is left at `nowMs`: the last count the server sent, or the whole limit once the reset
    // it announced for that dimension has passed (a reset is the quota back at its initial state);
    // -1 when not known.
    qint64 requestsLeftAt(qint64 nowMs) const;
    qint64 tokensLeftAt(qint64 nowMs) const;
    // Whether that dimension's announced reset has passed at `nowMs` (its count read as full).
    bool requestsResetPassed(qint64 nowMs) const;
    bool tokensResetPassed(qint64 nowMs) const;
};

// Everything counted during one time slice. Fixed size: no heap, whatever the load.
struct MetricBucket
{
    qint64 startMs = -1; // -1: this ring slot holds nothing yet
    quint32 submitted = 0;
    quint32 attempts = 0;
    quint32 failedAttempts = 0;
    quint32 successes = 0;
    quint32 failures = 0;
    std::array<quint32, ErrorBucketCount> errors {};
    std::array<quint32, ErrorBucketCount> retries {};
    LogHistogram ttfb;
    LogHistogram latency;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 cachedTokens = 0;
    double costUsd = 0.0;
    MetricGauges gauges; // last value seen in this slice

    quint32 errorTotal() const;
    quint32 retryTotal() const;
    // Sums counters and histograms of `other` into this; gauges become other's (the later).
    void accumulate(const MetricBucket &other);
    // NaN when the field has no value in this bucket (empty histogram, unknown gauge).
    double value(MetricField field) const;
};

} // namespace gp
