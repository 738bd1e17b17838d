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

double ChartSeries::densePerBin(const QList<QPointF> &perBucket, const Bins &bins, QList<QPointF> &out)
{
    out.resize(bins.count);
    for (int i = 0; i < bins.count; ++i)
        out[i] = QPointF(double(bins.startOf(i)), 0.0);
    for (const QPointF &p : perBucket) {
        const qint64 offset = qint64(p.x()) - bins.fromMs;
        if (offset >= 0 && offset / bins.binMs < bins.count && std::isfinite(p.y()))
            out[offset / bins.binMs].ry() += p.y();
    }
    if (bins.count == 0 || !bins.isFilling(bins.count - 1))
        return 0.0;
    const double filling = out.last().y();
    out.last().ry() = 0.0;
    return filling;
}

void ChartSeries::difference(const QList<QPointF> &a, const QList<QPointF> &b, QList<QPointF> &out)
{
    out.resize(a.size());
    qsizetype j = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        while (j < b.size() && b[j].x() < a[i].x())
            ++j;
        const double minus = j < b.size() && b[j].x() == a[i].x() ? b[j].y() : 0.0;
        out[i] = QPointF(a[i].x(), std::max(0.0, a[i].y() - minus));
    }
}

void ChartSeries::sharePercent(const QList<QPointF> &part, const QList<QPointF> &rest, QList<QPointF> &out)
{
    out.resize(0);
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < part.size() || j < rest.size()) {
        const double xi = i < part.size() ? part[i].x() : INFINITY;
        const double xj = j < rest.size() ? rest[j].x() : INFINITY;
        const double x = std::min(xi, xj);
        const double p = xi == x ? part[i++].y() : 0.0;
        const double r = xj == x ? rest[j++].y() : 0.0;
        if (p + r > 0.0)
            out.append(QPointF(x, 100.0 * p / (p + r)));
    }
}

void ChartSeries::stackStep(const QList<QPointF> &dense, qint64 binMs, std::vector<double> &stack,
                            QList<QPointF> &upper, QList<QPointF> &lower)
{
    const qsizetype bins = std::min(dense.size(), qsizetype(stack.size()));
    upper.resize(2 * bins);
    lower.resize(2 * bins);
    for (qsizetype i = 0; i < bins; ++i) {
        const double x0 = dense[i].x();
        const double x1 = x0 + double(binMs);
        const double below = stack[size_t(i)];
        const double above = below + dense[i].y();
        stack[size_t(i)] = above;
        lower[2 * i] = QPointF(x0, below);
        lower[2 * i + 1] = QPointF(x1, below);
        upper[2 * i] = QPointF(x0, above);
        upper[2 * i + 1] = QPointF(x1, above);
    }
}

void ChartSeries::spansAtLeast(const QList<QPointF> &gauge, double threshold, qint64 endMs, QList<Span> &out)
{
    out.resize(0);
    bool open = false;
    for (const QPointF &p : gauge) {
        const bool above = p.y() >= threshold;
        if (above && !open)
            out.append({ qint64(p.x()), endMs });
        else if (!above && open)
            out.last().toMs = qint64(p.x());
        open = above;
    }
}

double ChartSeries::niceMax(double value)
{
    const double rawStep = std::max(value * 1.1, 4.0) / 4.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rawStep)));
    for (double step : { 1.0, 2.0, 2.5, 5.0, 10.0 }) {
        if (step == 2.5 && magnitude < 10.0)
            continue; // 2.5 x 1 would put ticks between integers
        if (step * magnitude >= rawStep)
            return 4.0 * step * magnitude;
    }
    return 40.0 * magnitude;
}

double ChartSeries::valueAt(const QList<QPointF> &points, qint64 x, qint64 tolerance)
{
    const auto it = std::upper_bound(points.cbegin(), points.cend(), double(x),
                                     [](double v, const QPointF &p) { return v < p.x(); });
    if (it == points.cbegin())
        return std::nan("");
    const QPointF &p = *(it - 1);
    return double(x) - p.x() <= double(tolerance) ? p.y() : std::nan("");
}

} // namespace gp
