#include "ui/charts/metricchart.h"

#include "core/telemetry/chartseries.h"
#include "core/telemetry/metricshub.h"
#include "ui/charts/axislabels.h"
#include "ui/charts/chartlayers.h"

#include <QCategoryAxis>
#include <QDateTime>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QMouseEvent>
#include <QPalette>
#include <QToolTip>

#include <algorithm>

namespace gp {

namespace {
ChartLayers::Frame frameOf(const MetricChart::Window &window)
{
    const qint64 fromMs = (window.nowMs - window.spanMs) / window.binMs * window.binMs;
    const int bins = int((window.nowMs - fromMs) / window.binMs) + 1;
    ChartLayers::Frame frame;
    frame.bins = { fromMs, window.binMs, bins, window.nowMs };
    frame.spanMs = window.spanMs;
    frame.nowMs = window.nowMs;
    frame.bucketMs = MetricsHub::resolutionFor(window.spanMs) == Resolution::Second ? MetricsHub::kSecondMs
                                                                                    : MetricsHub::kMinuteMs;
    frame.binLabel = window.binLabel;
    frame.clients = window.clients;
    return frame;
}
} // namespace

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
        legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85); // five entries fit a short chart
    chart->legend()->setFont(legendFont);
    chart->setMargins(kBaseMargins);
    // The view owns the new chart but releases the default one it made itself: delete that.
    const std::unique_ptr<QChart> defaultChart(QChartView::chart());
    setChart(chart);
    setRenderHint(QPainter::Antialiasing, false); // cheaper frames; lines are axis-aligned steps mostly
    setAccessibleName(m_spec.title);
    setMinimumHeight(120);
    setMouseTracking(true);
    buildAxes();
    ChartOverlay::Style style;
    style.markerName = m_spec.markerName;
    style.markerColor = m_spec.markerColor;
    style.markerSize = m_spec.markerSize;
    style.markerTicks = m_spec.markerTicks;
    style.breakerShading = m_spec.breakerShading;
    m_filling = std::any_of(m_spec.layers.cbegin(), m_spec.layers.cend(),
                            [](const ChartLayer &l) { return l.kind == ChartLayer::Kind::Stacked; });
    style.filling = m_filling;
    m_overlay = std::make_unique<ChartOverlay>(chart, m_time, m_left, style); // shading under the data
    m_layers = std::make_unique<ChartLayers>(chart, m_time, m_left, m_right);
    for (const ChartLayer &layer : std::as_const(m_spec.layers))
        m_layers->add(layer);
    m_overlay->attachForeground(m_time, m_left);
    applyPalette(); // after the axes and series exist: it colours them
}

MetricChart::~MetricChart() = default;

void MetricChart::buildAxes()
{
    QChart *c = chart();
    // Category labels sit on round clock times (07:41, 07:42…), not on arbitrary seconds.
    m_time = new QCategoryAxis(c);
    m_time->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    // The ticks are spaced for their labels' width (AxisLabels::clockStepFor); Qt would still
    // elide them to "17:…" from the width of the narrow first category.
    m_time->setTruncateLabels(false);
    c->addAxis(m_time, Qt::AlignBottom);
    // Value axes are category axes too, for compact labels (40M, not 40000000).
    m_left = new QCategoryAxis(c);
    m_left->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    c->addAxis(m_left, Qt::AlignLeft);
    if (!m_spec.rightTitle.isEmpty()) {
        m_right = new QCategoryAxis(c);
        m_right->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        c->addAxis(m_right, Qt::AlignRight);
    }
}

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
    m_overlay->applyPalette(text, dark);
    m_layers->applyPalette(dark);
}

QColor MetricChart::limitColor(const QColor &base, bool dark)
{
    return ChartLayers::limitColor(base, dark);
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

QSize MetricChart::sizeHint() const
{
    return { 480, 150 };
}

double MetricChart::layerSum(int index) const
{
    double sum = 0.0;
    for (const QPointF &p : m_layers->values(index))
        sum += p.y();
    return sum;
}

QString MetricChart::layerName(int index) const
{
    return m_layers->nameOf(index);
}

void MetricChart::update(const MetricsHub &hub, const Window &window, const QList<ChartMarker> &markers)
{
    m_window = window;
    const ChartLayers::Frame frame = frameOf(window);
    const ChartLayers::Result r = m_layers->fill(hub, frame);
    m_fillingTotal = r.filling;
    if (m_filling)
        m_overlay->updateFilling(frame.bins, r.filling);
    updateAxes(window, r.leftMax, r.rightMax, r.rightShown);
    QString title = m_spec.title.contains(u"%1") ? m_spec.title.arg(window.binLabel) : m_spec.title;
    if (!window.scope.isEmpty())
        title += QStringLiteral(" · ") + window.scope;
    if (!r.anyData && !m_spec.emptyNote.isEmpty())
        title += QStringLiteral(" (") + m_spec.emptyNote + u')';
    if (chart()->title() != title)
        chart()->setTitle(title);
    const qint64 fromMs = window.nowMs - window.spanMs;
    if (m_spec.breakerShading) {
        hub.recent(window.spanMs, window.nowMs, MetricField::BreakerState, m_breaker);
        m_overlay->updateBreaker(m_breaker, fromMs, window.nowMs, m_leftMax);
    }
    m_overlay->updateMarkers(markers, fromMs, window.nowMs, m_leftMax);
    if (crosshairTime() > 0)
        setCrosshair(crosshairTime());
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
    // Tight: for a share of a limit the limit is the top.
    const double newLeftMax = m_spec.percentOfLimit ? 100.0 : ChartSeries::niceMax(leftMax);
    if (newLeftMax != m_leftMax) {
        m_leftMax = newLeftMax;
        AxisLabels::setValueTicks(m_left, m_leftMax, m_spec.leftDecimals);
    }
    if (!m_right)
        return;
    if (m_right->isVisible() != rightShown)
        m_right->setVisible(rightShown); // an empty scale says nothing; ChartPanel re-aligns
    const double newRightMax = m_spec.rightPercent ? 100.0
        : m_spec.rightDecimals                     ? ChartSeries::niceMax(rightMax * 1e4) / 1e4
                                                   : ChartSeries::niceMax(rightMax);
    if (newRightMax != m_rightMax) {
        m_rightMax = newRightMax;
        AxisLabels::setValueTicks(m_right, m_rightMax, m_spec.rightDecimals);
    }
}

void MetricChart::updateTimeAxis(qint64 fromMs, qint64 toMs)
{
    const qint64 step = AxisLabels::clockStepFor(
        toMs - fromMs, chart()->plotArea().width(),
        QFontMetricsF(m_time->labelsFont()).horizontalAdvance(QStringLiteral("00:00")));
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(toMs).offsetFromUtc()) * 1000;
    const QList<qint64> ticks = AxisLabels::clockTicks(fromMs, toMs, step, offset);
    // Relabel only when a tick enters or leaves: once a minute at 5 min, not every frame.
    if (ticks != m_ticks) {
        m_ticks = ticks;
        AxisLabels::setClockTicks(m_time, m_ticks, step);
    }
    m_time->setRange(double(fromMs), double(toMs));
}

QString MetricChart::describe(qint64 x) const
{
    const ChartLayers::Frame frame = frameOf(m_window);
    return m_layers->describe(x, frame) + m_overlay->describe(x, frame.bins.binMs);
}

void MetricChart::setCrosshair(qint64 x)
{
    m_overlay->setCrosshair(x, m_axisEndMs - m_axisSpanMs, m_axisEndMs);
}

qint64 MetricChart::timeAt(const QPoint &viewPos) const
{
    const QPointF scenePos = mapToScene(viewPos);
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    const QRectF plot = chart()->plotArea();
    if (!plot.contains(chartPos) || m_axisSpanMs <= 0)
        return 0;
    const qint64 from = m_axisEndMs - m_axisSpanMs;
    return from + qint64(double(m_axisSpanMs) * (chartPos.x() - plot.left()) / plot.width());
}

void MetricChart::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const qint64 x = timeAt(event->position().toPoint());
    Q_EMIT hoveredAt(x);
    if (x > 0)
        QToolTip::showText(event->globalPosition().toPoint(), describe(x), this);
    else
        QToolTip::hideText();
}

void MetricChart::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    Q_EMIT hoveredAt(0);
}

qint64 MetricChart::lastPointTime() const
{
    return m_layers->lastPointTime();
}

int MetricChart::pointCount() const
{
    return m_layers->pointCount() + (m_fillingTotal > 0.0 ? 1 : 0); // the hatched bin is one
}

} // namespace gp
