#pragma once

#include "core/events/event.h"
#include "core/telemetry/explicithistogram.h"
#include "core/telemetry/metricshub.h"

#include <QMap>
#include <QString>

#include <array>

namespace gp {

class ModelLabels;
class PrometheusWriter;

// grokpulse_requests_total{outcome,client} and grokpulse_request_duration_seconds{client}: the
// terminal states and their latency, split by the gateway client that asked. Jobs without a
// client (the console, a batch) carry no client label, so those series read as before.
// Clients fold into "other" past their cap.
class ClientMetrics final
{
public:
    explicit ClientMetrics(ModelLabels &clients);

    void record(const Event &event);
    void render(PrometheusWriter &writer) const;

private:
    struct PerClient
    {
        std::array<quint64, MetricsSnapshot::OutcomeCount> outcomes {};
        ExplicitHistogram duration { MetricsSnapshot::kDurationBoundsSec };
    };

    ModelLabels &m_clients;
    QMap<QString, PerClient> m_perClient; // "" first: the jobs without a client
};

} // namespace gp
