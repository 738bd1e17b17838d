#pragma once

#include "core/events/pacingstate.h"
#include "core/telemetry/genaimetrics.h"
#include "core/telemetry/genaiserver.h"
#include "core/telemetry/modellabels.h"
#include "core/telemetry/modelmetrics.h"

namespace gp {

class PrometheusWriter;

// The labelled families of the Prometheus endpoint: the OpenTelemetry GenAI histograms and
// GrokPulse's per-model families, sharing one bounded set of model labels.
class LabelledMetrics final
{
public:
    LabelledMetrics() = default;
    LabelledMetrics(const LabelledMetrics &) = delete;
    LabelledMetrics &operator=(const LabelledMetrics &) = delete;

    // The client's base URL: gen_ai_provider_name, server_address and server_port.
    void setServer(const GenAiServer &server);
    void record(const Event &event);
    void recordPacing(const PacingState &state) { m_models.recordPacing(state); }
    void render(PrometheusWriter &writer) const;

    const GenAiMetrics &genAi() const { return m_genAi; }
    const ModelMetrics &models() const { return m_models; }

private:
    ModelLabels m_labels;
    GenAiMetrics m_genAi { m_labels };
    ModelMetrics m_models { m_labels };
};

} // namespace gp
