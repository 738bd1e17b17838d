#include "ui/charts/chartlayers.h"

#include "core/telemetry/clienthubs.h"
#include "core/telemetry/metricshub.h"
#include "ui/charts/segmentedline.h"

#include <QAreaSeries>
#include <QChart>
#include <QDateTime>
#include <QLegendMarker>
#include <QLineSeries>

#include <algorithm>
#include <cmath>

namespace gp {

using Kind = ChartLayer::Kind;

ChartLayers::ChartLayers(QChart *chart, QAbstractAxis *time, QAbstractAxis *left, QAbstractAxis *right)
    : m_chart(chart)
    , m_time(time)
    , m_left(left)
    , m_right(right)
{ }

ChartLayers::~ChartLayers() = default;

void ChartLayers::add(const ChartLayer &spec)
{
    Layer layer;
    layer.spec = spec;
    QAbstractAxis *axis = spec.rightAxis && m_right ? m_right : m_left;
    if (spec.kind == Kind::Stacked || spec.kind == Kind::PercentArea) {
        auto *upper = new QLineSeries(m_chart);
        layer.lower = new QLineSeries(m_chart);
        layer.area = new QAreaSeries(upper, layer.lower);
        layer.area->setName(spec.name);
        QColor fill = spec.color;
        fill.setAlpha(spec.kind == Kind::PercentArea ? 90
                                                     : spec.fillAlpha); // quota areas overlap: see through
        layer.area->setBrush(fill);
        layer.area->setPen(QPen(spec.color, spec.kind == Kind::PercentArea ? 1.5 : 1.0));
        m_chart->addSeries(layer.area);
        layer.area->attachAxis(m_time);
        layer.area->attachAxis(axis);
        layer.series = upper;
    } else if (spec.kind == Kind::Limit) {
        auto *limit = new QLineSeries(m_chart);
        limit->setName(spec.name);
        m_chart->addSeries(limit); // restyled (dashed, muted) by applyPalette()
        limit->attachAxis(m_time);
        limit->attachAxis(axis);
        layer.series = limit;
    } else {
        QPen pen(spec.color, spec.width, spec.style);
        layer.line = new SegmentedLine(m_chart, m_time, axis, spec.name, pen, m_chart);
        layer.series = layer.line->primary();
    }
    m_layers.push_back(std::move(layer));
}

// A limit is drawn in a greyed tint of its quantity's hue: related, yet not mistaken for it.
QColor ChartLayers::limitColor(const QColor &base, bool dark)
{
    const QColor hsl = base.toHsl();
    return QColor::fromHslF(hsl.hslHueF(), hsl.hslSaturationF() * 0.35, dark ? 0.70 : 0.45);
}

void ChartLayers::applyPalette(bool dark)
{
    for (Layer &layer : m_layers) {
        if (layer.spec.kind != Kind::Limit)
            continue;
        QPen pen(limitColor(layer.spec.color, dark), 2.0, Qt::DashLine);
        layer.series->setPen(pen);
        // The legend shows a short dashed segment in the muted colour, not a solid swatch.
        for (QLegendMarker *marker : m_chart->legend()->markers(layer.series)) {
            marker->setShape(QLegend::MarkerShapeFromSeries);
            marker->setPen(pen);
            marker->setBrush(Qt::NoBrush);
        }
    }
}

QList<QXYSeries *> ChartLayers::limitSeries() const
{
    QList<QXYSeries *> out;
    for (const Layer &layer : m_layers)
        if (layer.spec.kind == Kind::Limit)
            out.append(layer.series);
    return out;
}

void ChartLayers::replaceIfChanged(QXYSeries *series, const QList<QPointF> &points)
{
    if (points != series->points())
        series->replace(points);
}

ChartLayers::Result ChartLayers::fill(const MetricsHub &hub, const Frame &frame)
{
    Result result;
    m_stack.assign(size_t(frame.bins.count), 0.0);
    bool percentilesDone = false;
    for (Layer &layer : m_layers) {
        if (layer.spec.kind == Kind::Percentile && !percentilesDone) {
            ChartSeries::latencyPerBin(hub, MetricsHub::resolutionFor(frame.spanMs), frame.bins,
                                       { 0.5, 0.95, 0.99 }, m_percentiles);
            percentilesDone = true;
        }
        if (layer.spec.kind == Kind::Limit)
            fillLimit(layer, frame.nowMs - frame.spanMs, frame.nowMs, result.anyPercent);
        else if (const MetricsHub *source = sourceOf(layer, hub, frame))
            fillOne(layer, *source, frame, result);
    }
    for (double v : m_stack)
        result.leftMax = std::max(result.leftMax, v);
    result.leftMax = std::max(result.leftMax, result.filling);
    result.anyData = result.anyData || result.filling > 0.0;
    return result;
}

void ChartLayers::fillOne(Layer &layer, const MetricsHub &hub, const Frame &frame, Result &result)
{
    const Kind kind = layer.spec.kind;
    if (kind == Kind::Stacked) {
        fillStacked(layer, hub, frame, result);
        return;
    }
    if (kind == Kind::RateLine) {
        hub.recent(frame.spanMs, frame.nowMs, layer.spec.field, m_scratch);
        ChartSeries::sumPerBin(m_scratch, frame.bins, true, layer.raw);
    } else if (kind == Kind::ShareLine) {
        hub.recent(frame.spanMs, frame.nowMs, layer.spec.field, m_scratch);
        ChartSeries::sumPerBin(m_scratch, frame.bins, true, layer.absolute);
        hub.recent(frame.spanMs, frame.nowMs, layer.spec.limitField, m_scratch);
        ChartSeries::sumPerBin(m_scratch, frame.bins, true, layer.limit);
        ChartSeries::sharePercent(layer.absolute, layer.limit, layer.raw);
    } else if (kind == Kind::Percentile) {
        const int q = layer.spec.quantile >= 0.99 ? 2 : layer.spec.quantile >= 0.95 ? 1 : 0;
        layer.raw = m_percentiles[size_t(q)];
    } else if (kind == Kind::PercentArea) {
        fillPercent(layer, hub, frame);
    } else {
        hub.recent(frame.spanMs, frame.nowMs, layer.spec.field, layer.raw);
    }
    layer.points = int(layer.raw.size());
    if (layer.line) // per bin, or the hub's bucket for gauges; no $0 before the app ran
        layer.line->setPoints(layer.raw, kind == Kind::Line ? frame.bucketMs : frame.bins.binMs);
    const bool hasData = layer.points > 0;
    result.anyPercent = result.anyPercent || (kind == Kind::PercentArea && hasData);
    if (kind != Kind::RateLine && kind != Kind::ShareLine)
        setVisibleLayer(layer, hasData); // a gauge the server never sent (no token headers)
    double layerMax = 0.0;
    for (const QPointF &p : std::as_const(layer.raw))
        layerMax = std::max(layerMax, p.y());
    result.anyData = result.anyData || hasData;
    const bool right = layer.spec.rightAxis && m_right;
    result.rightShown = result.rightShown || right;
    double &axisMax = right ? result.rightMax : result.leftMax;
    axisMax = std::max(axisMax, layerMax);
}

// Summed per bin in every bin (a stack needs them all); the filling bin is drawn by the caller.
void ChartLayers::fillStacked(Layer &layer, const MetricsHub &hub, const Frame &frame, Result &result)
{
    hub.recent(frame.spanMs, frame.nowMs, layer.spec.field, m_scratch);
    if (layer.spec.minusField != MetricField::Count) {
        hub.recent(frame.spanMs, frame.nowMs, layer.spec.minusField, m_scratch2);
        ChartSeries::difference(m_scratch, m_scratch2, m_scratch);
    }
    result.filling += ChartSeries::densePerBin(m_scratch, frame.bins, layer.raw);
    layer.points = frame.bins.count;
    const bool hasData
        = std::any_of(layer.raw.cbegin(), layer.raw.cend(), [](const QPointF &p) { return p.y() > 0; });
    // Only what occurred in the window clutters the legend, or costs a frame.
    setVisibleLayer(layer, hasData);
    result.anyData = result.anyData || hasData;
    if (!hasData)
        return;
    ChartSeries::stackStep(layer.raw, frame.bins.binMs, m_stack, layer.upper, layer.lowerPoints);
    replaceIfChanged(layer.lower, layer.lowerPoints);
    replaceIfChanged(layer.series, layer.upper);
}

// Left as a share of its limit, as an area from 0; the absolute values stay for the tooltip.
void ChartLayers::fillPercent(Layer &layer, const MetricsHub &hub, const Frame &frame)
{
    hub.recent(frame.spanMs, frame.nowMs, layer.spec.field, layer.absolute);
    hub.recent(frame.spanMs, frame.nowMs, layer.spec.limitField, layer.limit);
    ChartSeries::percentOfLimit(layer.absolute, layer.limit, layer.raw);
    layer.lowerPoints.resize(layer.raw.size());
    for (qsizetype i = 0; i < layer.raw.size(); ++i)
        layer.lowerPoints[i] = QPointF(layer.raw[i].x(), 0.0);
    replaceIfChanged(layer.lower, layer.lowerPoints);
    replaceIfChanged(layer.series, layer.raw);
}

// The dashed 100% line across the span the quota is known for.
void ChartLayers::fillLimit(Layer &layer, qint64 fromMs, qint64 toMs, bool known)
{
    layer.raw.resize(0);
    double first = double(toMs);
    for (const Layer &other : m_layers) {
        if (other.spec.kind == Kind::PercentArea && !other.raw.isEmpty())
            first = std::min(first, other.raw.first().x());
    }
    if (known) // from when the limit is known, not across time it was not
        layer.raw = { QPointF(std::max(first, double(fromMs)), 100.0), QPointF(double(toMs), 100.0) };
    layer.points = 0; // a reference line, not data
    setVisibleLayer(layer, known);
    replaceIfChanged(layer.series, layer.raw);
}

// The chart's hub, or the layer's client's (named after it); nullptr: that client is not seen yet.
const MetricsHub *ChartLayers::sourceOf(Layer &layer, const MetricsHub &hub, const Frame &frame)
{
    const int slot = layer.spec.clientSlot;
    if (slot < 0)
        return &hub;
    const MetricsHub *source = frame.clients ? frame.clients->hub(slot) : nullptr;
    if (!source) {
        layer.raw.resize(0);
        layer.points = 0;
        setVisibleLayer(layer, false);
        return nullptr;
    }
    const QString client = frame.clients->nameOf(slot);
    const QString name = slot == ClientHubs::kOwnSlot ? QObject::tr("this console") : client;
    if (layer.spec.name != name) {
        layer.spec.name = name;
        if (layer.area)
            layer.area->setName(name);
    }
    return source;
}

void ChartLayers::setVisibleLayer(Layer &layer, bool visible)
{
    if (layer.line) {
        layer.line->setVisible(visible);
        return;
    }
    QAbstractSeries *series = layer.area ? static_cast<QAbstractSeries *>(layer.area) : layer.series;
    if (series->isVisible() == visible)
        return;
    series->setVisible(visible);
    for (QLegendMarker *marker : m_chart->legend()->markers(series))
        marker->setVisible(visible);
}

QString ChartLayers::describe(qint64 x, const Frame &frame) const
{
    QString text = QDateTime::fromMSecsSinceEpoch(x).toString(QStringLiteral("HH:mm:ss"));
    const qint64 binMs = frame.bins.binMs;
    for (const Layer &layer : m_layers) {
        const Kind kind = layer.spec.kind;
        if (kind == Kind::Limit)
            continue;
        const bool perBin = kind != Kind::Line && kind != Kind::PercentArea;
        const double v = ChartSeries::valueAt(layer.raw, x, perBin ? binMs : frame.bucketMs);
        if (std::isnan(v) || (kind == Kind::Stacked && v == 0.0))
            continue;
        text += u'\n' + layer.spec.name + QStringLiteral(": ");
        if (kind == Kind::PercentArea || kind == Kind::ShareLine) {
            // The absolute numbers: the axis only says how full.
            const double part = ChartSeries::valueAt(layer.absolute, x, perBin ? binMs : frame.bucketMs);
            double whole = ChartSeries::valueAt(layer.limit, x, perBin ? binMs : frame.bucketMs);
            whole = kind == Kind::ShareLine
                ? (std::isnan(part) ? 0.0 : part) + (std::isnan(whole) ? 0.0 : whole)
                : whole;
            text += QString::number(std::isnan(part) ? 0.0 : part, 'f', 0) + QStringLiteral(" of ")
                + QString::number(whole, 'f', 0) + QStringLiteral(" (") + QString::number(v, 'f', 1)
                + QStringLiteral("%)");
            continue;
        }
        const int decimals = layer.spec.field == MetricField::CostUsd ? 5 : (std::floor(v) == v ? 0 : 1);
        text += kind == Kind::Percentile ? QString::number(v / 1000.0, 'f', 2) + QStringLiteral(" s")
                                         : QString::number(v, 'f', decimals);
        if (perBin)
            text += (kind == Kind::Percentile ? QStringLiteral(" over ") : QStringLiteral(" per "))
                + frame.binLabel;
    }
    return text;
}

qint64 ChartLayers::lastPointTime() const
{
    qint64 latest = 0;
    for (const Layer &layer : m_layers) {
        const bool line = layer.spec.kind != Kind::Stacked;
        for (qsizetype i = layer.raw.size() - 1; i >= 0; --i) {
            if (line || layer.raw[i].y() > 0.0) {
                latest = std::max(latest, qint64(layer.raw[i].x()));
                break;
            }
        }
    }
    return latest;
}

int ChartLayers::pointCount() const
{
    int n = 0;
    for (const Layer &layer : m_layers) {
        if (layer.spec.kind != Kind::Stacked) {
            n += layer.points;
        } else {
            for (const QPointF &p : layer.raw)
                n += p.y() > 0.0 ? 1 : 0;
        }
    }
    return n;
}

} // namespace gp
