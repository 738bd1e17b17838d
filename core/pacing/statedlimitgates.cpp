#include "core/pacing/statedlimitgates.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gp {

namespace {
constexpr qint64 BurstWindowMs = 1000; // the burst first allowed: about one second's worth...
constexpr double MinRequestBurst = 1.5; // ...but at least this many requests (timer lateness is not lost)
constexpr double MinBurstShare = 1e-6;

double windowRate(qint64 limit, qint64 windowMs)
{
    return double(limit) * 1000.0 / double(windowMs);
}
} // namespace

double StatedLimitGates::capacityOf(const Gate &gate)
{
    const double capacity = double(gate.limit) * gate.burstShare;
    if (gate.unit == StatedLimit::Unit::Requests)
        return std::min(double(gate.limit),
                        std::max(std::min(MinRequestBurst, double(gate.limit)), capacity));
    return std::max(1.0, capacity);
}

bool StatedLimitGates::apply(const QList<StatedLimit> &limits, qint64 nowMs)
{
    bool changed = false;
    for (const StatedLimit &stated : limits) {
        auto it = std::find_if(m_gates.begin(), m_gates.end(), [&stated](const Gate &g) {
            return g.unit == stated.unit && g.windowMs == stated.windowMs;
        });
        const bool binding = stated.actual < 0 || stated.actual >= stated.limit;
        if (it == m_gates.end()) {
            Gate gate;
            gate.unit = stated.unit;
            gate.windowMs = stated.windowMs;
            gate.limit = stated.limit;
            gate.burstShare = std::min(1.0, double(BurstWindowMs) / double(stated.windowMs));
            it = m_gates.insert(m_gates.end(), gate);
            changed = true;
        } else if (it->limit != stated.limit) {
            it->limit = stated.limit;
            changed = true;
        } else if (binding) {
            // Refused again under the limit we already pace by: the server's burst is smaller.
            it->burstShare = std::max(MinBurstShare, it->burstShare / 2.0);
        }
        const double capacity = capacityOf(*it);
        const double level = it->bucket.isLimited() ? it->bucket.level(nowMs) : capacity;
        it->bucket.configure(windowRate(it->limit, it->windowMs), capacity, nowMs);
        // What the server counted in this window is what is left of our bucket.
        const double room = stated.actual < 0
            ? 0.0
            : capacity * double(std::max<qint64>(0, stated.limit - stated.actual)) / double(stated.limit);
        it->bucket.setLevel(nowMs, std::min(level, room));
    }
    return changed;
}

void StatedLimitGates::noteRefused(qint64 nowMs)
{
    for (Gate &gate : m_gates) {
        gate.burstShare = std::max(MinBurstShare, gate.burstShare / 2.0);
        gate.bucket.configure(gate.bucket.ratePerSecond(), capacityOf(gate), nowMs);
        gate.bucket.setLevel(nowMs, std::min(0.0, gate.bucket.level(nowMs)));
    }
}

bool StatedLimitGates::limitsRequests() const
{
    return std::any_of(m_gates.cbegin(), m_gates.cend(),
                       [](const Gate &g) { return g.unit == StatedLimit::Unit::Requests; });
}

qint64 StatedLimitGates::waitMs(qint64 nowMs, qint64 tokens, QString *reason) const
{
    qint64 worst = 0;
    for (const Gate &gate : m_gates) {
        const bool isTokens = gate.unit == StatedLimit::Unit::Tokens;
        // A request larger than the bucket waits for a full one and leaves it in debt.
        const double amount
            = isTokens ? std::min(double(std::max<qint64>(0, tokens)), gate.bucket.capacity()) : 1.0;
        const qint64 wait = gate.bucket.msUntil(nowMs, amount);
        if (wait < 0 || wait > worst) {
            worst = wait < 0 ? std::numeric_limits<qint64>::max() : wait;
            if (reason)
                *reason = isTokens ? QStringLiteral("stated-tpm") : QStringLiteral("stated-rps");
        }
    }
    return worst;
}

void StatedLimitGates::recordAdmission(qint64 nowMs, qint64 tokens)
{
    for (Gate &gate : m_gates)
        gate.bucket.take(nowMs,
                         gate.unit == StatedLimit::Unit::Tokens ? double(std::max<qint64>(0, tokens)) : 1.0);
}

void StatedLimitGates::refundAdmission(qint64 nowMs, qint64 tokens)
{
    for (Gate &gate : m_gates)
        gate.bucket.give(nowMs,
                         gate.unit == StatedLimit::Unit::Tokens ? double(std::max<qint64>(0, tokens)) : 1.0);
}

void StatedLimitGates::settleTokens(qint64 nowMs, qint64 delta)
{
    for (Gate &gate : m_gates) {
        if (gate.unit != StatedLimit::Unit::Tokens)
            continue;
        if (delta > 0)
            gate.bucket.take(nowMs, double(delta));
        else
            gate.bucket.give(nowMs, double(-delta));
    }
}

std::optional<double> StatedLimitGates::requestsPerSecond() const
{
    std::optional<double> rate;
    for (const Gate &g : m_gates) {
        if (g.unit == StatedLimit::Unit::Requests)
            rate = std::min(rate.value_or(std::numeric_limits<double>::max()),
                            windowRate(g.limit, g.windowMs));
    }
    return rate;
}

std::optional<double> StatedLimitGates::tokensPerMinute() const
{
    std::optional<double> rate;
    for (const Gate &g : m_gates) {
        if (g.unit == StatedLimit::Unit::Tokens)
            rate = std::min(rate.value_or(std::numeric_limits<double>::max()),
                            windowRate(g.limit, g.windowMs) * 60.0);
    }
    return rate;
}

std::optional<qint64> StatedLimitGates::tokenLimit() const
{
    std::optional<qint64> limit;
    for (const Gate &g : m_gates) {
        if (g.unit == StatedLimit::Unit::Tokens)
            limit = std::min(limit.value_or(std::numeric_limits<qint64>::max()), g.limit);
    }
    return limit;
}

} // namespace gp
