#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QWidget>

namespace gp {

// A tiny line of the last minute under a stat tile's number. Gaps (missing buckets) stay
// gaps; the y range is the data's own, from 0, so a flat line sits at the bottom.
class Sparkline final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Sparkline)

public:
    explicit Sparkline(QWidget *parent = nullptr);

    // x = ms, y = value; points with a gap in x larger than gapMs are not joined.
    void setPoints(const QList<QPointF> &points, qint64 fromMs, qint64 toMs, qint64 gapMs);
    void setColor(const QColor &color);
    void setCeiling(double ceiling) { m_ceiling = ceiling; } // fixed top (a limit); 0 = data max
    qsizetype pointCount() const { return m_points.size(); }
    QSize sizeHint() const override { return { 80, 18 }; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<QPointF> m_points;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 1;
    qint64 m_gapMs = 1000;
    double m_ceiling = 0.0;
    QColor m_color;
};

} // namespace gp
