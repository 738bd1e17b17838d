#pragma once

#include "core/telemetry/metricshub.h"

#include <QList>
#include <QPointF>

#include <array>

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
};

} // namespace gp
