#pragma once

#include "core/telemetry/metricshub.h"

#include <QList>
#include <QPointF>

#include <array>
#include <vector>

namespace gp {

// Pure maths behind the console's charts: binning, percentiles per bin, percent of a limit,
// and gaps. A bin the hub holds no data for is absent from the output (a gap, never a 0),
// and the bin still filling is left out of sums so the newest bar never dips.
class ChartSeries final
{
public:
    struct Run
    {
        qsizetype first = 0;
        qsizetype count = 0;
        bool operator==(const Run &) const = default;
    };
    struct Bins
    {
        qint64 fromMs = 0; // start of the first bin
        qint64 binMs = 5000;
        int count = 0;
        qint64 nowMs = 0;
        qint64 endOf(int bin) const { return fromMs + qint64(bin + 1) * binMs; }
        qint64 startOf(int bin) const { return fromMs + qint64(bin) * binMs; }
        bool isFilling(int bin) const { return endOf(bin) > nowMs; }
    };

    // Points (x ascending) split where the next x lies more than maxStepMs after the last.
    static void runs(const QList<QPointF> &points, qint64 maxStepMs, QList<Run> &out);
    // Per-bucket values summed per bin (x = bin start). Bins with no bucket are absent; so is
    // the filling bin when dropFilling.
    static void sumPerBin(const QList<QPointF> &perBucket, const Bins &bins, bool dropFilling,
                          QList<QPointF> &out);
    // Latency quantiles per bin from merged histograms (x = bin start); bins without a
    // finished request are absent. out[i] gets quantiles[i].
    static void latencyPerBin(const MetricsHub &hub, Resolution resolution, const Bins &bins,
                              const std::array<double, 3> &quantiles, std::array<QList<QPointF>, 3> &out);
    // 100 * left / limit for each x both have (limit > 0), clamped to [0, 100].
    static void percentOfLimit(const QList<QPointF> &left, const QList<QPointF> &limit, QList<QPointF> &out);

    // Per-bucket values summed into every bin (x = bin start, 0 where nothing was counted):
    // stacks need a value in every bin. The filling bin's sum is returned and its value set to 0.
    static double densePerBin(const QList<QPointF> &perBucket, const Bins &bins, QList<QPointF> &out);
    // a - b at each x of a (b matched by x, absent = 0), never below 0: final = failed - retried.
    static void difference(const QList<QPointF> &a, const QList<QPointF> &b, QList<QPointF> &out);
    // 100 * part / (part + rest) at each x where the sum is > 0 (sumPerBin outputs, x ascending).
    static void sharePercent(const QList<QPointF> &part, const QList<QPointF> &rest, QList<QPointF> &out);
    // One layer of a stack as a step outline, two corners per bin, upper on lower; the running
    // stack (one value per bin) grows by the layer.
    static void stackStep(const QList<QPointF> &dense, qint64 binMs, std::vector<double> &stack,
                          QList<QPointF> &upper, QList<QPointF> &lower);

    struct Span
    {
        qint64 fromMs = 0;
        qint64 toMs = 0;
        bool operator==(const Span &) const = default;
    };
    // Where a gauge held at least threshold (a state holds until a bucket says otherwise):
    // a span ends at the first bucket below threshold, or at endMs when it still holds.
    static void spansAtLeast(const QList<QPointF> &gauge, double threshold, qint64 endMs, QList<Span> &out);

    // Four round tick intervals above value * 1.1 (integers for counts): 0..niceMax.
    static double niceMax(double value);
    // The value of the last point at or before x, if it lies within tolerance; NaN otherwise.
    static double valueAt(const QList<QPointF> &points, qint64 x, qint64 tolerance);
};

} // namespace gp
