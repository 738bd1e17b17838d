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
        Line, // the hub's value per bucket (gauges); gaps stay gaps
        Stacked, // a counter summed per interval and stacked on the layers before it
        Limit, // a dashed line at 100% of the limit (percent-of-limit charts)
        RateLine, // a counter summed per interval, drawn as a line (cost); gaps stay gaps
        Percentile, // latency quantile per interval from merged histograms; gaps stay gaps
        PercentArea, // field as % of limitField, a filled area from the 0 baseline
        ShareLine, // field per interval as % of (field + limitField): success rate; gaps stay gaps
    };
    MetricField field = MetricField::Submitted;
    QString name;
    QColor color;
    Kind kind = Kind::Line;
    bool rightAxis = false;
    MetricField limitField = MetricField::Count; // PercentArea: the limit; ShareLine: the rest
    double quantile = 0.0; // Percentile: 0.5, 0.95, 0.99
    Qt::PenStyle style = Qt::SolidLine; // lines also differ by dash, not by colour alone
    double width = 2.0;
    MetricField minusField = MetricField::Count; // Stacked: field - minusField (final = failed - retried)
    int fillAlpha = 200; // Stacked: lighter for what is less grave (retried) than the solid rest
    int clientSlot = -1; // >= 0: read from that client's hub (ClientHubs slot), named after it
};

// What one live chart shows; the five console charts are built by the static functions.
struct ChartSpec
{
    QString id; // "quota", "failures", "latency", "throughput", "tokens"
    QString title;
    QString leftTitle; // axis title with unit; "%1" is replaced by the interval ("5 s")
    QString rightTitle; // empty: no right axis
    int leftDecimals = 0;
    int rightDecimals = 0;
    QString markerName; // scatter markers ("quota reset", "alert"); empty: none
    QColor markerColor; // red for alerts; a quiet grey for routine events (resets)
    int markerSize = 9;
    QString emptyNote; // appended to the title while the window holds no data ("no errors")
    bool percentOfLimit = false; // one 0..100 % axis (absolute values in the tooltip)
    bool markerTicks = false; // markers as thin vertical ticks (resets), not squares
    bool breakerShading = false; // shade the periods the circuit breaker held traffic
    bool rightPercent = false; // the right axis is a fixed 0..100 %
    QList<ChartLayer> layers;

    static ChartSpec quota();
    static ChartSpec failures();
    static ChartSpec latency();
    static ChartSpec throughput();
    static ChartSpec tokens();
    // Requests and tokens per client, stacked: one layer per ClientHubs slot (the split view).
    static ChartSpec clients();
    static ChartSpec clientTokens();
    static QList<ChartSpec> all();
    static QString bucketLabel(ErrorBucket bucket);
};

} // namespace gp
