#pragma once

#include "core/events/pacingstate.h"

#include <QMap>
#include <QString>

#include <optional>
#include <utility>

namespace gp {

class ModelLabels;
class PrometheusWriter;

// The limits the pacer paces by, by model and where they came from:
// grokpulse_limit_requests_per_second, grokpulse_limit_tokens_per_minute and
// grokpulse_limit_active (1 for the limit admission follows now). Limits that hold for every
// model (configured, quota headers, learned) are model="all"; a limit a 429 body stated is kept
// per model, since the pacer keeps pacing that model by it. Models fold into "other" past the cap.
class LimitMetrics final
{
public:
    explicit LimitMetrics(ModelLabels &models);

    void record(const PacingState &state);
    void render(PrometheusWriter &writer) const;

    // Label values: "configured", "headers", "stated_by_server", "learned"; empty for None.
    static QString sourceLabel(LimitSource source);

private:
    struct Limit
    {
        std::optional<double> requestsPerSecond;
        std::optional<double> tokensPerMinute;
    };
    using Key = std::pair<QString, LimitSource>; // folded model ("all" for every model), source

    ModelLabels &m_models;
    QMap<Key, Limit> m_limits;
    std::optional<Key> m_active;
};

} // namespace gp
