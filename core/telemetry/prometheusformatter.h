#pragma once

#include "core/telemetry/metricshub.h"

#include <QByteArray>

namespace gp {

class LabelledMetrics;

// Renders the Prometheus text exposition format 0.0.4: the OpenTelemetry GenAI histograms and
// the per-model grokpulse_* families (LabelledMetrics), then MetricsHub's totals (requests by
// outcome, attempts, errors by class, request duration, in flight), each with # HELP / # TYPE.
class PrometheusFormatter final
{
public:
    static QByteArray render(const MetricsSnapshot &snapshot, const LabelledMetrics &labelled);
    static QByteArray escapeLabel(const QString &value);
};

} // namespace gp
