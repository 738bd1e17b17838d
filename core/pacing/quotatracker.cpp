#include "core/pacing/quotatracker.h"

#include <algorithm>
#include <cmath>

namespace gp {

namespace {
constexpr size_t MaxRateSamples = 20;
constexpr size_t MaxAdmissionsKept = 4096;
// Requests left in the server's bucket: when the server stamped its numbers is known only to
// within the sends' own delays, and a bucket paced to empty turns every late estimate into a 429.
constexpr double RequestCushion = 1.0;
} // namespace

std::optional<double> QuotaTracker::impliedRatePerSecond(const QuotaWindow &w)
{
    if (w.windowMs && *w.windowMs > 0 && w.limit && *w.limit > 0)
        return double(*w.limit) * 1000.0 / double(*w.windowMs);
    if (!w.remaining || !w.resetInMs || *w.resetInMs <= 0)
        return std::nullopt;
    // A bucket that is full at reset refills (limit - remaining) over the time to reset.
    if (w.limit && *w.remaining < *w.limit)
        return double(*w.limit - std::max<qint64>(0, *w.remaining)) * 1000.0 / double(*w.resetInMs);
    if (!w.limit && *w.remaining > 0)
        return double(*w.remaining) * 1000.0 / double(*w.resetInMs);
    return std::nullopt;
}

// The server's bucket as it is now: what it had left when it stamped the numbers, refilled
// since, less what was admitted after the stamp (each at its own time, so a bucket that sat
// full loses the refill it could not hold).
double QuotaTracker::levelNow(const Dimension &d, double remaining, qint64 nowMs, const Replay &replay,
                              double unit)
{
    const qint64 stamped = std::min(replay.stampedMs, nowMs);
    if (stamped >= nowMs || d.ratePerSecond <= 0.0 || !replay.log)
        return remaining - replay.unseen;
    TokenBucket server(d.ratePerSecond, d.mirror.capacity(), stamped);
    server.setLevel(stamped, remaining);
    double replayedUnits = 0.0;
    const size_t count = std::min(replay.replayed, replay.log->size());
    for (auto it = replay.log->cend() - qint64(count); it != replay.log->cend(); ++it) {
        const double amount = unit == 1.0 ? 1.0 : it->tokens;
        server.take(std::max(stamped, it->atMs), amount);
        replayedUnits += amount;
    }
    // Units the log no longer holds were taken at an unknown time: take them now.
    return server.level(nowMs) - std::max(0.0, replay.unseen - replayedUnits);
}

void QuotaTracker::updateDimension(Dimension &d, const QuotaWindow &w, qint64 nowMs, const Replay &replay,
                                   double unit)
{
    if (!w.isKnown())
        return;
    d.known = true;
    if (w.limit && *w.limit > 0)
        d.limit = w.limit;
    if (w.remaining)
        d.maxRemainingSeen = std::max(d.maxRemainingSeen, double(*w.remaining));
    // The burst never exceeds what the server has ever shown as remaining plus one unit
    // (a server may report a per-window limit larger than its bucket).
    double capacity = d.limit ? double(*d.limit) : d.maxRemainingSeen + unit;
    if (unit == 1.0 && d.maxRemainingSeen + 1.0 < capacity)
        capacity = d.maxRemainingSeen + 1.0;
    QuotaWindow bucket = w;
    if (bucket.limit && !bucket.windowMs)
        bucket.limit = qint64(capacity);
    // Samples taken with a smaller capacity underestimate the rate: start afresh.
    if (capacity > d.sampledCapacity) {
        d.rateSamples.clear();
        d.sampledCapacity = capacity;
    }
    if (const auto rate = impliedRatePerSecond(bucket)) {
        d.rateSamples.push_back(*rate);
        if (d.rateSamples.size() > MaxRateSamples)
            d.rateSamples.pop_front();
        // Remaining is rounded down, so each sample bounds the rate from above: the
        // smallest recent one is the tightest (a median ran ~10% high against the simulator).
        d.ratePerSecond = *std::min_element(d.rateSamples.begin(), d.rateSamples.end());
    }
    d.mirror.configure(d.ratePerSecond, capacity, nowMs);
    if (w.remaining)
        d.mirror.setLevel(nowMs, levelNow(d, double(*w.remaining), nowMs, replay, unit));
    // A relative reset counts from the stamp, not from when the answer arrived.
    const qint64 stamped = std::min(replay.stampedMs, nowMs);
    d.resetAtMs = w.resetInMs ? stamped + std::max<qint64>(0, *w.resetInMs) : d.resetAtMs;
    d.paceRatePerSecond = (w.remaining && w.resetInMs && *w.resetInMs > 0)
        ? double(std::max<qint64>(0, *w.remaining)) * 1000.0 / double(*w.resetInMs)
        : 0.0;
}

void QuotaTracker::noteRequestsRemainingSeen(double remaining)
{
    if (m_requests.known)
        m_requests.maxRemainingSeen = std::max(m_requests.maxRemainingSeen, remaining);
}

void QuotaTracker::update(const QuotaSnapshot &snapshot, qint64 nowMs, double unseenRequests,
                          double unseenTokens, qint64 stampedMs)
{
    Replay replay;
    replay.stampedMs = stampedMs < 0 ? nowMs : stampedMs;
    replay.log = &m_admitted;
    replay.replayed = size_t(std::max(0.0, std::round(unseenRequests)));
    replay.unseen = unseenRequests;
    updateDimension(m_requests, snapshot.requests, nowMs, replay, 1.0);
    replay.unseen = unseenTokens;
    updateDimension(m_tokens, snapshot.tokens, nowMs, replay, 0.0);
}

namespace {
// With no known refill rate the window restores the full quota at its reset.
bool resetDue(double ratePerSecond, qint64 resetAtMs, qint64 nowMs)
{
    return ratePerSecond <= 0.0 && resetAtMs > 0 && nowMs >= resetAtMs;
}
} // namespace

void QuotaTracker::recordAdmission(qint64 nowMs, double tokens)
{
    m_admitted.push_back(Admitted { nowMs, tokens });
    if (m_admitted.size() > MaxAdmissionsKept)
        m_admitted.pop_front();
    if (m_requests.known) {
        if (resetDue(m_requests.ratePerSecond, m_requests.resetAtMs, nowMs))
            m_requests.mirror.setLevel(nowMs, m_requests.mirror.capacity());
        m_requests.mirror.take(nowMs, 1.0);
        const double pace = std::max(m_requests.ratePerSecond, m_requests.paceRatePerSecond);
        if (pace > 0.0) {
            const double gap = 1000.0 / pace;
            m_requests.spacingTat = std::max(m_requests.spacingTat, double(nowMs)) + gap;
        }
    }
    if (m_tokens.known) {
        if (resetDue(m_tokens.ratePerSecond, m_tokens.resetAtMs, nowMs))
            m_tokens.mirror.setLevel(nowMs, m_tokens.mirror.capacity());
        m_tokens.mirror.take(nowMs, tokens);
    }
}

void QuotaTracker::refundAdmission(qint64 nowMs, double tokens)
{
    if (m_requests.known)
        m_requests.mirror.give(nowMs, 1.0);
    if (m_tokens.known)
        m_tokens.mirror.give(nowMs, tokens);
}

void QuotaTracker::settleTokens(qint64 nowMs, double delta)
{
    if (!m_tokens.known)
        return;
    if (delta > 0)
        m_tokens.mirror.take(nowMs, delta);
    else
        m_tokens.mirror.give(nowMs, -delta);
}

qint64 QuotaTracker::msUntil(const Dimension &d, qint64 nowMs, double amount, double reserveShare,
                             bool spaced)
{
    if (!d.known || resetDue(d.ratePerSecond, d.resetAtMs, nowMs))
        return 0;
    const double keep
        = reserveShare * d.mirror.capacity() + (spaced && d.ratePerSecond > 0.0 ? RequestCushion : 0.0);
    qint64 wait = d.mirror.msUntil(nowMs, amount, keep);
    if (wait < 0 || (wait > 0 && d.ratePerSecond <= 0.0))
        wait = std::max<qint64>(1, d.resetAtMs - nowMs); // nothing refills before the reset
    if (spaced && d.spacingTat > 0.0) {
        // GCRA spacing with half a gap of tolerance: timer lateness is not lost.
        const double pace = std::max(d.ratePerSecond, d.paceRatePerSecond);
        const double tolerance = pace > 0.0 ? 500.0 / pace : 0.0;
        const double earliest = d.spacingTat - tolerance;
        if (pace > 0.0 && earliest > double(nowMs))
            wait = std::max(wait, qint64(std::ceil(earliest - double(nowMs))));
    }
    return wait;
}

qint64 QuotaTracker::msUntilAdmissible(qint64 nowMs, double tokens, double reserveShare,
                                       QString *reason) const
{
    const qint64 requestWait = msUntil(m_requests, nowMs, 1.0, reserveShare, true);
    const qint64 tokenWait = msUntil(m_tokens, nowMs, tokens, reserveShare, false);
    if (reason && (requestWait > 0 || tokenWait > 0))
        *reason = tokenWait > requestWait ? QStringLiteral("quota-tokens") : QStringLiteral("quota-requests");
    return std::max(requestWait, tokenWait);
}

std::optional<qint64> QuotaTracker::requestsRemaining(qint64 nowMs) const
{
    if (!m_requests.known)
        return std::nullopt;
    return qint64(std::floor(std::max(0.0, m_requests.mirror.level(nowMs))));
}

std::optional<qint64> QuotaTracker::tokensRemaining(qint64 nowMs) const
{
    if (!m_tokens.known)
        return std::nullopt;
    return qint64(std::floor(std::max(0.0, m_tokens.mirror.level(nowMs))));
}

std::optional<qint64> QuotaTracker::nextResetMs(qint64 nowMs) const
{
    std::optional<qint64> next;
    for (const Dimension *d : { &m_requests, &m_tokens }) {
        if (d->known && d->resetAtMs > nowMs)
            next = next ? std::min(*next, d->resetAtMs) : d->resetAtMs;
    }
    return next;
}

} // namespace gp
