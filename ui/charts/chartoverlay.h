#pragma once

#include "core/telemetry/chartseries.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

class QAbstractAxis;
class QAreaSeries;
class QChart;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QScatterSeries;

namespace gp {

// A moment marked on a chart: an alert (label "failure rate", text its sentence) or a reset.
struct ChartMarker
{
    qint64 timeMs = 0;
    QString label; // short, drawn beside the marker; empty: none
    QString text; // the hover text
};

// What a chart draws over its data: markers (squares with labels, or ticks on the baseline),
// the bin still filling (hatched), breaker-open shading and the hover crosshair.
class ChartOverlay final
{
    Q_DISABLE_COPY_MOVE(ChartOverlay)

public:
    struct Style
    {
        QString markerName; // empty: no markers
        QColor markerColor;
        int markerSize = 9;
        bool markerTicks = false;
        bool filling = false; // a stacked chart: hatch the filling bin
        bool breakerShading = false;
    };

    // Adds what goes under the data (breaker shading); attachForeground() adds the rest on top.
    ChartOverlay(QChart *chart, QAbstractAxis *time, QAbstractAxis *left, const Style &style);
    ~ChartOverlay();
    void attachForeground(QAbstractAxis *time, QAbstractAxis *left);

    void updateFilling(const ChartSeries::Bins &bins, double total);
    void updateMarkers(const QList<ChartMarker> &markers, qint64 fromMs, qint64 toMs, double top);
    void updateBreaker(const QList<QPointF> &breakerGauge, qint64 fromMs, qint64 nowMs, double top);
    // The vertical line at x (plot coordinates), or hidden when x is 0.
    void setCrosshair(qint64 x, qint64 axisFromMs, qint64 axisToMs);
    void applyPalette(const QColor &text, bool dark);
    // Alert sentences and breaker state within tolerance of x, one line each.
    QString describe(qint64 x, qint64 tolerance) const;
    qint64 crosshairTime() const { return m_crosshairMs; }
    int labelCount() const;
    const QList<ChartSeries::Span> &breakerSpans() const { return m_spans; }
    QAreaSeries *breakerSeries() const { return m_breaker; }

private:
    void placeLabels();

    QChart *m_chart = nullptr;
    Style m_style;
    QScatterSeries *m_markers = nullptr;
    QLineSeries *m_resetTicks = nullptr;
    QAreaSeries *m_filling = nullptr;
    QAreaSeries *m_breaker = nullptr;
    QGraphicsLineItem *m_crosshair = nullptr;
    std::vector<QGraphicsSimpleTextItem *> m_labels; // a pool, one per visible alert marker
    QList<ChartMarker> m_visible; // markers in the window now
    QList<QPointF> m_points;
    QList<QPointF> m_lower;
    QList<ChartSeries::Span> m_spans;
    qint64 m_crosshairMs = 0;
    double m_top = 0.0;
};

} // namespace gp
