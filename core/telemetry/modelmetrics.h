#pragma once

#include "core/events/event.h"
#include "core/events/pacingstate.h"
#include "core/policy/breakerstate.h"
#include "core/telemetry/metricfield.h"

#include <QHash>
#include <QMap>

#include <array>
#include <optional>

namespace gp {

class ModelLabels;
class PrometheusWriter;

// GrokPulse's own families for what the GenAI conventions have no name for, by model: quota
// limit and remaining (requests, tokens), retries by reason, queue depth by priority, tokens by
// kind and cost; plus the pacer's learned limit and the breaker (which guards the host, so it
// is labelled by server_address). Models fold into "other" past ModelLabels' cap.
class ModelMetrics final
{
public:
    explicit ModelMetrics(ModelLabels &models);

    void setServerAddress(const QString &address) { m_serverAddress = address; }
    void record(const Event &event);
    void recordPacing(const PacingState &state);
    void render(PrometheusWriter &writer) const;

    int queuedJobs() const { return int(m_queuedJobs.size()); }

private:
    struct PerModel
    {
        std::array<quint64, ErrorBucketCount> retries {};
        qint64 promptTokens = 0;
        qint64 completionTokens = 0;
        qint64 reasoningTokens = 0;
        qint64 cachedTokens = 0;
        double costUsd = 0.0;
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
    void leaveQueue(quint64 jobId);

    ModelLabels &m_models;
    QMap<QString, PerModel> m_perModel;
    QHash<quint64, QueuedJob> m_queuedJobs; // jobs between Queued and their next attempt or end
    QString m_serverAddress;
    BreakerState m_breaker = BreakerState::Closed;
    std::optional<double> m_learnedRps;
};

} // namespace gp
