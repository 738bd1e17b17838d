#pragma once

#include "core/sim/scenario.h"

#include <QHash>
#include <QString>

namespace gp::sim {

// What the limiter knows about one dimension after a decision; headers render this.
struct LimitState
{
    bool limited = false; // false: unlimited, no headers for this dimension
    qint64 limit = 0; // per window (requests) or per minute (tokens)
    qint64 windowMs = 0;
    qint64 remaining = 0; // admissible right now (requests: whole requests)
    qint64 resetMs = 0; // until the bucket is full again
};

struct Admission
{
    enum class Outcome { Admitted, RequestsExhausted, TokensExhausted, TokensExceedLimit };
    Outcome outcome = Outcome::Admitted;
    qint64 retryAfterMs = 0; // when denied: until this request would be admitted
    qint64 reservedTokens = 0;
    LimitState requests;
    LimitState tokens;
};

// Per-model request GCRA (rate = requests/window, bucket = burst) and a tokens-per-minute
// bucket: tokens are reserved at admission and settled to actual usage later.
// Time is passed in (milliseconds on any monotonic clock) so it is exact in tests.
class RateLimiter final
{
public:
    Admission admit(const QString &model, const ModelLimits &limits, qint64 reserveTokens, qint64 nowMs);
    void settle(const QString &model, const ModelLimits &limits, qint64 reserved, qint64 actual,
                qint64 nowMs);
    // The state without admitting anything (for a scripted rate_limit 429).
    Admission peek(const QString &model, const ModelLimits &limits, qint64 nowMs);
    void reset() { m_models.clear(); }

private:
    struct Buckets
    {
        double requestTat = 0; // GCRA theoretical arrival time, ms
        double tokenLevel = 0; // tokens in use, drains at tpm/60000 per ms
        double tokenUpdated = 0; // ms of the last drain
    };

    void drainTokens(Buckets &b, const ModelLimits &limits, double now) const;
    LimitState requestState(const Buckets &b, const ModelLimits &limits, double now) const;
    LimitState tokenState(const Buckets &b, const ModelLimits &limits) const;

    QHash<QString, Buckets> m_models;
};

} // namespace gp::sim
