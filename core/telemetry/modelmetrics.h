#pragma once

#include "core/events/event.h"
#include "core/policy/breakerstate.h"
#include "core/telemetry/metricfield.h"

#include <QHash>
#include <QMap>

#include <array>
#include <utility>

namespace gp {

class ModelLabels;
class PrometheusWriter;

// GrokPulse's own families for what the GenAI conventions have no name for, by model: quota
// limit and remaining (requests, tokens), queue depth by priority; by model and gateway client:
// retries by reason, tokens by kind and cost; plus the breaker (which guards the host, so it is
// labelled by server_address). Models and clients fold into "other" past their caps; jobs
// without a client carry no client label.
class ModelMetrics final
{
public:
    ModelMetrics(ModelLabels &models, ModelLabels &clients);

    void setServerAddress(const QString &address) { m_serverAddress = address; }
    void record(const Event &event);
    void render(PrometheusWriter &writer) const;

    int queuedJobs() const { return int(m_queuedJobs.size()); }

private:
    struct PerUse // one model and one client
    {
        std::array<quint64, ErrorBucketCount> retries {};
        qint64 promptTokens = 0;
        qint64 completionTokens = 0;
        qint64 reasoningTokens = 0;
        qint64 cachedTokens = 0;
        double costUsd = 0.0;
    };
    using UseKey = std::pair<QString, QString>; // folded model, folded client ("" for none)
    struct PerModel
    {
        qint64 requestsRemaining = -1;
        qint64 requestLimit = -1;
        qint64 tokensRemaining = -1;
        qint64 tokenLimit = -1;
        std::array<int, PriorityCount> queued {};
    };
    struct QueuedJob
    {
        QString model; // folded
        int priority = 0;
    };
    static constexpr int kMaxTrackedJobs = 1'000'000;

    PerModel &perModel(const QString &model);
    PerUse &perUse(const Event &event);
    void leaveQueue(quint64 jobId);
    void renderUse(PrometheusWriter &writer) const;
    void renderQuota(PrometheusWriter &writer) const;

    ModelLabels &m_models;
    ModelLabels &m_clients;
    QMap<QString, PerModel> m_perModel;
    QMap<UseKey, PerUse> m_perUse;
    QHash<quint64, QueuedJob> m_queuedJobs; // jobs between Queued and their next attempt or end
    QString m_serverAddress;
    BreakerState m_breaker = BreakerState::Closed;
};

} // namespace gp
