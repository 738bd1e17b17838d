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
    m_params.beta = std::clamp(std::isfinite(params.beta) ? params.beta : 0.85, 0.1, 0.99);
    m_params.cubicC = std::isfinite(params.cubicC) && params.cubicC > 0 ? params.cubicC : 0.4;
    m_params.minRps = std::isfinite(params.minRps) && params.minRps > 0 ? params.minRps : 0.2;
    m_params.measureMs = std::max<qint64>(250, params.measureMs);
    m_params.slowStartRps
        = std::isfinite(params.slowStartRps) && params.slowStartRps > 0 ? params.slowStartRps : 4.0;
    m_params.slowStartDoublingMs = std::max<qint64>(1, params.slowStartDoublingMs);
}

void AdaptiveLimiter::recordSuccess(qint64 nowMs)
{
    m_successes.push_back(nowMs);
    while (!m_successes.empty() && m_successes.front() + m_params.measureMs < nowMs)
        m_successes.pop_front();
}

void AdaptiveLimiter::start(qint64 nowMs)
{
    if (!m_startMs)
        m_startMs = nowMs;
}

double AdaptiveLimiter::measuredRps(qint64 nowMs) const
{
    const auto recent = std::count_if(m_successes.begin(), m_successes.end(),
                                      [&](qint64 t) { return t + m_params.measureMs >= nowMs; });
    // Over the window, or over the history when it is shorter (but not a burst's instant).
    const qint64 history = m_successes.empty() ? m_params.measureMs : nowMs - m_successes.front();
    const qint64 span = std::clamp<qint64>(history, 250, m_params.measureMs);
    return double(recent) * 1000.0 / double(span);
}

bool AdaptiveLimiter::recordRateLimited(qint64 nowMs, qint64 admittedMs, qint64 holdMs)
{
    const double rateAtLoss = rateRps(nowMs);
    const auto holdFor = [&](double rps) {
        // At least a short pause, but never much more than two sends' worth at that rate.
        const qint64 pause = std::min<qint64>(m_params.minHoldMs, qint64(2000.0 / std::max(rps, 1e-3)));
        m_holdUntilMs = std::max(m_holdUntilMs, nowMs + std::max(holdMs, pause));
    };
    if (m_wmax && admittedMs <= m_epochMs) {
        holdFor(*m_wmax);
        return false;
    }
    // The rate we meant to send at, but no more than what actually got through (a cubic
    // probe can run far ahead of what the server accepts); before any loss, the measurement.
    const double measured = measuredRps(nowMs);
    const double wmax
        = std::max(m_params.minRps, rateAtLoss <= 0.0 ? measured : std::min(rateAtLoss, measured));
    holdFor(wmax);
    m_wmax = wmax;
    m_epochMs = nowMs;
    // Growth scaled to the rate (normalised at 10 rps) so a cycle spans a similar number of
    // requests at any limit: one loss per cycle stays a small share.
    m_c = m_params.cubicC * std::clamp(std::pow(wmax / 10.0, 3.0), 1e-4, 1e4);
    m_k = std::cbrt(wmax * (1.0 - m_params.beta) / m_c);
    ++m_losses;
    // The first estimate comes from an unpaced burst: it only stands until a paced loss.
    if (m_losses == 2) {
        m_meanWmax = 0.0;
        m_varWmax = 0.0;
    }
    const int n = m_losses == 1 ? 1 : m_losses - 1;
    // Welford's running mean and variance of the loss rates.
    const double delta = wmax - m_meanWmax;
    m_meanWmax += delta / n;
    m_varWmax += delta * (wmax - m_meanWmax);
    return true;
}

double AdaptiveLimiter::rateRps(qint64 nowMs) const
{
    if (!m_wmax && !m_startMs)
        return 0.0;
    if (!m_wmax) {
        const double doublings
            = double(std::max<qint64>(0, nowMs - *m_startMs)) / double(m_params.slowStartDoublingMs);
        return std::min(1e6, m_params.slowStartRps * std::pow(2.0, std::min(doublings, 40.0)));
    }
    // Time runs from the end of the hold: nothing was sent while holding.
    const qint64 start = std::max(m_epochMs, m_holdUntilMs);
    const double t = double(std::max<qint64>(0, nowMs - start)) / 1000.0;
    const double rate = *m_wmax + m_c * std::pow(t - m_k, 3.0);
    return std::clamp(rate, m_params.minRps, 1e6);
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
