#include "core/pacing/statedlimitgates.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gp {

namespace {
constexpr qint64 BurstWindowMs = 1000; // the burst first allowed: about one second's worth...
constexpr double MinRequestBurst = 1.5; // ...but at least this many requests (timer lateness is not lost)
constexpr double MinBurstShare = 1e-6;
// A hair under the stated rate: the server's bucket refills a little between our sends, so
// a send that timer jitter makes early still fits.
constexpr double StatedRateMargin = 0.99;

double windowRate(qint64 limit, qint64 windowMs)
{
    return double(limit) * 1000.0 / double(windowMs);
}

double paceRate(qint64 limit, qint64 windowMs)
{
    return windowRate(limit, windowMs) * StatedRateMargin;
}
} // namespace

double StatedLimitGates::capacityOf(const Gate &gate)
{
    const double capacity = double(gate.limit) * gate.burstShare;
    if (gate.unit == StatedLimit::Unit::Requests)
        return std::min(double(gate.limit),
                        std::max(std::min(MinRequestBurst, double(gate.limit)), capacity));
    return std::max({ 1.0, capacity, std::min(gate.maxRequest, double(gate.limit)) });
}

StatedLimitGates::Gate StatedLimitGates::gateFor(const StatedLimit &stated)
{
    Gate gate;
    gate.unit = stated.unit;
    gate.windowMs = stated.windowMs;
    gate.limit = stated.limit;
    gate.burstShare = std::min(1.0, double(BurstWindowMs) / double(stated.windowMs));
    return gate;
}

bool StatedLimitGates::apply(const QList<StatedLimit> &limits, qint64 nowMs)
{
    bool changed = false;
    // Stated now: the server's word in this run overrides the memory's, and its first 429 is the
    // first the gates hear (a refusal of this run, not one more under a limit already paced by).
    const bool firstOfRun = isRemembered();
    m_rememberedUntilMs.reset();
    for (const StatedLimit &stated : limits) {
        auto it = std::find_if(m_gates.begin(), m_gates.end(), [&stated](const Gate &g) {
            return g.unit == stated.unit && g.windowMs == stated.windowMs;
        });
        const bool binding = stated.actual < 0 || stated.actual >= stated.limit;
        if (it == m_gates.end()) {
            it = m_gates.insert(m_gates.end(), gateFor(stated));
            changed = true;
        } else if (it->limit != stated.limit) {
            it->limit = stated.limit;
            changed = true;
        } else if (binding && !firstOfRun) {
            // Refused again under the limit we already pace by: the server's burst is smaller.
            it->burstShare = std::max(MinBurstShare, it->burstShare / 2.0);
        }
        it->firstWindowEndsMs = 0;
        const double capacity = capacityOf(*it);
        const double level = it->bucket.isLimited() ? it->bucket.level(nowMs) : capacity;
        it->bucket.configure(paceRate(it->limit, it->windowMs), capacity, nowMs);
        // What the server counted in this window is what is left of our bucket.
        const double room = stated.actual < 0
            ? 0.0
            : capacity * double(std::max<qint64>(0, stated.limit - stated.actual)) / double(stated.limit);
        it->bucket.setLevel(nowMs, std::min(level, room));
    }
    return changed;
}

void StatedLimitGates::remember(const QList<StatedLimit> &limits, qint64 nowMs, qint64 statedAtMs,
                                qint64 expiresAtMs)
{
    m_gates.clear();
    for (const StatedLimit &stated : limits) {
        Gate gate = gateFor(stated);
        // Nothing is known of the server's window: taken as unused, up to the whole limit in the
        // first window, at the pace the model's probe allows (see the Scheduler); then the rule's burst.
        gate.firstWindowEndsMs = nowMs + stated.windowMs;
        gate.bucket.configure(paceRate(gate.limit, gate.windowMs), double(gate.limit), nowMs);
        gate.bucket.setLevel(nowMs, double(gate.limit));
        m_gates.push_back(gate);
    }
    m_statedAtMs = statedAtMs;
    m_rememberedUntilMs = expiresAtMs;
}

void StatedLimitGates::endFirstWindow(Gate &gate, qint64 nowMs)
{
    if (gate.firstWindowEndsMs == 0)
        return;
    if (nowMs < gate.firstWindowEndsMs && gate.bucket.level(nowMs) > capacityOf(gate))
        return;
    gate.firstWindowEndsMs = 0;
    gate.bucket.configure(gate.bucket.ratePerSecond(), capacityOf(gate), nowMs);
}

void StatedLimitGates::noteRefused(qint64 nowMs)
{
    for (Gate &gate : m_gates) {
        gate.firstWindowEndsMs = 0;
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

qint64 StatedLimitGates::waitMs(qint64 nowMs, qint64 tokens, QString *reason)
{
    qint64 worst = 0;
    for (Gate &gate : m_gates) {
        endFirstWindow(gate, nowMs);
        const bool isTokens = gate.unit == StatedLimit::Unit::Tokens;
        const double amount = isTokens ? double(std::max<qint64>(0, tokens)) : 1.0;
        if (isTokens && amount > gate.bucket.capacity()) {
            // The burst is at least the largest request (within the limit), or it never fits.
            gate.maxRequest = std::max(gate.maxRequest, amount);
            gate.bucket.configure(gate.bucket.ratePerSecond(), capacityOf(gate), nowMs);
        }
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
