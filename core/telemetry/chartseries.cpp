#include "core/telemetry/chartseries.h"

#include <algorithm>
#include <cmath>

namespace gp {

void ChartSeries::runs(const QList<QPointF> &points, qint64 maxStepMs, QList<Run> &out)
{
    out.resize(0);
    for (qsizetype i = 0; i < points.size(); ++i) {
        if (out.isEmpty() || points[i].x() - points[i - 1].x() > double(maxStepMs))
            out.append({ i, 0 });
        ++out.last().count;
    }
}

void ChartSeries::sumPerBin(const QList<QPointF> &perBucket, const Bins &bins, bool dropFilling,
                            QList<QPointF> &out)
{
    out.resize(0);
    int current = -1;
    for (const QPointF &p : perBucket) {
        if (!std::isfinite(p.y()))
            continue;
        const qint64 offset = qint64(p.x()) - bins.fromMs;
        if (offset < 0)
            continue;
        const int bin = int(offset / bins.binMs);
        if (bin >= bins.count || (dropFilling && bins.isFilling(bin)))
            break;
        if (bin != current) {
            out.append(QPointF(double(bins.startOf(bin)), 0.0));
            current = bin;
        }
        out.last().ry() += p.y();
    }
}

void ChartSeries::latencyPerBin(const MetricsHub &hub, Resolution resolution, const Bins &bins,
                                const std::array<double, 3> &quantiles, std::array<QList<QPointF>, 3> &out)
{
    for (QList<QPointF> &o : out)
        o.resize(0);
    for (int bin = 0; bin < bins.count; ++bin) {
        const MetricBucket merged = hub.window(resolution, bins.startOf(bin), bins.endOf(bin) - 1);
        if (merged.latency.count() == 0)
            continue;
        for (size_t q = 0; q < quantiles.size(); ++q)
            out[q].append(QPointF(double(bins.startOf(bin)), merged.latency.quantile(quantiles[q])));
    }
}

void ChartSeries::percentOfLimit(const QList<QPointF> &left, const QList<QPointF> &limit, QList<QPointF> &out)
{
    out.resize(0);
    qsizetype j = 0;
    for (const QPointF &p : left) {
        while (j < limit.size() && limit[j].x() < p.x())
            ++j;
        if (j >= limit.size())
            break;
        if (limit[j].x() != p.x() || limit[j].y() <= 0.0)
            continue;
        out.append(QPointF(p.x(), std::clamp(100.0 * p.y() / limit[j].y(), 0.0, 100.0)));
    }
}

} // namespace gp
