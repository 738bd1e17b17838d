#include "core/telemetry/labelledmetrics.h"

namespace gp {

void LabelledMetrics::setServer(const GenAiServer &server)
{
    m_genAi.setServer(server);
    m_models.setServerAddress(server.address);
}

void LabelledMetrics::record(const Event &event)
{
    m_genAi.record(event);
    m_models.record(event);
    m_clients.record(event);
}

void LabelledMetrics::render(PrometheusWriter &writer) const
{
    m_genAi.render(writer);
    m_clients.render(writer);
    m_models.render(writer);
    m_limits.render(writer);
}

} // namespace gp
