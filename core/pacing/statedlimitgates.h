#pragma once

#include "core/pacing/tokenbucket.h"
#include "core/wire/statedlimit.h"

#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace gp {

// The limits a server stated for one model in its 429 bodies, paced as if they had been
// configured: one bucket per (unit, window) refilled at limit/window. The burst is
// conservative (a small fraction of the window's limit) because a body states the rate, not
// the bucket size, and it halves each time the server refuses again under the same limit.
// Pure: time is passed in (steady ms). The Scheduler holds one per model that stated any.
class StatedLimitGates final
{
public:
    // The limits one 429 stated. The window the 429 counted is taken as full: admission
    // resumes at the stated rate from an empty bucket. True when a limit is new or changed.
    bool apply(const QList<StatedLimit> &limits, qint64 nowMs);

    // Refused again with no numbers while paced by these limits: the server's burst is smaller
    // than assumed, and its window is full.
    void noteRefused(qint64 nowMs);

    bool isEmpty() const { return m_gates.empty(); }
    bool limitsRequests() const;
    // 0 when a request of `tokens` may go now, else the wait, and which limit it waits for.
    qint64 waitMs(qint64 nowMs, qint64 tokens, QString *reason) const;
    void recordAdmission(qint64 nowMs, qint64 tokens);
    void refundAdmission(qint64 nowMs, qint64 tokens);
    void settleTokens(qint64 nowMs, qint64 delta); // positive charges, negative refunds

    // The tightest rates stated: requests per second (any window, as a rate) and tokens per minute.
    std::optional<double> requestsPerSecond() const;
    std::optional<double> tokensPerMinute() const;
    // The least token limit of any window: no single request above it can ever pass.
    std::optional<qint64> tokenLimit() const;

private:
    struct Gate
    {
        StatedLimit::Unit unit = StatedLimit::Unit::Requests;
        qint64 windowMs = 0;
        qint64 limit = 0;
        double burstShare = 0.0; // capacity as a share of the limit
        TokenBucket bucket;
    };

    static double capacityOf(const Gate &gate);

    std::vector<Gate> m_gates;
};

} // namespace gp
