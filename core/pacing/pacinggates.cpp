#include "core/pacing/pacinggates.h"

#include <algorithm>

namespace gp {

namespace {
AdaptiveLimiter::Params adaptiveParams(const PacingConfig &config)
{
    AdaptiveLimiter::Params p;
    p.beta = config.adaptiveBeta;
    p.cubicC = config.adaptiveCubicC;
    p.minHoldMs = config.minHoldAfter429Ms;
    p.startWindow = config.adaptiveStartWindow;
    p.windowPerSuccess = config.adaptiveWindowPerSuccess;
    p.windowPacing = config.adaptiveWindowPacing;
    p.windowHorizonRtts = config.adaptiveWindowHorizonRtts;
    p.slowStartRps = config.adaptiveSlowStartRps;
    p.slowStartDoublingMs = config.adaptiveSlowStartDoublingMs;
    return p;
}

// Folds one gate's wait into the overall one, remembering the reason of the longest.
void fold(qint64 wait, const QString &why, qint64 *worst, QString *reason)
{
    if (wait < 0)
        wait = PacingGates::Never;
    if (wait > *worst) {
        *worst = wait;
        if (reason)
            *reason = why;
    }
}
} // namespace

PacingGates::PacingGates(const PacingConfig &config, qint64 nowMs)
    : m_config(config)
    , m_learned(adaptiveParams(config))
{
    applyShare(1.0, nowMs);
}

void PacingGates::restart(qint64 nowMs)
{
    m_rps = TokenBucket();
    m_rpm = TokenBucket();
    m_tpm = TokenBucket();
    m_learned.restart();
    applyShare(m_share, nowMs);
}

void PacingGates::applyShare(double share, qint64 nowMs)
{
    m_share = std::clamp(share, 0.01, 1.0);
    const auto setup = [&](TokenBucket &bucket, double rate, double capacity) {
        if (rate <= 0.0)
            bucket.setUnlimited();
        else
            bucket.configure(rate * m_share, std::max(1.0, capacity * m_share), nowMs);
    };
    const double burst = m_config.requestBurst > 0 ? m_config.requestBurst : m_config.requestsPerSecond;
    setup(m_rps, m_config.requestsPerSecond, burst);
    setup(m_rpm, m_config.requestsPerMinute / 60.0, m_config.requestsPerMinute);
    const double tokenBurst = m_config.tokenBurst > 0 ? m_config.tokenBurst : m_config.tokensPerMinute;
    // A request that fits the whole token bucket must stay admissible at any share.
    if (m_config.tokensPerMinute > 0)
        m_tpm.configure(m_config.tokensPerMinute / 60.0 * m_share, tokenBurst, nowMs);
    else
        m_tpm.setUnlimited();
}

void PacingGates::setLimits(const PacingConfig &config, qint64 nowMs)
{
    m_config.takeLimitsFrom(config);
    applyShare(m_share, nowMs);
}

std::optional<qint64> PacingGates::tokenCeiling() const
{
    std::optional<qint64> ceiling;
    if (m_tpm.isLimited())
        ceiling = qint64(m_tpm.capacity());
    if (m_config.useServerQuota && m_quota.tokenLimit())
        ceiling = ceiling ? std::min(*ceiling, *m_quota.tokenLimit()) : *m_quota.tokenLimit();
    return ceiling;
}

qint64 PacingGates::waitMs(qint64 nowMs, qint64 tokenCount, double reserve, bool adaptive, QString *reason,
                           const QString &model)
{
    qint64 worst = 0;
    fold(m_holdUntilMs > nowMs ? m_holdUntilMs - nowMs : 0, QStringLiteral("hold-429"), &worst, reason);
    const double tokens = double(std::max<qint64>(0, tokenCount));
    fold(m_rps.msUntil(nowMs, 1.0, reserve * m_rps.capacity()), QStringLiteral("rps"), &worst, reason);
    fold(m_rpm.msUntil(nowMs, 1.0, reserve * m_rpm.capacity()), QStringLiteral("rpm"), &worst, reason);
    fold(m_tpm.msUntil(nowMs, tokens, reserve * m_tpm.capacity()), QStringLiteral("tpm"), &worst, reason);
    if (m_config.useServerQuota) {
        QString why;
        fold(m_quota.msUntilAdmissible(nowMs, tokens, reserve, &why), why, &worst, reason);
    }
    if (adaptive) {
        QString why;
        fold(learnedWaitMs(nowMs, model, &why), why, &worst, reason);
    }
    return worst;
}

qint64 PacingGates::learnedWaitMs(qint64 nowMs, const QString &model, QString *reason)
{
    if (!m_config.adaptive || m_quota.knowsRequests())
        return 0;
    return m_learned.waitMs(model, nowMs, reason);
}

void PacingGates::recordAdmission(qint64 nowMs, qint64 tokens, const QString &model)
{
    m_rps.take(nowMs, 1.0);
    m_rpm.take(nowMs, 1.0);
    m_tpm.take(nowMs, double(tokens));
    m_learned.recordAdmission(model, nowMs);
    m_quota.recordAdmission(nowMs, double(tokens));
}

void PacingGates::refundAdmission(qint64 nowMs, qint64 tokens, const QString &model, qint64 admittedMs)
{
    m_rps.give(nowMs, 1.0);
    m_rpm.give(nowMs, 1.0);
    m_tpm.give(nowMs, double(tokens));
    m_learned.refundAdmission(model, nowMs, admittedMs < 0 ? nowMs : admittedMs);
    m_quota.refundAdmission(nowMs, double(tokens));
}

void PacingGates::settleTokens(qint64 nowMs, qint64 delta)
{
    if (delta > 0)
        m_tpm.take(nowMs, double(delta));
    else
        m_tpm.give(nowMs, double(-delta));
    m_quota.settleTokens(nowMs, double(delta));
}

void PacingGates::updateQuota(const QuotaSnapshot &snapshot, qint64 nowMs, double unseenRequests,
                              double unseenTokens, qint64 stampedMs)
{
    if (m_config.useServerQuota)
        m_quota.update(snapshot, nowMs, unseenRequests, unseenTokens, stampedMs);
}

void PacingGates::holdUntil(qint64 untilMs)
{
    m_holdUntilMs = std::max(m_holdUntilMs, untilMs);
}

bool PacingGates::recordRateLimited(qint64 nowMs, qint64 admittedMs, qint64 hintMs, bool adaptive,
                                    const QString &model)
{
    if (!adaptive || !m_config.adaptive || m_quota.knowsRequests()) {
        holdUntil(nowMs + std::max<qint64>(0, hintMs));
        return false;
    }
    // Learned per model: the hint holds only the model that was refused.
    return m_learned.recordRateLimited(model, nowMs, admittedMs, hintMs);
}

void PacingGates::recordSuccess(qint64 nowMs, const QString &model, qint64 roundTripMs)
{
    m_learned.recordSuccess(model, nowMs, roundTripMs);
}

void PacingGates::recordResponse(qint64 nowMs, bool adaptive, const QString &model)
{
    if (adaptive && m_config.adaptive && !m_quota.knowsRequests())
        m_learned.start(model, nowMs);
}

std::optional<int> PacingGates::startWindow(const QString &model) const
{
    if (!m_config.adaptive || m_quota.knowsRequests())
        return std::nullopt;
    return m_learned.startWindow(model);
}

std::optional<qint64> PacingGates::startWindowHorizonMs(const QString &model) const
{
    return startWindow(model) ? m_learned.startWindowHorizonMs(model) : std::nullopt;
}

void PacingGates::fillState(PacingState *s, qint64 nowMs) const
{
    s->requestsRemaining = m_quota.requestsRemaining(nowMs);
    s->tokensRemaining = m_quota.tokensRemaining(nowMs);
    if (!s->tokensRemaining && m_tpm.isLimited())
        s->tokensRemaining = qint64(std::max(0.0, m_tpm.level(nowMs)));
    s->requestLimit = m_quota.requestLimit();
    s->tokenLimit = m_quota.tokenLimit();
    if (!s->tokenLimit && m_tpm.isLimited())
        s->tokenLimit = qint64(m_config.tokensPerMinute);
    s->nextResetMs = m_quota.nextResetMs(nowMs);
    if (const AdaptiveLimiter &last = m_learned.lastMoved(); last.learnedRps()) {
        s->learnedRps = last.learnedRps();
        s->learnedConfidence = last.confidence();
    }
    fillLimit(s);
}

void PacingGates::fillLimit(PacingState *s) const
{
    // Strongest source first: what the user configured, then what the headers say, then learning.
    const double configuredRps = std::max(m_config.requestsPerSecond, m_config.requestsPerMinute / 60.0);
    if (configuredRps > 0.0 || m_config.tokensPerMinute > 0.0) {
        s->limitSource = LimitSource::Configured;
        if (configuredRps > 0.0)
            s->limitRequestsPerSecond = configuredRps;
        if (m_config.tokensPerMinute > 0.0)
            s->limitTokensPerMinute = m_config.tokensPerMinute;
        return;
    }
    if (m_config.useServerQuota && (m_quota.knowsRequests() || m_quota.knowsTokens())) {
        s->limitSource = LimitSource::Headers;
        if (m_quota.requestRatePerSecond() > 0.0)
            s->limitRequestsPerSecond = m_quota.requestRatePerSecond();
        if (m_quota.tokenRatePerSecond() > 0.0)
            s->limitTokensPerMinute = m_quota.tokenRatePerSecond() * 60.0;
        return;
    }
    if (m_config.adaptive && m_learned.lastMoved().learnedRps()) {
        s->limitSource = LimitSource::Learned;
        s->limitModel = m_learned.lastMovedModel();
        s->limitRequestsPerSecond = m_learned.lastMoved().learnedRps();
    }
}

} // namespace gp
