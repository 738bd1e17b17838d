#pragma once

#include <QtGlobal>

#include <deque>
#include <optional>

namespace gp {

// SRE / Envoy style retry budget: within a sliding window, retries may be at most
// `ratio` of all attempts sent, but `minPerSecond` retries per second are always
// allowed so a quiet client can still retry. The floor is paced evenly: one retry may go
// when none went in the last 1/minPerSecond s (a window's worth at once would leave the
// rest of the window silent). Pure: time is passed in (steady ms).
// The pacers own one and hold retry tickets until msUntilRetryAllowed() is 0.
class RetryBudget final
{
public:
    explicit RetryBudget(double ratio = 0.2, double minPerSecond = 3.0, qint64 windowMs = 10000);

    // Every attempt that goes on the wire, first tries and retries alike.
    void recordAttempt(qint64 nowMs, bool isRetry);
    bool canRetry(qint64 nowMs);
    // 0 when a retry may go now; otherwise how long until one may, assuming no new traffic.
    qint64 msUntilRetryAllowed(qint64 nowMs);

    qint64 attemptsInWindow(qint64 nowMs);
    qint64 retriesInWindow(qint64 nowMs);
    double allowedRetries(qint64 attempts) const; // the ratio's budget for this many attempts in the window
    double floorIntervalMs() const; // spacing of floor retries; infinite without a floor
    qint64 windowMs() const { return m_windowMs; }
    // New limits for the next decisions; the attempts already in the window stay counted.
    void setLimits(double ratio, double minPerSecond);

private:
    void prune(qint64 nowMs);
    bool ratioAllows() const;
    bool floorAllows(qint64 nowMs) const;
    qint64 msUntilRatioAllows(qint64 nowMs) const; // -1 when no retry leaving the window helps

    double m_ratio = 0.2;
    double m_minPerSecond = 3.0;
    qint64 m_windowMs = 10000;
    std::deque<qint64> m_attempts; // send times, ascending
    std::deque<qint64> m_retries;
    std::optional<qint64> m_lastRetryMs; // kept past the window: the floor's spacing may be longer
};

} // namespace gp
