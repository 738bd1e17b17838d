#include "ui/charts/axislabels.h"

#include <QCategoryAxis>
#include <QDateTime>

namespace gp {

qint64 AxisLabels::clockStepFor(qint64 spanMs)
{
    if (spanMs > 3'600'000)
        return 3 * 3'600'000;
    return spanMs > 300'000 ? 600'000 : 60'000;
}

qint64 AxisLabels::clockStepFor(qint64 spanMs, double plotPx, double labelPx)
{
    qint64 step = clockStepFor(spanMs);
    if (plotPx <= 0 || labelPx <= 0 || spanMs <= 0)
        return step;
    static constexpr qint64 Steps[]
        = { 60'000,    120'000,   300'000,    600'000,    900'000,    1'800'000,
            3'600'000, 7'200'000, 10'800'000, 21'600'000, 43'200'000, 86'400'000 };
    const double needPx = labelPx * 1.5; // a label and half a label of gap
    for (const qint64 candidate : Steps) {
        if (candidate < step)
            continue;
        step = candidate;
        if (double(spanMs) / double(step) * needPx <= plotPx)
            break;
    }
    return step;
}

QList<qint64> AxisLabels::clockTicks(qint64 fromMs, qint64 toMs, qint64 stepMs, qint64 utcOffsetMs)
{
    QList<qint64> ticks;
    if (stepMs <= 0 || toMs < fromMs)
        return ticks;
    const qint64 local = fromMs + utcOffsetMs;
    // Round up to the next multiple of the step, for times before 1970 too.
    const qint64 rem = ((local % stepMs) + stepMs) % stepMs;
    for (qint64 t = local + (rem ? stepMs - rem : 0) - utcOffsetMs; t <= toMs; t += stepMs)
        ticks.append(t);
    return ticks;
}

QString AxisLabels::compact(double v, double max, int decimals)
{
    if (decimals > 0)
        return QString::number(v, 'f', decimals);
    if (v == 0.0)
        return QStringLiteral("0");
    if (max >= 1e6)
        return QString::number(v / 1e6, 'g', 6) + u'M';
    if (max >= 1e4)
        return QString::number(v / 1e3, 'g', 6) + u'k';
    return QString::number(v, 'g', 12);
}

void AxisLabels::setClockTicks(QCategoryAxis *axis, const QList<qint64> &ticksMs, qint64 stepMs)
{
    for (const QString &label : axis->categoriesLabels())
        axis->remove(label);
    if (ticksMs.isEmpty())
        return;
    axis->setStartValue(double(ticksMs.first() - stepMs));
    for (qint64 t : ticksMs)
        axis->append(QDateTime::fromMSecsSinceEpoch(t).toString(QStringLiteral("HH:mm")), double(t));
}

void AxisLabels::setValueTicks(QCategoryAxis *axis, double max, int decimals, int intervals)
{
    for (const QString &label : axis->categoriesLabels())
        axis->remove(label);
    // A category ends at each tick above zero. Qt gives each vertical label axis height /
    // (categories + 1): a sixth category for a "0" label would elide all of them in a short chart.
    axis->setStartValue(0.0);
    for (int i = 1; i <= intervals; ++i) {
        const double v = max * i / intervals;
        axis->append(compact(v, max, decimals), v);
    }
    axis->setRange(0.0, max);
}

} // namespace gp
