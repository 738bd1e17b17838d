#include "core/telemetry/clientmetrics.h"

#include "core/telemetry/modellabels.h"
#include "core/telemetry/prometheuswriter.h"

namespace gp {

namespace {
using W = PrometheusWriter;

const char *const kOutcomes[] = { "succeeded", "failed", "cancelled", "interrupted" };

QByteArray clientLabel(const QString &client)
{
    return client.isEmpty() ? QByteArray() : W::label("client", client);
}
} // namespace

ClientMetrics::ClientMetrics(ModelLabels &clients)
    : m_clients(clients)
{
    m_perClient.insert(QString(), PerClient {}); // the unlabelled series exist from the start
}

void ClientMetrics::record(const Event &event)
{
    if (!isTerminal(event.kind))
        return;
    PerClient &c = m_perClient[m_clients.fold(event.client)];
    const int outcome = event.kind == EventKind::Succeeded ? MetricsSnapshot::Succeeded
        : event.kind == EventKind::Failed                  ? MetricsSnapshot::Failed
        : event.kind == EventKind::Cancelled               ? MetricsSnapshot::Cancelled
                                                           : MetricsSnapshot::Interrupted;
    ++c.outcomes[size_t(outcome)];
    if (event.durationMs >= 0 && event.kind != EventKind::Cancelled)
        c.duration.add(double(event.durationMs) / 1000.0);
}

void ClientMetrics::render(PrometheusWriter &w) const
{
    w.family("grokpulse_requests_total", "counter",
             "Requests that reached a terminal state, by outcome (and gateway client).");
    for (auto it = m_perClient.cbegin(); it != m_perClient.cend(); ++it) {
        for (int o = 0; o < MetricsSnapshot::OutcomeCount; ++o)
            w.sample("grokpulse_requests_total",
                     W::labels({ W::label("outcome", QLatin1String(kOutcomes[o])), clientLabel(it.key()) }),
                     double(it->outcomes[size_t(o)]));
    }
    w.family("grokpulse_request_duration_seconds", "histogram",
             "Total request latency, submission to terminal state (by gateway client).");
    for (auto it = m_perClient.cbegin(); it != m_perClient.cend(); ++it)
        w.histogram("grokpulse_request_duration_seconds", clientLabel(it.key()), it->duration);
}

} // namespace gp
