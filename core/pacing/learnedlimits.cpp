#include "core/pacing/learnedlimits.h"

#include <limits>

namespace gp {

namespace {
constexpr double LearnedBurst = 1.5; // even spacing, with timer lateness not lost
} // namespace

LearnedLimits::LearnedLimits(const AdaptiveLimiter::Params &params)
    : m_params(params)
    , m_none(params)
{ }

void LearnedLimits::restart()
{
    for (Learned &learned : m_models)
        learned.bucket = TokenBucket();
}

LearnedLimits::Learned *LearnedLimits::entry(const QString &model, qint64 nowMs, bool create)
{
    auto it = m_models.find(model);
    if (it == m_models.end()) {
        if (!m_started && !create)
            return nullptr;
        it = m_models.insert(model, Learned { AdaptiveLimiter(m_params), TokenBucket() });
        if (m_started)
            it->limiter.start(nowMs);
    }
    return &*it;
}

qint64 LearnedLimits::waitMs(const QString &model, qint64 nowMs, QString *reason)
{
    Learned *learned = entry(model, nowMs);
    if (!learned)
        return 0;
    qint64 wait = 0;
    if (learned->limiter.holdUntilMs() > nowMs) {
        wait = learned->limiter.holdUntilMs() - nowMs;
        if (reason)
            *reason = QStringLiteral("hold-429");
    }
    if (learned->limiter.isLimiting()) {
        learned->bucket.configure(learned->limiter.rateRps(nowMs), LearnedBurst, nowMs);
        const qint64 bucketWait = learned->bucket.msUntil(nowMs, 1.0);
        if (bucketWait < 0 || bucketWait > wait) {
            wait = bucketWait < 0 ? std::numeric_limits<qint64>::max() : bucketWait;
            if (reason)
                *reason = QStringLiteral("learned-limit");
        }
    }
    return wait;
}

void LearnedLimits::recordAdmission(const QString &model, qint64 nowMs)
{
    // Counted even before learning starts: what got through at the first loss is measured from them.
    Learned *learned = entry(model, nowMs, true);
    learned->bucket.take(nowMs, 1.0);
    learned->limiter.recordAdmission(nowMs);
}

void LearnedLimits::refundAdmission(const QString &model, qint64 nowMs, qint64 admittedMs)
{
    if (Learned *learned = entry(model, nowMs)) {
        learned->bucket.give(nowMs, 1.0);
        learned->limiter.refundAdmission(admittedMs);
    }
}

bool LearnedLimits::recordRateLimited(const QString &model, qint64 nowMs, qint64 admittedMs, qint64 hintMs)
{
    start(model, nowMs);
    Learned *learned = entry(model, nowMs, true);
    const bool moved = learned->limiter.recordRateLimited(nowMs, admittedMs, hintMs);
    if (moved)
        m_lastMoved = model;
    return moved;
}

void LearnedLimits::recordSuccess(const QString &model, qint64 nowMs, qint64 roundTripMs)
{
    // Counted even before learning starts: the start window grows from them.
    entry(model, nowMs, true)->limiter.recordSuccess(nowMs, roundTripMs);
}

void LearnedLimits::start(const QString &model, qint64 nowMs)
{
    m_started = true;
    entry(model, nowMs, true)->limiter.start(nowMs);
}

const AdaptiveLimiter &LearnedLimits::lastMoved() const
{
    const AdaptiveLimiter *last = find(m_lastMoved);
    return last ? *last : m_none;
}

std::optional<int> LearnedLimits::startWindow(const QString &model) const
{
    const AdaptiveLimiter *limiter = find(model);
    return limiter ? limiter->startWindow() : std::nullopt;
}

std::optional<qint64> LearnedLimits::startWindowHorizonMs(const QString &model) const
{
    const AdaptiveLimiter *limiter = find(model);
    return limiter ? limiter->startWindowHorizonMs() : std::nullopt;
}

const AdaptiveLimiter *LearnedLimits::find(const QString &model) const
{
    const auto it = m_models.constFind(model);
    return it == m_models.cend() ? nullptr : &it->limiter;
}

} // namespace gp
