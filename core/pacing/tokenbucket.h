#pragma once

#include <QtGlobal>

namespace gp {

// A token bucket (equivalent to GCRA with tolerance = capacity / rate): `capacity`
// units, refilled continuously at `ratePerSecond`. Pure: every call takes the steady
// clock in ms. The level may go negative when a settlement charges more than was
// reserved; admission then waits until the debt is repaid. Default-constructed = unlimited.
class TokenBucket final
{
public:
    TokenBucket() = default;
    TokenBucket(double ratePerSecond, double capacity, qint64 nowMs);

    bool isLimited() const { return m_limited; }
    double ratePerSecond() const { return m_ratePerMs * 1000.0; }
    double capacity() const { return m_capacity; }

    // Changes rate and capacity, keeping the current level (clamped to the new capacity).
    void configure(double ratePerSecond, double capacity, qint64 nowMs);
    void setUnlimited() { m_limited = false; }

    double level(qint64 nowMs) const;
    // 0 when `amount` can be taken now while `keep` units stay behind; otherwise the
    // ms until then; -1 when it never can (no refill and not enough, or over capacity).
    qint64 msUntil(qint64 nowMs, double amount, double keep = 0.0) const;
    void take(qint64 nowMs, double amount);
    void give(qint64 nowMs, double amount);
    void setLevel(qint64 nowMs, double level);

private:
    void advance(qint64 nowMs);

    bool m_limited = false;
    double m_ratePerMs = 0.0;
    double m_capacity = 0.0;
    double m_level = 0.0;
    qint64 m_lastMs = 0;
};

} // namespace gp
