#include "core/telemetry/prometheusformatter.h"

#include "core/telemetry/labelledmetrics.h"
#include "core/telemetry/prometheuswriter.h"

namespace gp {

namespace {

using Writer = PrometheusWriter;

const char *const kOutcomes[] = { "succeeded", "failed", "cancelled", "interrupted" };

void renderCounters(Writer &w, const MetricsSnapshot &s)
{
    w.family("grokpulse_submitted_total", "counter", "Requests submitted to the client.");
    w.sample("grokpulse_submitted_total", {}, double(s.submitted));
    w.family("grokpulse_requests_total", "counter", "Requests that reached a terminal state, by outcome.");
    for (int o = 0; o < MetricsSnapshot::OutcomeCount; ++o)
        w.sample("grokpulse_requests_total", Writer::label("outcome", QLatin1String(kOutcomes[o])),
                 double(s.outcomes[size_t(o)]));
    w.family("grokpulse_attempts_total", "counter", "HTTP attempts that finished.");
    w.sample("grokpulse_attempts_total", {}, double(s.attempts));
    w.family("grokpulse_errors_total", "counter", "Errors, by class.");
    for (int b = 0; b < ErrorBucketCount; ++b)
        w.sample("grokpulse_errors_total", Writer::label("class", errorBucketName(ErrorBucket(b))),
                 double(s.errors[size_t(b)]));
}

void renderHistogram(Writer &w, const MetricsSnapshot &s)
{
    w.family("grokpulse_request_duration_seconds", "histogram",
             "Total request latency, submission to terminal state.");
    quint64 cumulative = 0;
    const auto &bounds = MetricsSnapshot::kDurationBoundsSec;
    for (size_t i = 0; i < bounds.size(); ++i) {
        cumulative += s.durationBuckets[i];
        w.sample("grokpulse_request_duration_seconds_bucket",
                 "le=\"" + QByteArray::number(bounds[i], 'g', 6) + '"', double(cumulative));
    }
    cumulative += s.durationBuckets[bounds.size()];
    w.sample("grokpulse_request_duration_seconds_bucket", "le=\"+Inf\"", double(cumulative));
    w.sample("grokpulse_request_duration_seconds_sum", {}, s.durationSumSec);
    w.sample("grokpulse_request_duration_seconds_count", {}, double(s.durationCount));
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
    renderHistogram(w, snapshot);
    renderGauges(w, snapshot);
    return w.take();
}

} // namespace gp
