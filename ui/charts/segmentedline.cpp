#include "ui/charts/segmentedline.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>

namespace gp {

SegmentedLine::SegmentedLine(QChart *chart, QAbstractAxis *x, QAbstractAxis *y, const QString &name,
                             const QPen &pen, QObject *parent)
    : QObject(parent)
    , m_chart(chart)
    , m_x(x)
    , m_y(y)
    , m_pen(pen)
{
    seriesAt(0)->setName(name);
}

QLineSeries *SegmentedLine::seriesAt(int index)
{
    while (int(m_series.size()) <= index) {
        auto *series = new QLineSeries(m_chart);
        series->setPen(m_pen);
        m_chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        connect(series, &QLineSeries::hovered, this, &SegmentedLine::hovered);
        if (!m_series.empty()) {
            series->setName(m_series.front()->name());
            for (QLegendMarker *marker : m_chart->legend()->markers(series))
                marker->setVisible(false); // one legend entry per line, not per run
        }
        m_series.push_back(series);
    }
    return m_series[size_t(index)];
}

void SegmentedLine::setPoints(const QList<QPointF> &points, qint64 maxStepMs)
{
    ChartSeries::runs(points, maxStepMs, m_runs);
    const int used = std::min<int>(int(m_runs.size()), kMaxRuns);
    for (int i = 0; i < std::max(used, 1); ++i) {
        QLineSeries *series = seriesAt(i);
        m_scratch.resize(0);
        if (i < used) {
            const qsizetype first = m_runs[i].first;
            const qsizetype count = i == used - 1 ? points.size() - first : m_runs[i].count;
            m_scratch.append(points.mid(first, count));
        }
        if (series->points() != m_scratch)
            series->replace(m_scratch);
        // A run of one bucket makes no line: show the point itself.
        const bool single = m_scratch.size() == 1;
        if (series->pointsVisible() != single)
            series->setPointsVisible(single);
        if (i > 0 && series->isVisible() != m_visible)
            series->setVisible(m_visible);
    }
    for (size_t i = size_t(std::max(used, 1)); i < m_series.size(); ++i) {
        if (m_series[i]->count() > 0)
            m_series[i]->clear();
    }
}

void SegmentedLine::setPen(const QPen &pen)
{
    m_pen = pen;
    for (QLineSeries *series : m_series)
        series->setPen(pen);
}

void SegmentedLine::setVisible(bool visible)
{
    if (m_visible == visible)
        return;
    m_visible = visible;
    for (QLineSeries *series : m_series)
        series->setVisible(visible);
    for (QLegendMarker *marker : m_chart->legend()->markers(primary()))
        marker->setVisible(visible);
}

} // namespace gp
