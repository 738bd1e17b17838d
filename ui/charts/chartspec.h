#pragma once

#include "core/telemetry/metricfield.h"

#include <QColor>
#include <QList>
#include <QString>

namespace gp {

// One plotted quantity of a chart.
struct ChartLayer
{
    enum class Kind {
        Line, // the hub's value per bucket (gauges, percentiles)
        Stacked, // a counter summed per interval and stacked on the layers before it
        Limit, // a dashed line (a limit)
        RateLine, // a counter summed per interval, drawn as a line (cost)
    };
    MetricField field = MetricField::Submitted;
    QString name;
    QColor color;
    Kind kind = Kind::Line;
    bool rightAxis = false;
};

// What one live chart shows; the five console charts are built by the static functions.
struct ChartSpec
{
    QString id; // "quota", "retries", "latency", "tokens", "errors"
    QString title;
    QString leftTitle; // axis title with unit; "%1" is replaced by the interval ("5 s")
    QString rightTitle; // empty: no right axis
    int leftDecimals = 0;
    int rightDecimals = 0;
    QString markerName; // scatter markers ("quota reset", "alert"); empty: none
    QColor markerColor; // red for alerts; a quiet grey for routine events (resets)
    int markerSize = 9;
    QString emptyNote; // appended to the title while the window holds no data ("no errors")
    QList<ChartLayer> layers;

    static ChartSpec quota();
    static ChartSpec retries();
    static ChartSpec latency();
    static ChartSpec tokens();
    static ChartSpec errors();
    static QList<ChartSpec> all();
    static QString bucketLabel(ErrorBucket bucket);
};

} // namespace gp
