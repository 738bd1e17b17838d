#include "core/pacing/cubicrule.h"

#include <algorithm>
#include <cmath>

namespace gp::cubic {

double slowStartRate(qint64 elapsedMs, double startRps, qint64 doublingMs)
{
    const double doublings = double(std::max<qint64>(0, elapsedMs)) / double(std::max<qint64>(1, doublingMs));
    return std::min(MaxRps, startRps * std::pow(2.0, std::min(doublings, MaxDoublings)));
}

std::optional<int> startWindow(int successes, int initial, double perSuccess)
{
    if (initial <= 0)
        return std::nullopt;
    const double grown = double(initial) + std::max(0.0, perSuccess) * double(std::max(0, successes));
    return int(std::min(grown, 1e6));
}

double windowRate(int window, double roundTripMs, double pacing)
{
    if (roundTripMs <= 0.0 || window <= 0 || pacing <= 0.0)
        return 0.0;
    return std::min(MaxRps, pacing * double(window) * 1000.0 / roundTripMs);
}

std::optional<qint64> windowHorizonMs(double roundTripMs, double horizonRtts)
{
    if (roundTripMs <= 0.0 || !(horizonRtts > 0.0))
        return std::nullopt;
    return std::max<qint64>(1, qint64(std::ceil(std::min(horizonRtts * roundTripMs, 1e9))));
}

double curveRate(const Curve &curve, qint64 elapsedMs, double minRps)
{
    const double t = double(std::max<qint64>(0, elapsedMs)) / 1000.0;
    double rate = curve.wmax + curve.c * std::pow(t - curve.k, 3.0);
    if (curve.delayS > 0.0 && t > curve.k)
        rate = std::min(rate, curve.wmax + (t - curve.k) / (curve.delayS * curve.delayS));
    return std::min(MaxRps, std::max(minRps, rate));
}

Curve decrease(double wmax, double beta, double growthC, double delayS)
{
    Curve curve;
    curve.wmax = wmax;
    curve.delayS = std::max(0.0, delayS);
    curve.c = growthC * std::min(MaxScale, std::max(MinScale, std::pow(wmax / ScaleAtRps, 3.0)));
    // pow, not cbrt: the Lua transcription has only ^ (1 / 3), and both must agree to the bit.
    curve.k = std::pow(wmax * (1.0 - beta) / curve.c, 1.0 / 3.0);
    if (curve.k < CycleDelays * curve.delayS) {
        curve.k = CycleDelays * curve.delayS;
        curve.c = wmax * (1.0 - beta) / (curve.k * curve.k * curve.k);
    }
    return curve;
}

std::optional<double> measuredRate(int count, qint64 endMs, qint64 firstMs, qint64 measureMs)
{
    if (count <= 0)
        return std::nullopt;
    // The window runs from the start of its first slot to its end.
    const qint64 span
        = std::max(MeasureFloorMs, std::min(measureMs + endMs % MeasureSlotMs, endMs - firstMs));
    return double(count) * 1000.0 / double(span);
}

MeasureWindow measureWindow(qint64 admittedMs, qint64 nowMs, qint64 measureMs)
{
    MeasureWindow w;
    w.lastSlot = admittedMs / MeasureSlotMs;
    w.firstSlot = std::max(w.lastSlot - measureMs / MeasureSlotMs,
                           nowMs / MeasureSlotMs - CountMemoryMs / MeasureSlotMs);
    w.endMs = std::min(nowMs, w.lastSlot * MeasureSlotMs + MeasureSlotMs - 1);
    return w;
}

std::optional<double> lossRate(std::optional<double> rateAtLoss, bool onCurve, std::optional<double> measured,
                               double minRps)
{
    if (!onCurve && !measured)
        return std::nullopt;
    std::optional<double> wmax = measured;
    if (rateAtLoss && (!wmax || *rateAtLoss < *wmax))
        wmax = rateAtLoss;
    if (!wmax)
        return std::nullopt;
    return std::max(minRps, *wmax);
}

qint64 pauseMs(std::optional<double> rps, qint64 hintMs, qint64 minHoldMs)
{
    const qint64 pause = rps
        ? std::min<qint64>(minHoldMs, qint64(std::floor(PauseSendsMs / std::max(*rps, 1e-3))))
        : minHoldMs;
    return std::max(std::max<qint64>(0, hintMs), pause);
}

} // namespace gp::cubic
