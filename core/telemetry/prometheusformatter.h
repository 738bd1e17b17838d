#pragma once

#include "core/telemetry/metricshub.h"

#include <QByteArray>

namespace gp {

// Renders MetricsHub totals in the Prometheus text exposition format 0.0.4:
// grokpulse_* counters, gauges and the request-duration histogram, each with # HELP / # TYPE.
class PrometheusFormatter final
{
public:
    static QByteArray render(const MetricsSnapshot &snapshot);
    static QByteArray escapeLabel(const QString &value);
};

} // namespace gp
