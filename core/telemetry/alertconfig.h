#pragma once

#include <QtGlobal>

namespace gp {

// Thresholds of AlertMonitor. Every rule raises once and clears once (hysteresis: the
// clear threshold sits below the raise threshold). Defaults are the documented ones.
struct AlertConfig
{
    qint64 windowMs = 60'000; // rates and p95 are computed over this trailing window

    // Error spike: failed attempts / attempts over the window >= multiplier x baseline EWMA
    // and > minRate, with at least minAttempts. Clears at <= max(clearRate, clearMultiplier x
    // baseline) or when the window holds no attempt. The baseline is an EWMA of the window
    // rate, sampled once per evaluate() while not raised (alpha 1/300: ~5 min memory).
    bool errorSpikeEnabled = true;
    double errorSpikeMultiplier = 3.0;
    double errorSpikeMinRate = 0.10;
    int errorSpikeMinAttempts = 20;
    double errorSpikeClearRate = 0.05;
    double errorSpikeClearMultiplier = 2.0;
    double baselineAlpha = 1.0 / 300.0;

    // Sustained quota 429s (our rate limit; not "at capacity" 429s or 529s): more than
    // raiseRate of the attempts in the window, with at least minAttempts; clears below clearRate.
    bool sustained429Enabled = true;
    double sustained429Rate = 0.05;
    double sustained429ClearRate = 0.025;
    int sustained429MinAttempts = 20;

    // Server overloaded (529, 429 "at capacity"): unrelated to our quota. Same shape as above.
    bool overloadEnabled = true;
    double overloadRate = 0.05;
    double overloadClearRate = 0.025;
    int overloadMinAttempts = 20;

    // Failure rate: failed attempts / attempts over the window above raiseRate, whatever the
    // baseline (a steady 20% failing never becomes "normal"); clears below clearRate.
    bool failureRateEnabled = true;
    double failureRate = 0.10;
    double failureClearRate = 0.05;
    int failureMinAttempts = 20;

    // Circuit breaker open (or half-open after opening); clears when closed.
    bool breakerEnabled = true;

    // Quota below lowFraction of its limit (requests and tokens separately); clears at
    // clearFraction or once the reported reset time has passed.
    bool quotaEnabled = true;
    double quotaLowFraction = 0.10;
    double quotaClearFraction = 0.15;

    // p95 of total request latency over the window above thresholdMs, with minSamples.
    bool latencyEnabled = true;
    double latencyP95ThresholdMs = 30'000.0;
    double latencyClearFraction = 0.8; // clears below 0.8 x threshold
    int latencyMinSamples = 20;
    bool operator==(const AlertConfig &) const = default;
};

} // namespace gp
