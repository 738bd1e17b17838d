#pragma once

#include <QList>
#include <QString>

class QCategoryAxis;

namespace gp {

// The charts' axis labels: round clock times on x (07:41, 07:42…), compact numbers on y
// (12.5k, 40M). Pure functions, plus two that write the ticks into a QCategoryAxis.
class AxisLabels final
{
public:
    static qint64 clockStepFor(qint64 spanMs); // 1 min (5 min), 10 min (1 h), 3 h (24 h)
    // The same, made coarser (a round clock step) until every label of labelPx fits in plotPx
    // with a gap; plotPx <= 0 (not laid out yet) keeps the span's step.
    static qint64 clockStepFor(qint64 spanMs, double plotPx, double labelPx);
    // Multiples of stepMs on the local clock (utcOffsetMs east of UTC) within [fromMs, toMs].
    static QList<qint64> clockTicks(qint64 fromMs, qint64 toMs, qint64 stepMs, qint64 utcOffsetMs);
    // v as a label on an axis whose top is max: "2500", "12.5k", "40M"; fixed decimals when > 0.
    static QString compact(double v, double max, int decimals);

    static void setClockTicks(QCategoryAxis *axis, const QList<qint64> &ticksMs, qint64 stepMs);
    static void setValueTicks(QCategoryAxis *axis, double max, int decimals, int intervals = 4);
};

} // namespace gp
