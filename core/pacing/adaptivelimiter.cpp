#include "core/pacing/adaptivelimiter.h"

#include <algorithm>
#include <cmath>

namespace gp {

AdaptiveLimiter::AdaptiveLimiter()
    : AdaptiveLimiter(Params {})
{ }

AdaptiveLimiter::AdaptiveLimiter(const Params &params)
    : m_params(params)
{
    m_params.beta = std::clamp(std::isfinite(params.beta) ? params.beta : cubic::Beta, 0.1, 0.99);
    m_params.cubicC = std::isfinite(params.cubicC) && params.cubicC > 0 ? params.cubicC : cubic::GrowthC;
    m_params.minRps = std::isfinite(params.minRps) && params.minRps > 0 ? params.minRps : cubic::MinRps;
    m_params.measureMs
        = std::max(cubic::MeasureSlotMs, params.measureMs / cubic::MeasureSlotMs * cubic::MeasureSlotMs);
    m_params.slowStartRps = std::isfinite(params.slowStartRps) && params.slowStartRps > 0
        ? params.slowStartRps
        : cubic::SlowStartRps;
    m_params.slowStartDoublingMs = std::max<qint64>(1, params.slowStartDoublingMs);
}

void AdaptiveLimiter::recordAdmission(qint64 nowMs)
{
    if (m_firstSentMs && nowMs - m_lastSentMs > cubic::CountGapMs) {
        m_slots.clear(); // a long gap: a new count
        m_firstSentMs.reset();
    }
    if (!m_firstSentMs)
        m_firstSentMs = nowMs;
    m_lastSentMs = nowMs;
    const qint64 slot = nowMs / cubic::MeasureSlotMs;
    ++m_slots[slot].sent;
    m_slots.erase(m_slots.begin(), m_slots.lower_bound(slot - cubic::CountMemoryMs / cubic::MeasureSlotMs));
}

void AdaptiveLimiter::refundAdmission(qint64 admittedMs)
{
    const auto it = m_slots.find(admittedMs / cubic::MeasureSlotMs);
    if (it != m_slots.end() && it->second.sent > 0)
        --it->second.sent;
}

void AdaptiveLimiter::recordSuccess(qint64 nowMs, qint64 roundTripMs)
{
    Q_UNUSED(nowMs)
    if (roundTripMs >= 0) {
        m_roundTripMs = m_roundTripMs > 0.0
            ? m_roundTripMs + cubic::RoundTripGain * (double(roundTripMs) - m_roundTripMs)
            : std::max(1.0, double(roundTripMs));
    }
    ++m_successes;
}

void AdaptiveLimiter::start(qint64 nowMs)
{
    if (!m_startMs)
        m_startMs = nowMs;
}

std::optional<double> AdaptiveLimiter::gotThroughRps(qint64 nowMs, qint64 admittedMs) const
{
    const cubic::MeasureWindow w = cubic::measureWindow(admittedMs, nowMs, m_params.measureMs);
    int count = 0;
    for (auto it = m_slots.lower_bound(w.firstSlot); it != m_slots.end() && it->first <= w.lastSlot; ++it)
        count += it->second.sent - it->second.refused;
    return cubic::measuredRate(count, w.endMs, m_firstSentMs.value_or(w.endMs), m_params.measureMs);
}

void AdaptiveLimiter::holdFor(qint64 nowMs, std::optional<double> rps, qint64 hintMs)
{
    m_holdUntilMs = std::max(m_holdUntilMs, nowMs + cubic::pauseMs(rps, hintMs, m_params.minHoldMs));
}

bool AdaptiveLimiter::recordRateLimited(qint64 nowMs, qint64 admittedMs, qint64 holdMs)
{
    admittedMs = std::min(admittedMs, nowMs);
    // Refused: it did not get through, whichever overload it belongs to.
    if (const qint64 slot = admittedMs / cubic::MeasureSlotMs;
        slot >= nowMs / cubic::MeasureSlotMs - cubic::CountMemoryMs / cubic::MeasureSlotMs)
        ++m_slots[slot].refused;
    if (m_curve && admittedMs <= m_epochMs) {
        // The same overload, answered late: its pause was taken at the decrease. Only the server's own
        // wait holds again; a pause per late answer would keep restarting the curve's clock.
        if (holdMs > 0)
            holdFor(nowMs, m_curve->wmax, holdMs);
        return false;
    }
    // The rate the server refused is the one meant when the refused attempt was sent: at a long
    // feedback delay the curve has grown since.
    const double rateAtLoss = rateRps(admittedMs);
    const auto wmax = cubic::lossRate(rateAtLoss > 0 ? std::optional(rateAtLoss) : std::nullopt,
                                      m_curve.has_value(), gotThroughRps(nowMs, admittedMs), m_params.minRps);
    holdFor(nowMs, wmax, holdMs);
    if (!wmax)
        return false;
    m_curve = cubic::decrease(*wmax, m_params.beta, m_params.cubicC, double(nowMs - admittedMs) / 1000.0);
    m_epochMs = nowMs;
    ++m_losses;
    // The first estimate comes from an unpaced burst: it only stands until a paced loss.
    if (m_losses == 2) {
        m_meanWmax = 0.0;
        m_varWmax = 0.0;
    }
    const int n = m_losses == 1 ? 1 : m_losses - 1;
    // Welford's running mean and variance of the loss rates.
    const double delta = *wmax - m_meanWmax;
    m_meanWmax += delta / n;
    m_varWmax += delta * (*wmax - m_meanWmax);
    return true;
}

double AdaptiveLimiter::rateRps(qint64 nowMs) const
{
    if (m_curve) // time runs from the end of the hold: nothing was sent while holding
        return cubic::curveRate(*m_curve, nowMs - std::max(m_epochMs, m_holdUntilMs), m_params.minRps);
    if (!m_startMs)
        return 0.0;
    const double rate
        = cubic::slowStartRate(nowMs - *m_startMs, m_params.slowStartRps, m_params.slowStartDoublingMs);
    const std::optional<int> window = startWindow();
    const double paced = window ? cubic::windowRate(*window, m_roundTripMs, m_params.windowPacing) : 0.0;
    return paced > 0.0 ? std::min(rate, paced) : rate;
}

std::optional<int> AdaptiveLimiter::startWindow() const
{
    if (m_curve || !m_startMs)
        return std::nullopt;
    return cubic::startWindow(m_successes, m_params.startWindow, m_params.windowPerSuccess);
}

std::optional<qint64> AdaptiveLimiter::startWindowHorizonMs() const
{
    if (!startWindow())
        return std::nullopt;
    return cubic::windowHorizonMs(m_roundTripMs, m_params.windowHorizonRtts);
}

std::optional<double> AdaptiveLimiter::learnedRps() const
{
    if (m_losses == 0)
        return std::nullopt;
    return m_meanWmax;
}

double AdaptiveLimiter::confidence() const
{
    if (m_losses == 0)
        return 0.0;
    const int n = m_losses - 1; // paced losses
    const double sd = n > 1 ? std::sqrt(m_varWmax / (n - 1)) : m_meanWmax;
    const double agreement = m_meanWmax > 0 ? std::max(0.0, 1.0 - sd / m_meanWmax) : 0.0;
    return std::min(1.0, double(n) / 4.0) * agreement;
}

} // namespace gp
