#include "core/sim/ratelimiter.h"

#include <algorithm>
#include <cmath>

namespace gp::sim {

namespace {

double interval(const ModelLimits &l)
{
    return double(l.windowMs) / l.requests;
}

double burstOf(const ModelLimits &l)
{
    return l.burst > 0 ? double(l.burst) : std::max(1.0, std::ceil(l.requests));
}

double tokenRatePerMs(const ModelLimits &l)
{
    return double(l.tokensPerMinute) / 60000.0;
}

qint64 ceilMs(double ms)
{
    return qint64(std::ceil(std::max(0.0, ms) - 1e-9));
}

} // namespace

void RateLimiter::drainTokens(Buckets &b, const ModelLimits &limits, double now) const
{
    if (limits.tokensPerMinute > 0 && now > b.tokenUpdated)
        b.tokenLevel = std::max(0.0, b.tokenLevel - (now - b.tokenUpdated) * tokenRatePerMs(limits));
    b.tokenUpdated = std::max(b.tokenUpdated, now);
}

LimitState RateLimiter::requestState(const Buckets &b, const ModelLimits &limits, double now) const
{
    LimitState s;
    if (limits.requests <= 0)
        return s;
    const double t = interval(limits);
    const double used = std::max(0.0, b.requestTat - now) / t;
    s.limited = true;
    s.limit = qint64(std::ceil(limits.requests));
    s.windowMs = limits.windowMs;
    s.remaining = std::max<qint64>(0, qint64(std::floor(burstOf(limits) - used + 1e-9)));
    s.resetMs = ceilMs(b.requestTat - now);
    return s;
}

LimitState RateLimiter::tokenState(const Buckets &b, const ModelLimits &limits) const
{
    LimitState s;
    if (limits.tokensPerMinute <= 0)
        return s;
    s.limited = true;
    s.limit = limits.tokensPerMinute;
    s.windowMs = 60000;
    s.remaining
        = std::max<qint64>(0, qint64(std::floor(double(limits.tokensPerMinute) - b.tokenLevel + 1e-9)));
    s.resetMs = ceilMs(b.tokenLevel / tokenRatePerMs(limits));
    return s;
}

Admission RateLimiter::peek(const QString &model, const ModelLimits &limits, qint64 nowMs)
{
    Buckets &b = m_models[model];
    const double now = double(nowMs);
    drainTokens(b, limits, now);
    Admission a;
    a.requests = requestState(b, limits, now);
    a.tokens = tokenState(b, limits);
    if (limits.requests > 0) {
        const double tolerance = (burstOf(limits) - 1.0) * interval(limits);
        a.retryAfterMs = ceilMs(std::max(b.requestTat, now) - now - tolerance);
    }
    return a;
}

Admission RateLimiter::admit(const QString &model, const ModelLimits &limits, qint64 reserveTokens,
                             qint64 nowMs)
{
    Admission a = peek(model, limits, nowMs);
    Buckets &b = m_models[model];
    const double now = double(nowMs);
    if (limits.tokensPerMinute > 0 && reserveTokens > limits.tokensPerMinute) {
        a.outcome = Admission::Outcome::TokensExceedLimit;
        a.retryAfterMs = 0;
        return a;
    }
    if (limits.requests > 0 && a.retryAfterMs > 0) {
        a.outcome = Admission::Outcome::RequestsExhausted;
        return a;
    }
    if (limits.tokensPerMinute > 0
        && b.tokenLevel + double(reserveTokens) > double(limits.tokensPerMinute) + 1e-9) {
        a.outcome = Admission::Outcome::TokensExhausted;
        const double excess = b.tokenLevel + double(reserveTokens) - double(limits.tokensPerMinute);
        a.retryAfterMs = std::max<qint64>(1, ceilMs(excess / tokenRatePerMs(limits)));
        return a;
    }
    if (limits.requests > 0)
        b.requestTat = std::max(b.requestTat, now) + interval(limits);
    if (limits.tokensPerMinute > 0)
        b.tokenLevel += double(reserveTokens);
    a.retryAfterMs = 0;
    a.reservedTokens = reserveTokens;
    a.requests = requestState(b, limits, now);
    a.tokens = tokenState(b, limits);
    return a;
}

void RateLimiter::settle(const QString &model, const ModelLimits &limits, qint64 reserved, qint64 actual,
                         qint64 nowMs)
{
    if (limits.tokensPerMinute <= 0)
        return;
    Buckets &b = m_models[model];
    drainTokens(b, limits, double(nowMs));
    b.tokenLevel = std::max(0.0, b.tokenLevel + double(actual - reserved));
}

} // namespace gp::sim
