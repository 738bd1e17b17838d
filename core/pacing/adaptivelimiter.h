#pragma once

#include <QtGlobal>

#include <deque>
#include <optional>

namespace gp {

// Learns a request rate from 429s when the server sends no quota headers. CUBIC-like:
// on a quota 429 the rate drops to beta x the rate at which the loss happened (Wmax),
// then grows back along a cubic curve: fast far below Wmax, flat near it, probing
// beyond it slowly at first. Capacity 429s (the server is busy, not our quota) are not
// losses. Unlimited until the first loss. Pure: time is passed in (steady ms).
class AdaptiveLimiter final
{
public:
    struct Params
    {
        double beta = 0.85; // multiplicative decrease
        double cubicC = 0.4; // growth scale, rps / s^3
        double minRps = 0.2;
        qint64 minHoldMs = 250; // pause after a loss when the server gave no Retry-After
        qint64 measureMs = 2000; // window that measures the success rate at a loss
        double slowStartRps = 4.0; // before the first loss: start here...
        qint64 slowStartDoublingMs = 500; // ...and double this often
    };

    AdaptiveLimiter();
    explicit AdaptiveLimiter(const Params &params);

    void recordSuccess(qint64 nowMs);
    // A quota 429 for an attempt admitted at `admittedMs`; attempts admitted before the
    // last decrease are ignored (they belong to the same overload). `holdMs`: the
    // server's Retry-After, 0 when none. Returns true when the limit moved.
    bool recordRateLimited(qint64 nowMs, qint64 admittedMs, qint64 holdMs);

    // Starts the slow start (the first response carried no quota headers); idempotent.
    void start(qint64 nowMs);
    bool isLimiting() const { return m_wmax.has_value() || m_startMs.has_value(); }
    double rateRps(qint64 nowMs) const; // 0 = no limit learned yet
    qint64 holdUntilMs() const { return m_holdUntilMs; }
    // The estimate of the server's limit: a mean of the rates at which losses occurred.
    std::optional<double> learnedRps() const;
    double confidence() const; // 0..1: grows with agreeing loss events
    int lossEvents() const { return m_losses; }

private:
    double measuredRps(qint64 nowMs) const;

    Params m_params;
    std::deque<qint64> m_successes; // recent success times, for the first estimate
    std::optional<double> m_wmax;
    std::optional<qint64> m_startMs;
    qint64 m_epochMs = 0; // time of the last decrease
    double m_k = 0.0; // seconds to climb back to Wmax
    double m_c = 0.4; // growth scale in force
    qint64 m_holdUntilMs = 0;
    int m_losses = 0;
    double m_meanWmax = 0.0;
    double m_varWmax = 0.0;
};

} // namespace gp
