#pragma once

#include "ui/charts/chartspec.h"

#include <QChartView>
#include <QList>
#include <QMargins>
#include <QPointF>

#include <array>
#include <vector>

class QAreaSeries;
class QCategoryAxis;
class QLineSeries;
class QScatterSeries;
class QXYSeries;

namespace gp {

class MetricsHub;
class SegmentedLine;

// One live chart over the metrics hub. update() copies the visible window into
// preallocated buffers and calls replace() once per series; animations are off.
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
    };

    explicit MetricChart(ChartSpec spec, QWidget *parent = nullptr);
    ~MetricChart() override;

    void update(const MetricsHub &hub, const Window &window, const QList<qint64> &markerTimes);
    const ChartSpec &spec() const { return m_spec; }
    int pointCount() const; // data points (not step corners) currently plotted, markers excluded
    // Every layer's value at time x, one "name: value" line each (the tooltip's text).
    QString describe(qint64 x) const;
    // Time of the newest data point of any layer (0 when empty): where a tooltip has a value for sure.
    qint64 lastPointTime() const;
    void applyPalette();
    // Width the axes take left and right of the plot area (chart margins excluded).
    QMarginsF axisGutters() const;
    // Pads the chart margins so the gutters become left and right: charts so padded share x.
    void alignGutters(qreal left, qreal right);
    static QColor limitColor(const QColor &base, bool dark);
    static constexpr QMargins kBaseMargins { 4, 2, 8, 2 };

private:
    struct Layer
    {
        ChartLayer spec;
        QXYSeries *series = nullptr; // the limit line, or the area's upper line
        SegmentedLine *line = nullptr; // lines that keep gaps (gauges, percentiles, cost)
        QLineSeries *lower = nullptr; // areas only
        QAreaSeries *area = nullptr; // areas only
        QList<QPointF> raw; // plotted values: hub buckets, per bin, or % of limit
        QList<QPointF> absolute; // PercentArea: the absolute values, for the tooltip
        QList<QPointF> limit; // PercentArea: the limit per bucket
        QList<QPointF> upper; // plotted points
        QList<QPointF> lowerPoints;
        int points = 0;
    };

    void addLayer(const ChartLayer &spec);
    void fillLine(Layer &layer, const MetricsHub &hub, const Window &window);
    void fillPercent(Layer &layer, const MetricsHub &hub, const Window &window);
    void fillBins(Layer &layer, const MetricsHub &hub, const Window &window, qint64 fromMs, int bins);
    void fillPercentiles(const MetricsHub &hub, const Window &window, qint64 fromMs, int bins);
    void fillLimit(Layer &layer, qint64 fromMs, qint64 toMs);
    void updateFilling(qint64 fromMs, qint64 binMs, int bins);
    void stackStep(Layer &layer, qint64 fromMs, qint64 binMs, int bins);
    void setVisibleLayer(Layer &layer, bool visible);
    void updateMarkers(const QList<qint64> &times, qint64 fromMs, qint64 toMs);
    void updateTimeAxis(qint64 fromMs, qint64 toMs);
    void updateAxes(const Window &window, double leftMax, double rightMax, bool rightShown);
    void onHovered(const QPointF &point, bool state);
    static double valueAt(const QList<QPointF> &points, qint64 x, qint64 tolerance);
    static double niceMax(double value);

    ChartSpec m_spec;
    QCategoryAxis *m_time = nullptr;
    QCategoryAxis *m_left = nullptr;
    QCategoryAxis *m_right = nullptr;
    QScatterSeries *m_markers = nullptr;
    QLineSeries *m_resetTicks = nullptr; // quota resets as ticks on the baseline
    QAreaSeries *m_filling = nullptr; // stacked charts: the bin still filling, hatched, as a total
    QList<QPointF> m_fillingUpper;
    QList<QPointF> m_fillingLower;
    double m_fillingTotal = 0.0;
    QList<QPointF> m_markerPoints;
    std::vector<Layer> m_layers;
    std::vector<double> m_stack; // running stacked sum per bin
    QList<QPointF> m_scratch; // hub output, reused
    std::array<QList<QPointF>, 3> m_percentiles; // p per bin, for the Percentile layers
    bool m_anyPercent = false; // a PercentArea layer had data this frame
    Window m_window;
    double m_leftMax = 0.0;
    double m_rightMax = 0.0;
    qint64 m_axisEndMs = 0;
    qint64 m_axisSpanMs = 0;
    QList<qint64> m_ticks; // time-axis labels now shown
};

} // namespace gp
