#pragma once

#include "core/pacing/adaptivelimiter.h"
#include "core/pacing/learnedlimits.h"
#include "core/pacing/pacer.h"
#include "core/pacing/pacingconfig.h"
#include "core/pacing/quotatracker.h"
#include "core/pacing/tokenbucket.h"

#include <QString>

#include <limits>
#include <optional>

namespace gp {

// The rate gates one admission must pass, apart from the queue and concurrency: the
// configured RPS/RPM/TPM buckets (scaled by the share this instance may use), the
// server-reported quota, the adaptive limit (one per model) and the pause after a 429. Pure:
// time is passed in (steady ms). The Scheduler owns one. `model` is the request's model.
class PacingGates final
{
public:
    static constexpr qint64 Never = std::numeric_limits<qint64>::max();

    PacingGates(const PacingConfig &config, qint64 nowMs);

    // Buckets afresh (the clock changed), and the share of the configured limits to use.
    void restart(qint64 nowMs);
    void applyShare(double share, qint64 nowMs);
    // New configured limits (rates, bursts, adaptive on/off) from now on; the buckets keep
    // what they hold, up to their new size.
    void setLimits(const PacingConfig &config, qint64 nowMs);
    // The most tokens one request may ever need; nullopt when tokens are not limited.
    std::optional<qint64> tokenCeiling() const;

    // 0 when a request of `tokens` may go now, else the wait (Never: no time will do) and why.
    // `reserve`: share of each limit to keep back; `adaptive`: the learned limit applies.
    qint64 waitMs(qint64 nowMs, qint64 tokens, double reserve, bool adaptive, QString *reason,
                  const QString &model = {});
    // The part of waitMs that holds `model` alone: its learned limit (and the pause after its 429).
    qint64 learnedWaitMs(qint64 nowMs, const QString &model, QString *reason);

    void recordAdmission(qint64 nowMs, qint64 tokens, const QString &model = {});
    // `admittedMs`: when the attempt that was never sent was admitted.
    void refundAdmission(qint64 nowMs, qint64 tokens, const QString &model = {}, qint64 admittedMs = -1);
    void settleTokens(qint64 nowMs, qint64 delta); // positive charges, negative refunds
    // `stampedMs`: when the server counted the snapshot's numbers (see QuotaTracker::update).
    void updateQuota(const QuotaSnapshot &snapshot, qint64 nowMs, double unseenRequests, double unseenTokens,
                     qint64 stampedMs = -1);
    void holdUntil(qint64 untilMs);
    void noteRequestsRemainingSeen(double remaining) { m_quota.noteRequestsRemainingSeen(remaining); }
    // A quota 429 of an attempt admitted at admittedMs; true when the learned limit moved.
    bool recordRateLimited(qint64 nowMs, qint64 admittedMs, qint64 hintMs, bool adaptive,
                           const QString &model = {});
    void recordSuccess(qint64 nowMs, const QString &model = {}, qint64 roundTripMs = -1);
    // A response arrived without request quota headers: the adaptive limit takes over.
    void recordResponse(qint64 nowMs, bool adaptive, const QString &model = {});

    // The most attempts `model` may have in flight while its unknown limit is probed (before its
    // first loss, no quota headers); nullopt when no such window applies.
    std::optional<int> startWindow(const QString &model) const;
    // Attempts of `model` admitted longer ago than this no longer count against its start window;
    // nullopt: all count.
    std::optional<qint64> startWindowHorizonMs(const QString &model) const;

    void fillState(PacingState *state, qint64 nowMs) const;
    const QuotaTracker &quota() const { return m_quota; }
    // The learned limit that moved last (of whichever model).
    const AdaptiveLimiter &adaptive() const { return m_learned.lastMoved(); }
    const LearnedLimits &learned() const { return m_learned; }
    double share() const { return m_share; }

private:
    void fillLimit(PacingState *state) const;

    PacingConfig m_config;
    TokenBucket m_rps;
    TokenBucket m_rpm;
    TokenBucket m_tpm;
    QuotaTracker m_quota;
    LearnedLimits m_learned;
    double m_share = 1.0;
    qint64 m_holdUntilMs = 0;
};

} // namespace gp
