#pragma once

#include "ui/charts/chartoverlay.h"
#include "ui/charts/chartspec.h"

#include <QChartView>
#include <QList>
#include <QMargins>

#include <memory>

class QCategoryAxis;

namespace gp {

class ChartLayers;
class ClientHubs;
class MetricsHub;

// One live chart over the metrics hub. The values come from ChartLayers (through the pure
// ChartSeries maths); this class draws: axes, title, overlays, the hover crosshair.
class MetricChart final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricChart)

public:
    struct Window
    {
        qint64 nowMs = 0;
        qint64 spanMs = 300'000;
        qint64 binMs = 5000; // counters are summed per bin
        QString binLabel; // "5 s"
        const ClientHubs *clients = nullptr; // the split view's per-client hubs
        QString scope {}; // whose traffic, after the title ("alice"); empty: everyone's
    };

    explicit MetricChart(ChartSpec spec, QWidget *parent = nullptr);
    ~MetricChart() override;

    void update(const MetricsHub &hub, const Window &window, const QList<ChartMarker> &markers);
    const ChartSpec &spec() const { return m_spec; }
    int pointCount() const; // data points (not step corners) currently plotted, markers excluded
    // Sum of what layer `index` plots in the window (the bin still filling excluded), and its name.
    double layerSum(int index) const;
    QString layerName(int index) const;
    // Every layer's value at time x, one "name: value" line each (the hover readout), then
    // the alerts and breaker state there.
    QString describe(qint64 x) const;
    // Time of the newest data point of any layer (0 when empty): where a readout has a value for sure.
    qint64 lastPointTime() const;
    void applyPalette();
    // Width the axes take left and right of the plot area (chart margins excluded).
    QMarginsF axisGutters() const;
    // Pads the chart margins so the gutters become left and right: charts so padded share x.
    void alignGutters(qreal left, qreal right);
    // The crosshair at time x on this chart (0 hides it).
    void setCrosshair(qint64 x);
    qint64 crosshairTime() const { return m_overlay->crosshairTime(); }
    // The time under a point of the view, or 0 outside the plot area.
    qint64 timeAt(const QPoint &viewPos) const;
    const ChartOverlay &overlay() const { return *m_overlay; }
    static QColor limitColor(const QColor &base, bool dark);
    static constexpr QMargins kBaseMargins { 4, 2, 8, 2 };
    // A fixed preferred size: QGraphicsView's follows the scene, which keeps the largest size
    // the chart ever had, so a panel once shown large would scroll when made small again.
    QSize sizeHint() const override;

Q_SIGNALS:
    // The pointer is over time x of the plot (0: it left).
    void hoveredAt(qint64 x);

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void buildAxes();
    void updateAxes(const Window &window, double leftMax, double rightMax, bool rightShown);
    void updateTimeAxis(qint64 fromMs, qint64 toMs);

    ChartSpec m_spec;
    QCategoryAxis *m_time = nullptr;
    QCategoryAxis *m_left = nullptr;
    QCategoryAxis *m_right = nullptr;
    std::unique_ptr<ChartLayers> m_layers;
    std::unique_ptr<ChartOverlay> m_overlay;
    QList<QPointF> m_breaker; // the hub's breaker gauge, reused
    Window m_window;
    double m_leftMax = 0.0;
    double m_rightMax = 0.0;
    qint64 m_axisEndMs = 0;
    qint64 m_axisSpanMs = 0;
    bool m_filling = false; // a stacked chart
    double m_fillingTotal = 0.0;
    QList<qint64> m_ticks; // time-axis labels now shown
};

} // namespace gp
