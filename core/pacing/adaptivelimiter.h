#pragma once

#include "core/pacing/cubicrule.h"

#include <QtGlobal>

#include <map>
#include <optional>

namespace gp {

// Learns a request rate from 429s when the server sends no quota headers. CUBIC-like:
// on a quota 429 the rate drops to beta x the rate at which the loss happened (Wmax),
// then grows back along a cubic curve: fast far below Wmax, flat near it, probing
// beyond it slowly at first. Wmax is what got through by admission time (attempts sent minus
// refused, cubic::measuredRate), at most the rate meant. Unlimited until started or the first loss.
// A loss with nothing to learn from (before the first loss, nothing got through) only holds. The rule and its
// constants are core/pacing/cubicrule.h, shared with the Redis limiter. Pure: time is passed in (steady ms).
class AdaptiveLimiter final
{
public:
    struct Params
    {
        double beta = cubic::Beta; // multiplicative decrease
        double cubicC = cubic::GrowthC; // growth scale, rps / s^3
        double minRps = cubic::MinRps;
        qint64 minHoldMs = cubic::MinHoldMs; // pause after a loss when the server gave no Retry-After
        qint64 measureMs = cubic::MeasureMs; // how long before a loss what got through is measured
        double slowStartRps = cubic::SlowStartRps; // before the first loss: start here...
        qint64 slowStartDoublingMs = cubic::SlowStartDoublingMs; // ...and double this often
        int startWindow = cubic::StartWindow; // ...with at most this many in flight (0: no window)...
        double windowPerSuccess = cubic::WindowPerSuccess; // ...plus this many per success...
        double windowPacing = cubic::WindowPacing; // ...paced at this x window per round trip (0: not paced)
        double windowHorizonRtts = cubic::WindowHorizonRtts; // ...counting attempts younger than this
    };

    AdaptiveLimiter();
    explicit AdaptiveLimiter(const Params &params);

    // Every attempt sent, refused ones included; a refund takes back one never sent.
    void recordAdmission(qint64 nowMs);
    void refundAdmission(qint64 admittedMs);
    // `roundTripMs`: admission to answer of that success (< 0: not known); it paces the start window.
    void recordSuccess(qint64 nowMs, qint64 roundTripMs = -1);
    // A quota 429 for an attempt admitted at `admittedMs`; attempts admitted before the
    // last decrease are ignored (they belong to the same overload). `holdMs`: the
    // server's Retry-After, 0 when none. Returns true when the limit moved.
    bool recordRateLimited(qint64 nowMs, qint64 admittedMs, qint64 holdMs);

    // Starts the slow start (the first response carried no quota headers); idempotent.
    void start(qint64 nowMs);
    bool isLimiting() const { return m_curve.has_value() || m_startMs.has_value(); }
    double rateRps(qint64 nowMs) const; // 0 = no limit learned yet
    // Before the first loss, once started: the most requests in flight (cubic::startWindow).
    std::optional<int> startWindow() const;
    // While the start window applies: attempts admitted longer ago than this no longer count against
    // it (cubic::windowHorizonMs); nullopt when every attempt in flight counts.
    std::optional<qint64> startWindowHorizonMs() const;
    qint64 holdUntilMs() const { return m_holdUntilMs; }
    // The estimate of the server's limit: a mean of the rates at which losses occurred.
    std::optional<double> learnedRps() const;
    double confidence() const; // 0..1: grows with agreeing loss events
    int lossEvents() const { return m_losses; }

private:
    struct Slot
    {
        int sent = 0;
        int refused = 0;
    };

    std::optional<double> gotThroughRps(qint64 nowMs, qint64 admittedMs) const;
    void holdFor(qint64 nowMs, std::optional<double> rps, qint64 hintMs);

    Params m_params;
    std::map<qint64, Slot> m_slots; // by admission slot (cubic::MeasureSlotMs)
    std::optional<qint64> m_firstSentMs; // the first admission of the current count
    qint64 m_lastSentMs = 0;
    int m_successes = 0; // every success recorded: grows the start window
    double m_roundTripMs = 0.0; // smoothed, 0 until a success's round trip is known
    std::optional<cubic::Curve> m_curve; // since the first loss
    std::optional<qint64> m_startMs;
    qint64 m_epochMs = 0; // time of the last decrease
    qint64 m_holdUntilMs = 0;
    int m_losses = 0;
    double m_meanWmax = 0.0;
    double m_varWmax = 0.0;
};

} // namespace gp
