#include "ui/charts/chartoverlay.h"

#include <QAreaSeries>
#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>

#include <algorithm>

namespace gp {

namespace {
constexpr int kMaxLabels = 6; // more alert names than this in one window would cover the plot

void showInLegend(QChart *chart, QAbstractSeries *series, bool shown)
{
    if (series->isVisible() == shown)
        return;
    series->setVisible(shown);
    for (QLegendMarker *marker : chart->legend()->markers(series))
        marker->setVisible(shown);
}

template<typename Series>
Series *attached(QChart *chart, Series *series, QAbstractAxis *time, QAbstractAxis *left)
{
    chart->addSeries(series);
    series->attachAxis(time);
    series->attachAxis(left);
    return series;
}
} // namespace

ChartOverlay::ChartOverlay(QChart *chart, QAbstractAxis *time, QAbstractAxis *left, const Style &style)
    : m_chart(chart)
    , m_style(style)
{
    if (style.breakerShading) {
        // Drawn first, so the failures stack stays on top of the shade.
        m_breaker = new QAreaSeries(new QLineSeries(chart));
        m_breaker->setName(QObject::tr("breaker open"));
        attached(chart, m_breaker, time, left);
        showInLegend(chart, m_breaker, false);
    }
    m_crosshair = new QGraphicsLineItem(chart);
    m_crosshair->setZValue(100);
    m_crosshair->hide();
}

void ChartOverlay::attachForeground(QAbstractAxis *time, QAbstractAxis *left)
{
    QChart *chart = m_chart;
    const Style &style = m_style;
    if (style.filling) {
        m_filling = new QAreaSeries(new QLineSeries(chart), new QLineSeries(chart));
        m_filling->setName(QObject::tr("still counting"));
        attached(chart, m_filling, time, left);
    }
    if (!style.markerName.isEmpty() && style.markerTicks) {
        // A comb along the 0 baseline: each reset a thin vertical tick, the joins hidden on the axis.
        m_resetTicks = attached(chart, new QLineSeries(chart), time, left);
        m_resetTicks->setName(style.markerName);
        m_resetTicks->setPen(QPen(style.markerColor, 1.0));
    } else if (!style.markerName.isEmpty()) {
        m_markers = new QScatterSeries(chart);
        m_markers->setName(style.markerName);
        m_markers->setMarkerSize(style.markerSize);
        m_markers->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        m_markers->setColor(style.markerColor);
        m_markers->setBorderColor(style.markerColor);
        attached(chart, m_markers, time, left);
    }
}

ChartOverlay::~ChartOverlay() = default;

void ChartOverlay::applyPalette(const QColor &text, bool dark)
{
    QColor hatch = text;
    hatch.setAlpha(150);
    if (m_filling) {
        m_filling->setBrush(QBrush(hatch, Qt::BDiagPattern));
        m_filling->setPen(QPen(hatch, 1.0, Qt::DashLine));
    }
    if (m_breaker) {
        QColor shade = dark ? QColor(0xFF, 0xFF, 0xFF, 40) : QColor(0x60, 0x60, 0x60, 45);
        m_breaker->setBrush(shade);
        m_breaker->setPen(Qt::NoPen);
    }
    m_crosshair->setPen(QPen(hatch, 1.0, Qt::DashLine));
    for (QGraphicsSimpleTextItem *label : m_labels)
        label->setBrush(text);
}

// The newest bin, not complete yet: a hatched block of everything counted so far, so it is
// read as "so far" rather than as a drop.
void ChartOverlay::updateFilling(const ChartSeries::Bins &bins, double total)
{
    if (!m_filling)
        return;
    m_points.resize(0);
    m_lower.resize(0);
    if (total > 0.0 && bins.count > 0) {
        const double x0 = double(bins.startOf(bins.count - 1));
        const double x1 = double(bins.endOf(bins.count - 1));
        m_points = { QPointF(x0, total), QPointF(x1, total) };
        m_lower = { QPointF(x0, 0.0), QPointF(x1, 0.0) };
    }
    if (m_points != m_filling->upperSeries()->points()) {
        m_filling->upperSeries()->replace(m_points);
        m_filling->lowerSeries()->replace(m_lower);
    }
    showInLegend(m_chart, m_filling, !m_points.isEmpty());
}

void ChartOverlay::updateMarkers(const QList<ChartMarker> &markers, qint64 fromMs, qint64 toMs, double top)
{
    m_top = top;
    m_visible.resize(0);
    for (const ChartMarker &m : markers)
        if (m.timeMs >= fromMs && m.timeMs <= toMs)
            m_visible.append(m);
    m_points.resize(0);
    if (m_resetTicks) {
        for (const ChartMarker &m : std::as_const(m_visible)) {
            m_points.append(QPointF(double(m.timeMs), 0.0));
            m_points.append(QPointF(double(m.timeMs), top * 0.12)); // a tick, not a wall
            m_points.append(QPointF(double(m.timeMs), 0.0));
        }
        if (m_points != m_resetTicks->points())
            m_resetTicks->replace(m_points);
        return;
    }
    if (!m_markers)
        return;
    for (const ChartMarker &m : std::as_const(m_visible))
        m_points.append(QPointF(double(m.timeMs), top * 0.96));
    if (m_points != m_markers->points())
        m_markers->replace(m_points);
    placeLabels();
}

// Each alert marker's short name beside it; the newest win when there are too many.
void ChartOverlay::placeLabels()
{
    const QRectF plot = m_chart->plotArea();
    const qsizetype first = std::max<qsizetype>(0, m_visible.size() - kMaxLabels);
    size_t used = 0;
    QRectF previous;
    for (qsizetype i = first; i < m_visible.size(); ++i) {
        if (m_visible[i].label.isEmpty() || plot.isEmpty())
            continue;
        if (used == m_labels.size()) {
            m_labels.push_back(new QGraphicsSimpleTextItem(m_chart));
            m_labels.back()->setZValue(90);
            m_labels.back()->setBrush(m_chart->titleBrush());
        }
        QGraphicsSimpleTextItem *label = m_labels[used++];
        label->setText(m_visible[i].label);
        label->setToolTip(m_visible[i].text);
        const QPointF at
            = m_chart->mapToPosition(QPointF(double(m_visible[i].timeMs), m_top * 0.96), m_markers);
        const qreal width = label->boundingRect().width();
        // Left of the marker when it would run out of the plot on the right.
        const qreal x = at.x() + 8 + width > plot.right() ? at.x() - 8 - width : at.x() + 8;
        QRectF box(QPointF(x, at.y() - label->boundingRect().height() / 2), label->boundingRect().size());
        if (box.intersects(previous)) // alerts raised together: one name under the other
            box.moveTop(previous.bottom());
        previous = box;
        label->setPos(box.topLeft());
        label->show();
    }
    for (size_t i = used; i < m_labels.size(); ++i)
        m_labels[i]->hide();
}

int ChartOverlay::labelCount() const
{
    return int(std::count_if(m_labels.cbegin(), m_labels.cend(),
                             [](const QGraphicsSimpleTextItem *l) { return l->isVisible(); }));
}

void ChartOverlay::updateBreaker(const QList<QPointF> &breakerGauge, qint64 fromMs, qint64 nowMs, double top)
{
    if (!m_breaker)
        return;
    ChartSeries::spansAtLeast(breakerGauge, 1.0, nowMs, m_spans); // open or probing: traffic is held
    m_points.resize(0);
    for (const ChartSeries::Span &s : std::as_const(m_spans)) {
        const double from = double(std::max(s.fromMs, fromMs));
        m_points.append({ QPointF(from, 0.0), QPointF(from, top), QPointF(double(s.toMs), top),
                          QPointF(double(s.toMs), 0.0) });
    }
    if (m_points != m_breaker->upperSeries()->points())
        m_breaker->upperSeries()->replace(m_points);
    showInLegend(m_chart, m_breaker, !m_points.isEmpty());
}

void ChartOverlay::setCrosshair(qint64 x, qint64 axisFromMs, qint64 axisToMs)
{
    m_crosshairMs = x;
    const QRectF plot = m_chart->plotArea();
    if (x <= 0 || axisToMs <= axisFromMs || plot.isEmpty()) {
        m_crosshair->hide();
        return;
    }
    const qreal px = plot.left() + plot.width() * qreal(x - axisFromMs) / qreal(axisToMs - axisFromMs);
    m_crosshair->setLine(px, plot.top(), px, plot.bottom());
    m_crosshair->show();
}

QString ChartOverlay::describe(qint64 x, qint64 tolerance) const
{
    QString text;
    for (const ChartSeries::Span &s : m_spans)
        if (x >= s.fromMs && x <= s.toMs)
            text += u'\n' + QObject::tr("circuit breaker open: requests held");
    for (const ChartMarker &m : m_visible)
        if (!m.text.isEmpty() && std::abs(m.timeMs - x) <= tolerance)
            text += QStringLiteral("\n⚑ ") + m.text;
    return text;
}

} // namespace gp
