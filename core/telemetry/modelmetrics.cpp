#include "core/telemetry/modelmetrics.h"

#include "core/telemetry/modellabels.h"
#include "core/telemetry/prometheuswriter.h"
#include "core/wire/costmodel.h"

namespace gp {

namespace {
using W = PrometheusWriter;

QByteArray modelLabel(const QString &model)
{
    return W::label("model", model);
}
} // namespace

ModelMetrics::ModelMetrics(ModelLabels &models)
    : m_models(models)
{ }

ModelMetrics::PerModel &ModelMetrics::perModel(const QString &model)
{
    return m_perModel[m_models.fold(model)];
}

void ModelMetrics::leaveQueue(quint64 jobId)
{
    const auto it = m_queuedJobs.constFind(jobId);
    if (it == m_queuedJobs.cend())
        return;
    int &depth = m_perModel[it->model].queued[size_t(it->priority)];
    depth = std::max(0, depth - 1);
    m_queuedJobs.erase(it);
}

void ModelMetrics::record(const Event &event)
{
    switch (event.kind) {
    case EventKind::Queued: {
        if (m_queuedJobs.contains(event.jobId) || m_queuedJobs.size() >= kMaxTrackedJobs)
            break; // re-queued after a breaker hold: still the one wait
        const QString model = m_models.fold(event.model);
        const int priority = std::clamp(int(event.priority), 0, PriorityCount - 1);
        ++m_perModel[model].queued[size_t(priority)];
        m_queuedJobs.insert(event.jobId, QueuedJob { model, priority });
        break;
    }
    case EventKind::AttemptStarted: leaveQueue(event.jobId); break;
    case EventKind::RetryScheduled:
        ++perModel(event.model).retries[size_t(errorBucketOf(event.errorClass))];
        break;
    case EventKind::Succeeded:
    case EventKind::Failed:
    case EventKind::Cancelled:
    case EventKind::Interrupted: {
        leaveQueue(event.jobId);
        PerModel &m = perModel(event.model);
        const Usage &u = event.usage;
        m.promptTokens += u.promptTokens;
        m.completionTokens += u.completionTokens;
        m.reasoningTokens += u.reasoningTokens;
        m.cachedTokens += u.cachedTokens;
        if (u.present)
            m.costUsd += CostModel::costOf(u, event.model).usd; // the server's ticks, else the list price
        break;
    }
    case EventKind::QuotaUpdated: {
        PerModel &m = perModel(event.model);
        const QuotaSnapshot &q = event.quota;
        m.requestsRemaining = q.requests.remaining.value_or(m.requestsRemaining);
        m.requestLimit = q.requests.limit.value_or(m.requestLimit);
        m.tokensRemaining = q.tokens.remaining.value_or(m.tokensRemaining);
        m.tokenLimit = q.tokens.limit.value_or(m.tokenLimit);
        break;
    }
    case EventKind::BreakerOpened: m_breaker = BreakerState::Open; break;
    case EventKind::BreakerHalfOpen: m_breaker = BreakerState::HalfOpen; break;
    case EventKind::BreakerClosed: m_breaker = BreakerState::Closed; break;
    default: break;
    }
}

void ModelMetrics::recordPacing(const PacingState &state)
{
    m_learnedRps = state.learnedRps;
}

void ModelMetrics::render(PrometheusWriter &w) const
{
    w.family("grokpulse_retries_total", "counter", "Retries scheduled, by model and reason.");
    for (auto it = m_perModel.cbegin(); it != m_perModel.cend(); ++it) {
        for (int b = 0; b < ErrorBucketCount; ++b)
            w.sample("grokpulse_retries_total",
                     W::labels({ modelLabel(it.key()), W::label("reason", errorBucketName(ErrorBucket(b))) }),
                     double(it->retries[size_t(b)]));
    }
    w.family("grokpulse_tokens_total", "counter",
             "Tokens reported by usage, by model and kind (cached is part of prompt).");
    for (auto it = m_perModel.cbegin(); it != m_perModel.cend(); ++it) {
        const std::pair<const char *, qint64> kinds[] = { { "prompt", it->promptTokens },
                                                          { "completion", it->completionTokens },
                                                          { "reasoning", it->reasoningTokens },
                                                          { "cached", it->cachedTokens } };
        for (const auto &[kind, value] : kinds)
            w.sample("grokpulse_tokens_total",
                     W::labels({ modelLabel(it.key()), W::label("kind", QLatin1String(kind)) }),
                     double(value));
    }
    w.family("grokpulse_cost_usd_total", "counter", "Cost in USD reported by usage, by model.");
    for (auto it = m_perModel.cbegin(); it != m_perModel.cend(); ++it)
        w.sample("grokpulse_cost_usd_total", modelLabel(it.key()), it->costUsd);

    const auto quota = [&](const char *name, qint64 PerModel::*requests, qint64 PerModel::*tokens) {
        for (auto it = m_perModel.cbegin(); it != m_perModel.cend(); ++it) {
            if ((*it).*requests >= 0)
                w.sample(name,
                         W::labels({ modelLabel(it.key()), W::label("unit", QStringLiteral("requests")) }),
                         double((*it).*requests));
            if ((*it).*tokens >= 0)
                w.sample(name,
                         W::labels({ modelLabel(it.key()), W::label("unit", QStringLiteral("tokens")) }),
                         double((*it).*tokens));
        }
    };
    w.family("grokpulse_quota_remaining", "gauge",
             "Remaining quota the server last reported, by model and unit.");
    quota("grokpulse_quota_remaining", &PerModel::requestsRemaining, &PerModel::tokensRemaining);
    w.family("grokpulse_quota_limit", "gauge", "Quota limit the server last reported, by model and unit.");
    quota("grokpulse_quota_limit", &PerModel::requestLimit, &PerModel::tokenLimit);

    w.family("grokpulse_queue_depth", "gauge", "Requests waiting for the pacer, by model and priority.");
    for (auto it = m_perModel.cbegin(); it != m_perModel.cend(); ++it) {
        for (int p = 0; p < PriorityCount; ++p)
            w.sample("grokpulse_queue_depth",
                     W::labels({ modelLabel(it.key()), W::label("priority", priorityName(Priority(p))) }),
                     it->queued[size_t(p)]);
    }
    w.family("grokpulse_limit_requests_per_second", "gauge",
             "The request rate the pacer paces by, by model (all: every model) and source.");
    if (m_learnedRps)
        w.sample(
            "grokpulse_limit_requests_per_second",
            W::labels({ modelLabel(QStringLiteral("all")), W::label("source", QStringLiteral("learned")) }),
            *m_learnedRps);
    w.family("grokpulse_breaker_state", "gauge",
             "Circuit breaker of the server: 0 closed, 1 half-open, 2 open.");
    w.sample("grokpulse_breaker_state",
             m_serverAddress.isEmpty() ? QByteArray() : W::label("server_address", m_serverAddress),
             int(m_breaker));
}

} // namespace gp
