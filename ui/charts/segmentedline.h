#pragma once

#include "core/telemetry/chartseries.h"

#include <QList>
#include <QObject>
#include <QPen>
#include <QPointF>

#include <vector>

class QAbstractAxis;
class QChart;
class QLineSeries;

namespace gp {

// One line of a chart that keeps gaps as gaps: Qt Charts joins every point of a series (and
// ignores NaN), so each run of consecutive points gets its own series from a small pool.
// The first series carries the legend entry; beyond the pool the last series takes the rest.
class SegmentedLine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SegmentedLine)

public:
    static constexpr int kMaxRuns = 16;

    SegmentedLine(QChart *chart, QAbstractAxis *x, QAbstractAxis *y, const QString &name, const QPen &pen,
                  QObject *parent = nullptr);

    // x ascending; a step larger than maxStepMs starts a new run.
    void setPoints(const QList<QPointF> &points, qint64 maxStepMs);
    void setPen(const QPen &pen);
    void setVisible(bool visible);
    bool isVisible() const { return m_visible; }
    QLineSeries *primary() const { return m_series.front(); }
    int runCount() const { return int(m_runs.size()); }

Q_SIGNALS:
    void hovered(const QPointF &point, bool state);

private:
    QLineSeries *seriesAt(int index);

    QChart *m_chart = nullptr;
    QAbstractAxis *m_x = nullptr;
    QAbstractAxis *m_y = nullptr;
    QPen m_pen;
    bool m_visible = true;
    std::vector<QLineSeries *> m_series;
    QList<ChartSeries::Run> m_runs;
    QList<QPointF> m_scratch;
};

} // namespace gp
