#pragma once

#include "core/pacing/tokenbucket.h"
#include "core/wire/quotasnapshot.h"

#include <QString>
#include <QtGlobal>

#include <deque>
#include <optional>

namespace gp {

// Mirrors the server-reported quota (requests and tokens) as two buckets that are
// resynchronised by every response's QuotaSnapshot and drained by every admission.
// The refill rate follows from what the server says: limit/window when it names a
// window, (limit - remaining)/reset for a bucket that is full at reset, and
// remaining/reset as a last resort. Pure: time is passed in (steady ms).
class QuotaTracker final
{
public:
    // One response's headers. `unseenRequests` / `unseenTokens`: what was admitted after
    // the responding attempt and may not be counted by the server yet. `stampedMs`: when the
    // server counted them (the responding attempt's admission; -1 = now): a server stamps its
    // numbers when the request arrives, and its buckets refill while the answer is generated.
    void update(const QuotaSnapshot &snapshot, qint64 nowMs, double unseenRequests, double unseenTokens,
                qint64 stampedMs = -1);
    void recordAdmission(qint64 nowMs, double tokens);
    // An admission that never reached the server gives its units back.
    void refundAdmission(qint64 nowMs, double tokens);
    // Token usage known after the fact: positive charges, negative refunds.
    void settleTokens(qint64 nowMs, double delta);

    // 0 when one request of `tokens` may go now; `reserveShare` of the quota is kept back.
    qint64 msUntilAdmissible(qint64 nowMs, double tokens, double reserveShare, QString *reason) const;

    bool knowsRequests() const { return m_requests.known; }
    bool knowsTokens() const { return m_tokens.known; }
    std::optional<qint64> requestsRemaining(qint64 nowMs) const;
    std::optional<qint64> tokensRemaining(qint64 nowMs) const;
    std::optional<qint64> requestLimit() const { return m_requests.limit; }
    std::optional<qint64> tokenLimit() const { return m_tokens.limit; }
    std::optional<qint64> nextResetMs(qint64 nowMs) const;
    double requestRatePerSecond() const { return m_requests.ratePerSecond; }
    double tokenRatePerSecond() const { return m_tokens.ratePerSecond; }
    // The most requests the server has shown as remaining: a lower bound of its burst, less
    // the one request that response counted (0 when never seen).
    double requestsRemainingSeen() const { return m_requests.maxRemainingSeen; }
    int requestRateSamples() const { return int(m_requests.rateSamples.size()); }
    // What another instance saw remaining of the same quota (shared pacing): a better burst.
    void noteRequestsRemainingSeen(double remaining);

    // Refill rate implied by one window of a snapshot, when it implies one.
    static std::optional<double> impliedRatePerSecond(const QuotaWindow &window);

private:
    struct Dimension
    {
        bool known = false;
        std::optional<qint64> limit;
        double ratePerSecond = 0.0;
        double maxRemainingSeen = 0.0;
        double sampledCapacity = 0.0; // the capacity the rate samples were taken with
        std::deque<double> rateSamples; // recent implied rates (upper bounds); the least is used
        TokenBucket mirror;
        qint64 resetAtMs = 0;
        double spacingTat = 0.0; // GCRA theoretical arrival time of the next request
        double paceRatePerSecond = 0.0; // remaining spread over the time to reset
    };

    struct Admitted
    {
        qint64 atMs = 0;
        double tokens = 0.0;
    };
    struct Replay
    {
        qint64 stampedMs = 0;
        double unseen = 0.0; // units admitted after the stamp
        const std::deque<Admitted> *log = nullptr; // the last unseen requests are replayed from it
        size_t replayed = 0;
    };

    static void updateDimension(Dimension &d, const QuotaWindow &w, qint64 nowMs, const Replay &replay,
                                double unit);
    static double levelNow(const Dimension &d, double remaining, qint64 nowMs, const Replay &replay,
                           double unit);
    static qint64 msUntil(const Dimension &d, qint64 nowMs, double amount, double reserveShare, bool spaced);

    Dimension m_requests;
    Dimension m_tokens;
    std::deque<Admitted> m_admitted; // the most recent admissions, oldest first (bounded)
};

} // namespace gp
