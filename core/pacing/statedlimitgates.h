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

    // Limits remembered from an earlier run (stated at `statedAtMs`, steady ms, kept until
    // `expiresAtMs`), before any 429 of this one: the same gates, but the server's window is taken as
    // unused. A later apply() (a 429 of this run) overrides them and ends their being remembered.
    void remember(const QList<StatedLimit> &limits, qint64 nowMs, qint64 statedAtMs, qint64 expiresAtMs);
    bool isRemembered() const { return m_rememberedUntilMs.has_value(); }
    bool rememberedExpired(qint64 nowMs) const
    {
        return m_rememberedUntilMs && nowMs >= *m_rememberedUntilMs;
    }
    qint64 statedAtMs() const { return m_statedAtMs; } // steady ms; remembered gates only

    // Refused again with no numbers while paced by these limits: the server's burst is smaller
    // than assumed, and its window is full.
    void noteRefused(qint64 nowMs);

    bool isEmpty() const { return m_gates.empty(); }
    bool limitsRequests() const;
    // 0 when a request of `tokens` may go now, else the wait, and which limit it waits for.
    // A token burst smaller than the request grows to it (up to the limit).
    qint64 waitMs(qint64 nowMs, qint64 tokens, QString *reason);
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
        double maxRequest = 0.0; // tokens: the largest request admitted, the least burst that admits it
        TokenBucket bucket;
        qint64 firstWindowEndsMs = 0; // remembered: the whole limit may go until then
    };

    static Gate gateFor(const StatedLimit &stated); // the one rule for rate and burst
    static double capacityOf(const Gate &gate);
    void endFirstWindow(Gate &gate, qint64 nowMs);

    std::vector<Gate> m_gates;
    std::optional<qint64> m_rememberedUntilMs;
    qint64 m_statedAtMs = 0;
};

} // namespace gp
