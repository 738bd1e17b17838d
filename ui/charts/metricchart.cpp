#include "ui/charts/metricchart.h"

#include "core/telemetry/chartseries.h"
#include "core/telemetry/metricshub.h"
#include "ui/charts/axislabels.h"
#include "ui/charts/segmentedline.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QDateTime>
#include <QGuiApplication>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPalette>
#include <QScatterSeries>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <memory>

namespace gp {

MetricChart::MetricChart(ChartSpec spec, QWidget *parent)
    : QChartView(parent)
    , m_spec(std::move(spec))
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(m_spec.title);
    // Legends at the side keep the plots tall; ChartPanel evens out their widths (alignGutters).
    chart->legend()->setAlignment(Qt::AlignRight);
    QFont legendFont = chart->legend()->font();
    if (legendFont.pointSizeF() > 0.0)
        legendFont.setPointSizeF(legendFont.pointSizeF() * 0.9); // five quota entries fit a 135 px chart
    chart->legend()->setFont(legendFont);
    chart->setMargins(kBaseMargins);
    // The view owns the new chart but releases the default one it made itself: delete that.
    const std::unique_ptr<QChart> defaultChart(QChartView::chart());
    setChart(chart);
    setRenderHint(QPainter::Antialiasing, false); // cheaper frames; lines are axis-aligned steps mostly
    setAccessibleName(m_spec.title);
    setMinimumHeight(135);

    // Category labels sit on round clock times (07:41, 07:42…), not on arbitrary seconds.
    m_time = new QCategoryAxis(chart);
    m_time->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    chart->addAxis(m_time, Qt::AlignBottom);
    // Value axes are category axes too, for compact labels (40M, not 40000000).
    m_left = new QCategoryAxis(chart);
    m_left->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    chart->addAxis(m_left, Qt::AlignLeft);
    if (!m_spec.rightTitle.isEmpty()) {
        m_right = new QCategoryAxis(chart);
        m_right->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        chart->addAxis(m_right, Qt::AlignRight);
    }
    for (const ChartLayer &layer : std::as_const(m_spec.layers))
        addLayer(layer);
    if (std::any_of(m_spec.layers.cbegin(), m_spec.layers.cend(),
                    [](const ChartLayer &l) { return l.kind == ChartLayer::Kind::Stacked; })) {
        auto *upper = new QLineSeries(chart);
        auto *lower = new QLineSeries(chart);
        m_filling = new QAreaSeries(upper, lower);
        m_filling->setName(tr("still counting"));
        chart->addSeries(m_filling);
        m_filling->attachAxis(m_time);
        m_filling->attachAxis(m_left);
    }
    if (!m_spec.markerName.isEmpty() && m_spec.markerTicks) {
        // A comb along the 0 baseline: each reset a thin vertical tick, the joins hidden on the axis.
        m_resetTicks = new QLineSeries(chart);
        m_resetTicks->setName(m_spec.markerName);
        m_resetTicks->setPen(QPen(m_spec.markerColor, 1.0));
        chart->addSeries(m_resetTicks);
        m_resetTicks->attachAxis(m_time);
        m_resetTicks->attachAxis(m_left);
    } else if (!m_spec.markerName.isEmpty()) {
        m_markers = new QScatterSeries(chart);
        m_markers->setName(m_spec.markerName);
        m_markers->setMarkerSize(m_spec.markerSize);
        m_markers->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        m_markers->setColor(m_spec.markerColor);
        m_markers->setBorderColor(m_markers->color());
        chart->addSeries(m_markers);
        m_markers->attachAxis(m_time);
        m_markers->attachAxis(m_left);
    }
    applyPalette(); // after the axes and series exist: it colours them
}

MetricChart::~MetricChart() = default;

void MetricChart::applyPalette()
{
    const QPalette palette = QGuiApplication::palette();
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    QChart *c = chart();
    c->setBackgroundBrush(palette.color(QPalette::Base));
    c->setPlotAreaBackgroundVisible(false);
    const QColor text = palette.color(QPalette::Text);
    c->setTitleBrush(text);
    c->legend()->setLabelColor(text);
    for (QAbstractAxis *axis : c->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(dark ? QColor(0x44, 0x44, 0x44) : QColor(0xDD, 0xDD, 0xDD));
    }
    if (m_filling) {
        QColor hatch = text;
        hatch.setAlpha(150);
        m_filling->setBrush(QBrush(hatch, Qt::BDiagPattern));
        m_filling->setPen(QPen(hatch, 1.0, Qt::DashLine));
    }
    for (Layer &layer : m_layers) {
        if (layer.spec.kind != ChartLayer::Kind::Limit)
            continue;
        QPen pen(limitColor(layer.spec.color, dark), 2.0, Qt::DashLine);
        layer.series->setPen(pen);
        // The legend shows a short dashed segment in the muted colour, not a solid swatch.
        for (QLegendMarker *marker : c->legend()->markers(layer.series)) {
            marker->setShape(QLegend::MarkerShapeFromSeries);
            marker->setPen(pen);
            marker->setBrush(Qt::NoBrush);
        }
    }
}

// A limit is drawn in a greyed tint of its quantity's hue: related, yet not mistaken for it.
QColor MetricChart::limitColor(const QColor &base, bool dark)
{
    const QColor hsl = base.toHsl();
    return QColor::fromHslF(hsl.hslHueF(), hsl.hslSaturationF() * 0.35, dark ? 0.70 : 0.45);
}

QMarginsF MetricChart::axisGutters() const
{
    const QChart *c = chart();
    const QRectF plot = c->plotArea();
    const QMargins margins = c->margins();
    return { plot.left() - margins.left(), 0.0, c->size().width() - plot.right() - margins.right(), 0.0 };
}

void MetricChart::alignGutters(qreal left, qreal right)
{
    const QMarginsF own = axisGutters();
    QMargins margins = kBaseMargins;
    margins.setLeft(margins.left() + std::max(0, qRound(left - own.left())));
    margins.setRight(margins.right() + std::max(0, qRound(right - own.right())));
    if (margins != chart()->margins())
        chart()->setMargins(margins);
}

void MetricChart::addLayer(const ChartLayer &spec)
{
    Layer layer;
    layer.spec = spec;
    QChart *c = chart();
    QCategoryAxis *axis = spec.rightAxis && m_right ? m_right : m_left;
    using Kind = ChartLayer::Kind;
    if (spec.kind == Kind::Stacked || spec.kind == Kind::PercentArea) {
        auto *upper = new QLineSeries(c);
        layer.lower = new QLineSeries(c);
        layer.area = new QAreaSeries(upper, layer.lower);
        layer.area->setName(spec.name);
        QColor fill = spec.color;
        fill.setAlpha(spec.kind == Kind::PercentArea ? 90 : 200); // quota areas overlap: see through
        layer.area->setBrush(fill);
        layer.area->setPen(QPen(spec.color, spec.kind == Kind::PercentArea ? 1.5 : 1.0));
        c->addSeries(layer.area);
        layer.area->attachAxis(m_time);
        layer.area->attachAxis(axis);
        connect(layer.area, &QAreaSeries::hovered, this, &MetricChart::onHovered);
        layer.series = upper;
    } else if (spec.kind == Kind::Limit) {
        auto *limit = new QLineSeries(c);
        limit->setName(spec.name);
        c->addSeries(limit); // restyled (dashed, muted) by applyPalette()
        limit->attachAxis(m_time);
        limit->attachAxis(axis);
        layer.series = limit;
    } else {
        QPen pen(spec.color, spec.width, spec.style);
        layer.line = new SegmentedLine(c, m_time, axis, spec.name, pen, this);
        connect(layer.line, &SegmentedLine::hovered, this, &MetricChart::onHovered);
        layer.series = layer.line->primary();
    }
    m_layers.push_back(std::move(layer));
}

void MetricChart::fillLine(Layer &layer, const MetricsHub &hub, const Window &window)
{
    hub.recent(window.spanMs, window.nowMs, layer.spec.field, layer.raw);
    layer.points = int(layer.raw.size());
    const qint64 bucket = MetricsHub::resolutionFor(window.spanMs) == Resolution::Second
        ? MetricsHub::kSecondMs
        : MetricsHub::kMinuteMs;
    layer.line->setPoints(layer.raw, bucket);
}

// Left as a share of its limit, as an area from 0; the absolute values stay for the tooltip.
void MetricChart::fillPercent(Layer &layer, const MetricsHub &hub, const Window &window)
{
    hub.recent(window.spanMs, window.nowMs, layer.spec.field, layer.absolute);
    hub.recent(window.spanMs, window.nowMs, layer.spec.limitField, layer.limit);
    ChartSeries::percentOfLimit(layer.absolute, layer.limit, layer.raw);
    layer.points = int(layer.raw.size());
    layer.lowerPoints.resize(layer.raw.size());
    for (qsizetype i = 0; i < layer.raw.size(); ++i)
        layer.lowerPoints[i] = QPointF(layer.raw[i].x(), 0.0);
    if (layer.lowerPoints != layer.lower->points())
        layer.lower->replace(layer.lowerPoints);
    if (layer.raw != layer.series->points())
        layer.series->replace(layer.raw);
}

// The dashed 100% line across the span the quota is known for.
void MetricChart::fillLimit(Layer &layer, qint64 fromMs, qint64 toMs)
{
    layer.raw.resize(0);
    double first = double(toMs);
    for (const Layer &other : m_layers) {
        if (other.spec.kind == ChartLayer::Kind::PercentArea && !other.raw.isEmpty())
            first = std::min(first, other.raw.first().x());
    }
    if (m_anyPercent) // from when the limit is known, not across time it was not
        layer.raw = { QPointF(std::max(first, double(fromMs)), 100.0), QPointF(double(toMs), 100.0) };
    layer.points = 0; // a reference line, not data
    if (layer.raw != layer.series->points())
        layer.series->replace(layer.raw);
}

// The newest bin, not complete yet: a hatched block of everything counted so far, so it is
// read as "so far" rather than as a drop.
void MetricChart::updateFilling(qint64 fromMs, qint64 binMs, int bins)
{
    if (!m_filling)
        return;
    m_fillingUpper.resize(0);
    m_fillingLower.resize(0);
    if (m_fillingTotal > 0.0 && bins > 0) {
        const double x0 = double(fromMs + qint64(bins - 1) * binMs);
        const double x1 = x0 + double(binMs);
        m_fillingUpper = { QPointF(x0, m_fillingTotal), QPointF(x1, m_fillingTotal) };
        m_fillingLower = { QPointF(x0, 0.0), QPointF(x1, 0.0) };
    }
    if (m_fillingUpper != m_filling->upperSeries()->points()) {
        m_filling->upperSeries()->replace(m_fillingUpper);
        m_filling->lowerSeries()->replace(m_fillingLower);
    }
    const bool shown = !m_fillingUpper.isEmpty();
    if (m_filling->isVisible() != shown) {
        m_filling->setVisible(shown);
        for (QLegendMarker *marker : chart()->legend()->markers(m_filling))
            marker->setVisible(shown);
    }
}

void MetricChart::fillPercentiles(const MetricsHub &hub, const Window &window, qint64 fromMs, int bins)
{
    const ChartSeries::Bins b { fromMs, window.binMs, bins, window.nowMs };
    ChartSeries::latencyPerBin(hub, MetricsHub::resolutionFor(window.spanMs), b, { 0.5, 0.95, 0.99 },
                               m_percentiles);
}

void MetricChart::fillBins(Layer &layer, const MetricsHub &hub, const Window &window, qint64 fromMs, int bins)
{
    hub.recent(window.spanMs, window.nowMs, layer.spec.field, m_scratch);
    layer.raw.resize(bins);
    for (int i = 0; i < bins; ++i)
        layer.raw[i] = QPointF(double(fromMs + qint64(i) * window.binMs), 0.0);
    for (const QPointF &p : std::as_const(m_scratch)) {
        const qint64 i = (qint64(p.x()) - fromMs) / window.binMs;
        if (i >= 0 && i < bins && std::isfinite(p.y()))
            layer.raw[i].ry() += p.y();
    }
    // The bin still filling is not drawn until complete: a half-counted bar would read as a dip.
    if (bins > 0 && fromMs + qint64(bins) * window.binMs > window.nowMs) {
        m_fillingTotal += layer.raw[bins - 1].y(); // drawn hatched, as one total, by updateFilling()
        layer.raw[bins - 1].ry() = 0.0;
    }
    layer.points = bins;
}

// Step outline of the running stack: two corners per bin, upper on top of lower.
void MetricChart::stackStep(Layer &layer, qint64 fromMs, qint64 binMs, int bins)
{
    layer.upper.resize(2 * bins);
    layer.lowerPoints.resize(2 * bins);
    for (int i = 0; i < bins; ++i) {
        const double x0 = double(fromMs + qint64(i) * binMs);
        const double x1 = x0 + double(binMs);
        const double below = m_stack[size_t(i)];
        const double above = below + layer.raw[i].y();
        m_stack[size_t(i)] = above;
        layer.lowerPoints[2 * i] = QPointF(x0, below);
        layer.lowerPoints[2 * i + 1] = QPointF(x1, below);
        layer.upper[2 * i] = QPointF(x0, above);
        layer.upper[2 * i + 1] = QPointF(x1, above);
    }
    if (layer.lowerPoints != layer.lower->points())
        layer.lower->replace(layer.lowerPoints);
    if (layer.upper != layer.series->points())
        layer.series->replace(layer.upper);
}

void MetricChart::setVisibleLayer(Layer &layer, bool visible)
{
    if (layer.line) {
        layer.line->setVisible(visible);
        return;
    }
    QAbstractSeries *series = layer.area ? static_cast<QAbstractSeries *>(layer.area) : layer.series;
    if (series->isVisible() == visible)
        return;
    series->setVisible(visible);
    for (QLegendMarker *marker : chart()->legend()->markers(series))
        marker->setVisible(visible);
}

void MetricChart::update(const MetricsHub &hub, const Window &window, const QList<qint64> &markerTimes)
{
    using Kind = ChartLayer::Kind;
    m_window = window;
    const qint64 fromMs = (window.nowMs - window.spanMs) / window.binMs * window.binMs;
    const int bins = int((window.nowMs - fromMs) / window.binMs) + 1;
    m_stack.assign(size_t(bins), 0.0);
    double leftMax = 0.0;
    double rightMax = 0.0;
    bool anyData = false;
    bool rightShown = false;
    m_anyPercent = false;
    m_fillingTotal = 0.0;
    bool percentilesDone = false;
    for (Layer &layer : m_layers) {
        const Kind kind = layer.spec.kind;
        if (kind == Kind::Stacked) {
            fillBins(layer, hub, window, fromMs, bins);
        } else if (kind == Kind::RateLine) {
            hub.recent(window.spanMs, window.nowMs, layer.spec.field, m_scratch);
            ChartSeries::sumPerBin(m_scratch, { fromMs, window.binMs, bins, window.nowMs }, true, layer.raw);
            layer.points = int(layer.raw.size());
            layer.line->setPoints(layer.raw, window.binMs); // no $0 before the app ran
        } else if (kind == Kind::Percentile) {
            if (!percentilesDone)
                fillPercentiles(hub, window, fromMs, bins);
            percentilesDone = true;
            const int q = layer.spec.quantile >= 0.99 ? 2 : layer.spec.quantile >= 0.95 ? 1 : 0;
            layer.raw = m_percentiles[size_t(q)];
            layer.points = int(layer.raw.size());
            layer.line->setPoints(layer.raw, window.binMs);
        } else if (kind == Kind::PercentArea) {
            fillPercent(layer, hub, window);
            m_anyPercent = m_anyPercent || layer.points > 0;
        } else if (kind == Kind::Limit) {
            fillLimit(layer, window.nowMs - window.spanMs, window.nowMs);
        } else {
            fillLine(layer, hub, window);
        }
        double layerMax = 0.0;
        for (const QPointF &p : std::as_const(layer.raw))
            layerMax = std::max(layerMax, p.y());
        const bool hasData = kind == Kind::Stacked ? layerMax > 0.0 : layer.points > 0;
        if (kind == Kind::Stacked) {
            // Only classes that occurred in the window clutter the legend, or cost a frame.
            setVisibleLayer(layer, hasData);
            if (hasData)
                stackStep(layer, fromMs, window.binMs, bins);
        } else if (kind == Kind::Limit) {
            setVisibleLayer(layer, m_anyPercent);
        } else if (kind != Kind::RateLine) {
            setVisibleLayer(layer, hasData); // a gauge the server never sent (no token headers)
        }
        anyData = anyData || hasData;
        rightShown = rightShown || (layer.spec.rightAxis && (hasData || kind == Kind::RateLine));
        double &axisMax = layer.spec.rightAxis && m_right ? rightMax : leftMax;
        axisMax = std::max(axisMax, layerMax);
    }
    for (double v : m_stack)
        leftMax = std::max(leftMax, v);
    leftMax = std::max(leftMax, m_fillingTotal);
    anyData = anyData || m_fillingTotal > 0.0;
    updateFilling(fromMs, window.binMs, bins);
    if (m_spec.percentOfLimit)
        leftMax = 100.0;
    updateAxes(window, leftMax, rightMax, rightShown);
    QString title = m_spec.title.contains(u"%1") ? m_spec.title.arg(window.binLabel) : m_spec.title;
    if (!anyData && !m_spec.emptyNote.isEmpty())
        title += QStringLiteral(" (") + m_spec.emptyNote + u')';
    if (chart()->title() != title)
        chart()->setTitle(title);
    updateMarkers(markerTimes, window.nowMs - window.spanMs, window.nowMs);
}

void MetricChart::updateAxes(const Window &window, double leftMax, double rightMax, bool rightShown)
{
    // The axis moves in whole steps (1 s, or 1 min at 24 h): label layout is the costly part of a frame.
    const qint64 step = window.spanMs > 3'600'000 ? 60'000 : 1000;
    const qint64 axisEnd = (window.nowMs + step - 1) / step * step;
    if (axisEnd != m_axisEndMs || window.spanMs != m_axisSpanMs) {
        m_axisEndMs = axisEnd;
        m_axisSpanMs = window.spanMs;
        updateTimeAxis(axisEnd - window.spanMs, axisEnd);
        m_left->setTitleText(m_spec.leftTitle);
        if (m_right)
            m_right->setTitleText(m_spec.rightTitle);
    }
    const double newLeftMax = m_spec.percentOfLimit ? 100.0 : niceMax(leftMax); // tight: the limit is the top
    if (newLeftMax != m_leftMax) {
        m_leftMax = newLeftMax;
        AxisLabels::setValueTicks(m_left, m_leftMax, m_spec.leftDecimals);
    }
    if (!m_right)
        return;
    if (m_right->isVisible() != rightShown)
        m_right->setVisible(rightShown); // an empty scale says nothing; ChartPanel re-aligns
    const double newRightMax = m_spec.rightDecimals ? niceMax(rightMax * 1e4) / 1e4 : niceMax(rightMax);
    if (newRightMax != m_rightMax) {
        m_rightMax = newRightMax;
        AxisLabels::setValueTicks(m_right, m_rightMax, m_spec.rightDecimals);
    }
}

void MetricChart::updateTimeAxis(qint64 fromMs, qint64 toMs)
{
    const qint64 step = AxisLabels::clockStepFor(toMs - fromMs);
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(toMs).offsetFromUtc()) * 1000;
    const QList<qint64> ticks = AxisLabels::clockTicks(fromMs, toMs, step, offset);
    // Relabel only when a tick enters or leaves: once a minute at 5 min, not every frame.
    if (ticks != m_ticks) {
        m_ticks = ticks;
        AxisLabels::setClockTicks(m_time, m_ticks, step);
    }
    m_time->setRange(double(fromMs), double(toMs));
}

void MetricChart::updateMarkers(const QList<qint64> &times, qint64 fromMs, qint64 toMs)
{
    if (m_resetTicks) {
        m_markerPoints.resize(0);
        for (qint64 t : times) {
            if (t < fromMs || t > toMs)
                continue;
            m_markerPoints.append(QPointF(double(t), 0.0));
            m_markerPoints.append(QPointF(double(t), m_leftMax * 0.12)); // a tick, not a wall
            m_markerPoints.append(QPointF(double(t), 0.0));
        }
        if (m_markerPoints != m_resetTicks->points())
            m_resetTicks->replace(m_markerPoints);
        return;
    }
    if (!m_markers)
        return;
    m_markerPoints.resize(0);
    for (qint64 t : times)
        if (t >= fromMs && t <= toMs)
            m_markerPoints.append(QPointF(double(t), m_leftMax * 0.96));
    m_markers->replace(m_markerPoints);
}

// A maximum whose four tick intervals are round numbers (integers for counts).
double MetricChart::niceMax(double value)
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

double MetricChart::valueAt(const QList<QPointF> &points, qint64 x, qint64 tolerance)
{
    const auto it = std::upper_bound(points.cbegin(), points.cend(), double(x),
                                     [](double v, const QPointF &p) { return v < p.x(); });
    if (it == points.cbegin())
        return std::nan("");
    const QPointF &p = *(it - 1);
    return double(x) - p.x() <= double(tolerance) ? p.y() : std::nan("");
}

QString MetricChart::describe(qint64 x) const
{
    using Kind = ChartLayer::Kind;
    QString text = QDateTime::fromMSecsSinceEpoch(x).toString(QStringLiteral("HH:mm:ss"));
    const qint64 lineTolerance = MetricsHub::resolutionFor(m_window.spanMs) == Resolution::Second
        ? MetricsHub::kSecondMs
        : MetricsHub::kMinuteMs;
    for (const Layer &layer : m_layers) {
        const Kind kind = layer.spec.kind;
        if (kind == Kind::Limit)
            continue;
        const bool perBin = kind == Kind::Stacked || kind == Kind::RateLine || kind == Kind::Percentile;
        const double v = valueAt(layer.raw, x, perBin ? m_window.binMs : lineTolerance);
        if (std::isnan(v) || (kind == Kind::Stacked && v == 0.0))
            continue;
        text += u'\n' + layer.spec.name + QStringLiteral(": ");
        if (kind == Kind::PercentArea) {
            // The absolute numbers: the axis only says how full.
            const double left = valueAt(layer.absolute, x, lineTolerance);
            const double limit = valueAt(layer.limit, x, lineTolerance);
            text += QString::number(left, 'f', 0) + QStringLiteral(" of ") + QString::number(limit, 'f', 0)
                + QStringLiteral(" (") + QString::number(v, 'f', 1) + QStringLiteral("%)");
            continue;
        }
        const int decimals = layer.spec.field == MetricField::CostUsd ? 5 : (std::floor(v) == v ? 0 : 1);
        text += kind == Kind::Percentile ? QString::number(v / 1000.0, 'f', 2) + QStringLiteral(" s")
                                         : QString::number(v, 'f', decimals);
        if (perBin)
            text += (kind == Kind::Percentile ? QStringLiteral(" over ") : QStringLiteral(" per "))
                + m_window.binLabel;
    }
    return text;
}

void MetricChart::onHovered(const QPointF &point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(QCursor::pos(), describe(qint64(point.x())), this);
}

qint64 MetricChart::lastPointTime() const
{
    qint64 latest = 0;
    for (const Layer &layer : m_layers) {
        const bool line = layer.spec.kind != ChartLayer::Kind::Stacked;
        for (qsizetype i = layer.raw.size() - 1; i >= 0; --i) {
            if (line || layer.raw[i].y() > 0.0) {
                latest = std::max(latest, qint64(layer.raw[i].x()));
                break;
            }
        }
    }
    return latest;
}

int MetricChart::pointCount() const
{
    int n = m_fillingTotal > 0.0 ? 1 : 0;
    for (const Layer &layer : m_layers) {
        if (layer.spec.kind != ChartLayer::Kind::Stacked) {
            n += layer.points;
        } else {
            for (const QPointF &p : layer.raw)
                n += p.y() > 0.0 ? 1 : 0;
        }
    }
    return n;
}

} // namespace gp
