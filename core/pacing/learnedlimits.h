#pragma once

#include "core/pacing/adaptivelimiter.h"
#include "core/pacing/tokenbucket.h"

#include <QHash>
#include <QString>

namespace gp {

// The request rates learned from 429s, one AdaptiveLimiter per model: xAI limits each model
// of a team on its own, so a loss for one model must not slow another. Each model's learned
// rate gates its admissions through a small bucket (even spacing). A model first seen after
// the server has shown it sends no quota headers starts its own slow start at once. Pure:
// time is passed in (steady ms). PacingGates owns one.
class LearnedLimits final
{
public:
    explicit LearnedLimits(const AdaptiveLimiter::Params &params);

    void restart(); // buckets afresh (the clock changed)
    // 0 when the model's learned limit lets one more request go now, else the wait and why.
    qint64 waitMs(const QString &model, qint64 nowMs, QString *reason);
    void recordAdmission(const QString &model, qint64 nowMs);
    void refundAdmission(const QString &model, qint64 nowMs, qint64 admittedMs);
    // A loss for `model`; true when its learned limit moved.
    bool recordRateLimited(const QString &model, qint64 nowMs, qint64 admittedMs, qint64 hintMs);
    void recordSuccess(const QString &model, qint64 nowMs, qint64 roundTripMs = -1);
    // A response without quota headers: learning starts for this model (and for models seen later).
    void start(const QString &model, qint64 nowMs);

    // The limiter of the model whose limit moved last (an empty one when none did).
    const AdaptiveLimiter &lastMoved() const;
    QString lastMovedModel() const { return m_lastMoved; }
    const AdaptiveLimiter *find(const QString &model) const;
    // The model's start window (before its first loss), nullopt when none applies.
    std::optional<int> startWindow(const QString &model) const;
    std::optional<qint64> startWindowHorizonMs(const QString &model) const;

private:
    struct Learned
    {
        AdaptiveLimiter limiter;
        TokenBucket bucket;
    };

    // The model's entry; a new one only once learning started, or when `create`.
    Learned *entry(const QString &model, qint64 nowMs, bool create = false);

    AdaptiveLimiter::Params m_params;
    QHash<QString, Learned> m_models;
    QString m_lastMoved;
    bool m_started = false; // some response showed there are no quota headers
    AdaptiveLimiter m_none;
};

} // namespace gp
