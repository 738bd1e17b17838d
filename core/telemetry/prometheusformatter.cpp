#include "core/telemetry/prometheusformatter.h"

namespace gp {

namespace {

class Writer
{
public:
    void header(const char *name, const char *type, const char *help)
    {
        m_out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    }
    void sample(const char *name, const QByteArray &labels, double value)
    {
        m_out += name;
        if (!labels.isEmpty())
            m_out += '{' + labels + '}';
        m_out += ' ' + QByteArray::number(value, 'g', 15) + '\n';
    }
    static QByteArray label(const char *key, const QString &value)
    {
        return QByteArray(key) + "=\"" + PrometheusFormatter::escapeLabel(value) + '"';
    }
    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
};

const char *const kOutcomes[] = { "succeeded", "failed", "cancelled", "interrupted" };

void renderCounters(Writer &w, const MetricsSnapshot &s)
{
    w.header("grokpulse_submitted_total", "counter", "Requests submitted to the client.");
    w.sample("grokpulse_submitted_total", {}, double(s.submitted));
    w.header("grokpulse_requests_total", "counter", "Requests that reached a terminal state, by outcome.");
    for (int o = 0; o < MetricsSnapshot::OutcomeCount; ++o)
        w.sample("grokpulse_requests_total", Writer::label("outcome", QLatin1String(kOutcomes[o])),
                 double(s.outcomes[size_t(o)]));
    w.header("grokpulse_attempts_total", "counter", "HTTP attempts that finished.");
    w.sample("grokpulse_attempts_total", {}, double(s.attempts));
    w.header("grokpulse_retries_total", "counter", "Retries scheduled, by reason.");
    for (int b = 0; b < ErrorBucketCount; ++b)
        w.sample("grokpulse_retries_total", Writer::label("reason", errorBucketName(ErrorBucket(b))),
                 double(s.retries[size_t(b)]));
    w.header("grokpulse_errors_total", "counter", "Errors, by class.");
    for (int b = 0; b < ErrorBucketCount; ++b)
        w.sample("grokpulse_errors_total", Writer::label("class", errorBucketName(ErrorBucket(b))),
                 double(s.errors[size_t(b)]));
    w.header("grokpulse_tokens_total", "counter",
             "Tokens reported by usage, by kind (cached is part of prompt).");
    const std::pair<const char *, qint64> tokens[] = { { "prompt", s.promptTokens },
                                                       { "completion", s.completionTokens },
                                                       { "reasoning", s.reasoningTokens },
                                                       { "cached", s.cachedTokens } };
    for (const auto &[kind, value] : tokens)
        w.sample("grokpulse_tokens_total", Writer::label("kind", QLatin1String(kind)), double(value));
    w.header("grokpulse_cost_usd_total", "counter", "Cost in USD reported by usage.");
    w.sample("grokpulse_cost_usd_total", {}, s.costUsd);
}

void renderHistogram(Writer &w, const MetricsSnapshot &s)
{
    w.header("grokpulse_request_duration_seconds", "histogram",
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
    w.header("grokpulse_quota_remaining", "gauge", "Remaining quota the server last reported, by unit.");
    if (g.requestsRemaining >= 0)
        w.sample("grokpulse_quota_remaining", Writer::label("unit", QStringLiteral("requests")),
                 double(g.requestsRemaining));
    if (g.tokensRemaining >= 0)
        w.sample("grokpulse_quota_remaining", Writer::label("unit", QStringLiteral("tokens")),
                 double(g.tokensRemaining));
    w.header("grokpulse_quota_limit", "gauge", "Quota limit the server last reported, by unit.");
    if (g.requestLimit >= 0)
        w.sample("grokpulse_quota_limit", Writer::label("unit", QStringLiteral("requests")),
                 double(g.requestLimit));
    if (g.tokenLimit >= 0)
        w.sample("grokpulse_quota_limit", Writer::label("unit", QStringLiteral("tokens")),
                 double(g.tokenLimit));
    w.header("grokpulse_queue_depth", "gauge", "Requests waiting for the pacer, by priority.");
    for (int p = 0; p < PriorityCount; ++p)
        w.sample("grokpulse_queue_depth", Writer::label("priority", priorityName(Priority(p))),
                 g.queued[size_t(p)]);
    w.header("grokpulse_in_flight", "gauge", "Attempts on the wire.");
    w.sample("grokpulse_in_flight", {}, g.inFlight);
    w.header("grokpulse_breaker_state", "gauge", "Circuit breaker: 0 closed, 1 half-open, 2 open.");
    w.sample("grokpulse_breaker_state", {}, int(g.breaker));
}

} // namespace

QByteArray PrometheusFormatter::escapeLabel(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

QByteArray PrometheusFormatter::render(const MetricsSnapshot &snapshot)
{
    Writer w;
    renderCounters(w, snapshot);
    renderHistogram(w, snapshot);
    renderGauges(w, snapshot);
    return w.take();
}

} // namespace gp
