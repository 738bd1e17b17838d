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

QByteArray useLabels(const std::pair<QString, QString> &key, const QByteArray &more = {})
{
    return W::labels({ modelLabel(key.first),
                       key.second.isEmpty() ? QByteArray() : W::label("client", key.second), more });
}
} // namespace

ModelMetrics::ModelMetrics(ModelLabels &models, ModelLabels &clients)
    : m_models(models)
    , m_clients(clients)
{ }

ModelMetrics::PerModel &ModelMetrics::perModel(const QString &model)
{
    return m_perModel[m_models.fold(model)];
}

ModelMetrics::PerUse &ModelMetrics::perUse(const Event &event)
{
    const QString model = m_models.fold(event.model);
    m_perModel[model]; // every model with use also has its quota and queue series
    return m_perUse[{ model, m_clients.fold(event.client) }];
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
    case EventKind::RetryScheduled: ++perUse(event).retries[size_t(errorBucketOf(event.errorClass))]; break;
    case EventKind::Succeeded:
    case EventKind::Failed:
    case EventKind::Cancelled:
    case EventKind::Interrupted: {
        leaveQueue(event.jobId);
        PerUse &m = perUse(event);
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

void ModelMetrics::render(PrometheusWriter &w) const
{
    renderUse(w);
    renderQuota(w);
    w.family("grokpulse_breaker_state", "gauge",
             "Circuit breaker of the server: 0 closed, 1 half-open, 2 open.");
    w.sample("grokpulse_breaker_state",
             m_serverAddress.isEmpty() ? QByteArray() : W::label("server_address", m_serverAddress),
             int(m_breaker));
}

void ModelMetrics::renderUse(PrometheusWriter &w) const
{
    w.family("grokpulse_retries_total", "counter", "Retries scheduled, by model, reason and gateway client.");
    for (auto it = m_perUse.cbegin(); it != m_perUse.cend(); ++it) {
        for (int b = 0; b < ErrorBucketCount; ++b)
            w.sample("grokpulse_retries_total",
                     useLabels(it.key(), W::label("reason", errorBucketName(ErrorBucket(b)))),
                     double(it->retries[size_t(b)]));
    }
    w.family("grokpulse_tokens_total", "counter",
             "Tokens reported by usage, by model, kind (cached is part of prompt) and gateway client.");
    for (auto it = m_perUse.cbegin(); it != m_perUse.cend(); ++it) {
        const std::pair<const char *, qint64> kinds[] = { { "prompt", it->promptTokens },
                                                          { "completion", it->completionTokens },
                                                          { "reasoning", it->reasoningTokens },
                                                          { "cached", it->cachedTokens } };
        for (const auto &[kind, value] : kinds)
            w.sample("grokpulse_tokens_total", useLabels(it.key(), W::label("kind", QLatin1String(kind))),
                     double(value));
    }
    w.family("grokpulse_cost_usd_total", "counter",
             "Cost in USD reported by usage, by model and gateway client.");
    for (auto it = m_perUse.cbegin(); it != m_perUse.cend(); ++it)
        w.sample("grokpulse_cost_usd_total", useLabels(it.key()), it->costUsd);
}

void ModelMetrics::renderQuota(PrometheusWriter &w) const
{
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
}

} // namespace gp
