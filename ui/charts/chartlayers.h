#pragma once

#include "core/telemetry/chartseries.h"
#include "ui/charts/chartspec.h"

#include <QList>
#include <QPointF>

#include <array>
#include <vector>

class QAbstractAxis;
class QAreaSeries;
class QChart;
class QLineSeries;
class QXYSeries;

namespace gp {

class ClientHubs;
class MetricsHub;
class SegmentedLine;

// The plotted layers of one chart: their Qt series and the values they show. fill() reads
// the hub once per frame through ChartSeries and replaces each series' points at most once.
class ChartLayers final
{
    Q_DISABLE_COPY_MOVE(ChartLayers)

public:
    struct Frame
    {
        ChartSeries::Bins bins; // display bins of the window
        qint64 spanMs = 300'000;
        qint64 nowMs = 0;
        qint64 bucketMs = 1000; // the hub's bucket at this span: gauges' step
        QString binLabel; // "5 s"
        const ClientHubs *clients = nullptr; // for layers with a clientSlot
    };
    struct Result
    {
        double leftMax = 0.0;
        double rightMax = 0.0;
        double filling = 0.0; // stacked charts: what the bin still filling has counted so far
        bool anyData = false;
        bool rightShown = false;
        bool anyPercent = false; // a PercentArea layer had data
    };

    ChartLayers(QChart *chart, QAbstractAxis *time, QAbstractAxis *left, QAbstractAxis *right);
    ~ChartLayers();

    void add(const ChartLayer &spec);
    Result fill(const MetricsHub &hub, const Frame &frame);
    void applyPalette(bool dark);
    // Every layer's value at time x, one "name: value" line each.
    QString describe(qint64 x, const Frame &frame) const;
    qint64 lastPointTime() const;
    int pointCount() const; // data points (not step corners), markers excluded
    // The values layer `index` plots (per bin, per bucket or % of limit) and its name.
    const QList<QPointF> &values(int index) const { return m_layers.at(size_t(index)).raw; }
    QString nameOf(int index) const { return m_layers.at(size_t(index)).spec.name; }
    QList<QXYSeries *> limitSeries() const;
    static QColor limitColor(const QColor &base, bool dark);

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

    void fillOne(Layer &layer, const MetricsHub &hub, const Frame &frame, Result &result);
    void fillStacked(Layer &layer, const MetricsHub &hub, const Frame &frame, Result &result);
    void fillPercent(Layer &layer, const MetricsHub &hub, const Frame &frame);
    void fillLimit(Layer &layer, qint64 fromMs, qint64 toMs, bool known);
    const MetricsHub *sourceOf(Layer &layer, const MetricsHub &hub, const Frame &frame);
    void setVisibleLayer(Layer &layer, bool visible);
    static void replaceIfChanged(QXYSeries *series, const QList<QPointF> &points);

    QChart *m_chart = nullptr;
    QAbstractAxis *m_time = nullptr;
    QAbstractAxis *m_left = nullptr;
    QAbstractAxis *m_right = nullptr;
    std::vector<Layer> m_layers;
    std::vector<double> m_stack; // running stacked sum per bin
    QList<QPointF> m_scratch; // hub output, reused
    QList<QPointF> m_scratch2;
    std::array<QList<QPointF>, 3> m_percentiles; // p per bin, for the Percentile layers
};

} // namespace gp
