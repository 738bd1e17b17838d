#include "core/telemetry/prometheusformatter.h"

#include "core/telemetry/labelledmetrics.h"
#include "core/telemetry/prometheuswriter.h"

namespace gp {

namespace {

using Writer = PrometheusWriter;

void renderCounters(Writer &w, const MetricsSnapshot &s)
{
    w.family("grokpulse_submitted_total", "counter", "Requests submitted to the client.");
    w.sample("grokpulse_submitted_total", {}, double(s.submitted));
    w.family("grokpulse_attempts_total", "counter", "HTTP attempts that finished.");
    w.sample("grokpulse_attempts_total", {}, double(s.attempts));
    w.family("grokpulse_errors_total", "counter", "Errors, by class.");
    for (int b = 0; b < ErrorBucketCount; ++b)
        w.sample("grokpulse_errors_total", Writer::label("class", errorBucketName(ErrorBucket(b))),
                 double(s.errors[size_t(b)]));
}

void renderGauges(Writer &w, const MetricsSnapshot &s)
{
    const MetricGauges &g = s.gauges;
    w.family("grokpulse_in_flight", "gauge", "Attempts on the wire.");
    w.sample("grokpulse_in_flight", {}, g.inFlight);
}

} // namespace

QByteArray PrometheusFormatter::escapeLabel(const QString &value)
{
    return PrometheusWriter::escapeLabel(value);
}

QByteArray PrometheusFormatter::render(const MetricsSnapshot &snapshot, const LabelledMetrics &labelled)
{
    Writer w;
    labelled.render(w);
    renderCounters(w, snapshot);
    renderGauges(w, snapshot);
    return w.take();
}

} // namespace gp
