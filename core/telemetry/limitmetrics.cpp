#include "core/telemetry/limitmetrics.h"

#include "core/telemetry/modellabels.h"
#include "core/telemetry/prometheuswriter.h"

namespace gp {

namespace {
using W = PrometheusWriter;

const QString kAllModels = QStringLiteral("all");

QByteArray keyLabels(const std::pair<QString, LimitSource> &key)
{
    return W::labels(
        { W::label("model", key.first), W::label("source", LimitMetrics::sourceLabel(key.second)) });
}
} // namespace

LimitMetrics::LimitMetrics(ModelLabels &models)
    : m_models(models)
{ }

QString LimitMetrics::sourceLabel(LimitSource source)
{
    switch (source) {
    case LimitSource::Configured: return QStringLiteral("configured");
    case LimitSource::Headers: return QStringLiteral("headers");
    case LimitSource::StatedByServer: return QStringLiteral("stated_by_server");
    case LimitSource::Learned: return QStringLiteral("learned");
    case LimitSource::None: break;
    }
    return {};
}

void LimitMetrics::record(const PacingState &state)
{
    // Configured, header and learned limits are the pacer's state of the moment: only the one it
    // reports now is kept. Stated limits stay per model (the pacer keeps each model's).
    for (auto it = m_limits.begin(); it != m_limits.end();) {
        if (it.key().second != LimitSource::StatedByServer)
            it = m_limits.erase(it);
        else
            ++it;
    }
    m_active.reset();
    if (state.learnedRps)
        m_limits[{ kAllModels, LimitSource::Learned }].requestsPerSecond = state.learnedRps;
    if (state.limitSource == LimitSource::None
        || (!state.limitRequestsPerSecond && !state.limitTokensPerMinute))
        return;
    const QString model = state.limitModel.isEmpty() ? kAllModels : m_models.fold(state.limitModel);
    const Key key { model, state.limitSource };
    m_limits[key] = Limit { state.limitRequestsPerSecond, state.limitTokensPerMinute };
    m_active = key;
}

void LimitMetrics::render(PrometheusWriter &w) const
{
    w.family("grokpulse_limit_requests_per_second", "gauge",
             "Request rate limit the pacer knows, by model (all: every model) and source"
             " (configured, headers, stated_by_server, learned).");
    for (auto it = m_limits.cbegin(); it != m_limits.cend(); ++it) {
        if (it->requestsPerSecond)
            w.sample("grokpulse_limit_requests_per_second", keyLabels(it.key()), *it->requestsPerSecond);
    }
    w.family("grokpulse_limit_tokens_per_minute", "gauge",
             "Token rate limit the pacer knows, by model (all: every model) and source.");
    for (auto it = m_limits.cbegin(); it != m_limits.cend(); ++it) {
        if (it->tokensPerMinute)
            w.sample("grokpulse_limit_tokens_per_minute", keyLabels(it.key()), *it->tokensPerMinute);
    }
    w.family("grokpulse_limit_active", "gauge",
             "1 for the limit admission is paced by now, by model and source.");
    if (m_active)
        w.sample("grokpulse_limit_active", keyLabels(*m_active), 1);
}

} // namespace gp
