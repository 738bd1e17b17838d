// The Scheduler's learning half: what each released admission teaches the gates (tokens
// settled, quota headers, refusals and successes for the learned limit, limits a 429 stated)
// and what it publishes to the instances sharing a quota. The admission half is scheduler.cpp.
#include "core/pacing/scheduler.h"
#include "core/pacing/sharedlimiter.h"
#include "core/policy/classifier.h"

#include <algorithm>
#include <cmath>

namespace gp {

namespace {
constexpr double ServerPaceMargin = 0.99;
constexpr int MinPaceSamples = 3;
constexpr qint64 PublishRefreshMs = 5000; // an unchanged server pace is published again this often
constexpr int MinOverloadRefusals = 3; // 529s count as losses from this many in the window...
constexpr double MinOverloadShare
    = 0.15; // ...making at least this share of its responses (2% at random: ~never)
} // namespace

void Scheduler::release(const PaceFeedback &feedback)
{
    const auto it = m_inFlight.constFind(feedback.jobId);
    if (it == m_inFlight.cend())
        return; // not ours, or released twice: nothing to free
    const Admission admission = *it;
    m_inFlight.erase(it);
    const qint64 now = m_clock();
    if (!feedback.sent) {
        // Never reached the server: every unit it took goes back.
        m_gates.refundAdmission(now, admission.tokens, admission.model, admission.admittedMs);
        if (StatedLimitGates *stated = statedFor(admission.model))
            stated->refundAdmission(now, admission.tokens);
        if (m_shared && m_shared->isShared())
            m_shared->settleTokens(-admission.tokens);
        if (!m_heardBack && m_inFlight.isEmpty())
            m_probeSentMs = -1; // the probe never reached the server: the next one probes
    } else {
        m_heardBack = true;
        learn(feedback, admission, now);
    }
    requestPass();
}

void Scheduler::learn(const PaceFeedback &feedback, const Admission &admission, qint64 nowMs)
{
    const bool shared = m_shared && m_shared->isShared();
    std::optional<qint64> actual = feedback.actualTokens;
    if (!actual && feedback.httpStatus == 429)
        actual = 0; // a refused request is not billed
    if (actual) {
        const qint64 delta = std::max<qint64>(0, *actual) - admission.tokens;
        m_gates.settleTokens(nowMs, delta);
        if (StatedLimitGates *stated = statedFor(admission.model))
            stated->settleTokens(nowMs, delta);
        if (shared && delta != 0)
            m_shared->settleTokens(delta);
    }
    if (m_config.useServerQuota && !feedback.quota.isEmpty()) {
        forgetRemembered(admission.model, nowMs, true); // the headers say what the memory guessed
        // Admissions after this one may not be counted in the server's numbers yet.
        double unseenRequests = 0.0;
        double unseenTokens = 0.0;
        for (auto r = m_recent.crbegin(); r != m_recent.crend() && r->first > admission.seq; ++r) {
            unseenRequests += 1.0;
            unseenTokens += double(r->second);
        }
        m_gates.updateQuota(feedback.quota, nowMs, unseenRequests, unseenTokens, admission.admittedMs);
        if (shared)
            publishServerPace(nowMs);
    }
    const bool sharedLearning = learnsShared();
    // Every refusal for load is a loss, whatever its wording: a quota 429, a capacity 429, a 529
    // that carries no quota headers.
    const bool refused429 = feedback.httpStatus == 429
        && (feedback.errorClass == ErrorClass::RateLimited || feedback.errorClass == ErrorClass::Capacity);
    const bool overloaded = feedback.httpStatus == 529 && feedback.quota.isEmpty();
    if (feedback.httpStatus > 0)
        m_refusals.record(nowMs, refused429 || overloaded);
    // A 429 is always a loss. A 529 is one once it recurs: a lone 529 among successes is a
    // fault of a healthy server, and cutting the rate for it would only slow the queue.
    const bool refused = refused429 || feedback.errorClass == ErrorClass::RateLimited
        || (overloaded && m_refusals.recurs(nowMs, MinOverloadRefusals, MinOverloadShare));
    if (refused) {
        learnFromRefusal(feedback, admission, nowMs, shared, sharedLearning);
    } else if (feedback.httpStatus >= 200 && feedback.httpStatus < 300) {
        m_gates.recordSuccess(nowMs, admission.model, nowMs - admission.admittedMs);
        if (shared && !m_stated.isEmpty())
            publishStatedPace(nowMs); // kept fresh while the pacing holds the 429s off
    }
    // A response with no quota headers: pace by slow start until the first loss teaches more.
    if (feedback.httpStatus > 0)
        m_gates.recordResponse(nowMs, true, admission.model);
}

void Scheduler::learnFromRefusal(const PaceFeedback &feedback, const Admission &admission, qint64 nowMs,
                                 bool shared, bool sharedLearning)
{
    const qint64 hint = feedback.retryHint.isValid() ? std::max<qint64>(0, feedback.retryHint.delayMs) : 0;
    StatedLimitGates *stated = statedFor(feedback.model);
    if (!feedback.statedLimits.isEmpty()) {
        // The server said what the limit is: pace this model by it, exactly, and leave the
        // learned limit (which paces the other models) alone.
        if (!stated)
            stated = &m_stated[feedback.model];
        stated->apply(feedback.statedLimits, nowMs);
        m_lastStatedModel = feedback.model;
        Q_EMIT limitStated(feedback.model, feedback.statedLimits);
        if (hint > 0)
            m_gates.holdUntil(nowMs + hint);
        if (shared) // the team's limit: every instance paces by it, from now on
            publishStatedPace(nowMs);
        Q_EMIT stateChanged();
        return;
    }
    if (stated)
        stated->noteRefused(nowMs); // refused without numbers under stated limits: a smaller burst
    if (m_gates.recordRateLimited(nowMs, admission.admittedMs, hint, true, admission.model)) {
        const AdaptiveLimiter &learned = m_gates.adaptive();
        Q_EMIT limitLearned(learned.learnedRps().value_or(0.0), learned.confidence());
    }
    // Short and bounded: the server's hint, else a pause of the backoff's order.
    const qint64 hold = std::max(hint, m_config.minHoldAfter429Ms);
    if (sharedLearning)
        m_shared->recordLoss(nowMs - admission.admittedMs, hold);
    else if (shared)
        m_shared->publishHold(hold);
}

void Scheduler::rememberStatedLimits(const QString &model, const QList<StatedLimit> &limits, qint64 ageMs,
                                     qint64 keepMs)
{
    if (limits.isEmpty() || keepMs <= 0 || (statedFor(model) && !statedFor(model)->isRemembered()))
        return; // a limit this run was told outranks one remembered
    const qint64 now = m_clock();
    m_stated[model].remember(limits, now, now - ageMs, now + keepMs);
    m_lastStatedModel = model;
    Q_EMIT stateChanged();
}

// Remembered gates leave when they expire, or always (quota headers came for the model).
void Scheduler::forgetRemembered(const QString &model, qint64 nowMs, bool always)
{
    const StatedLimitGates *stated = statedFor(model);
    if (!stated || !stated->isRemembered() || !(always || stated->rememberedExpired(nowMs)))
        return;
    m_stated.remove(model);
    if (m_lastStatedModel == model)
        m_lastStatedModel.clear();
    Q_EMIT stateChanged();
}

bool Scheduler::learnsShared() const
{
    // Shared with no rate from headers or configuration: one limit learned by all instances.
    return m_shared && m_shared->isShared() && m_config.adaptive && !m_gates.quota().knowsRequests()
        && m_config.requestsPerSecond <= 0 && m_config.requestsPerMinute <= 0;
}

StatedLimitGates *Scheduler::statedFor(const QString &model)
{
    if (m_stated.isEmpty())
        return nullptr;
    const auto it = m_stated.find(model);
    return it == m_stated.end() ? nullptr : &*it;
}

void Scheduler::publishServerPace(qint64 nowMs)
{
    // What the headers imply, for every instance: the burst seen, and the refill rate as the
    // quota tracker infers it (limit/window, or the drain over the time to reset).
    const QuotaTracker &quota = m_gates.quota();
    if (!quota.knowsRequests())
        return;
    const double burst = quota.requestsRemainingSeen();
    // Only a rate from a few samples taken with the burst others have seen: one from a bucket
    // thought smaller than it is runs low, and the least published one stands for a while.
    // Each sample bounds the rate from above; a hair too fast would drain the server's bucket.
    const bool rateReady = quota.requestRateSamples() >= MinPaceSamples && burst >= m_shared->learnedBurst();
    const double rate = rateReady ? quota.requestRatePerSecond() * ServerPaceMargin : 0.0;
    const bool changed = (rateReady && std::abs(rate - m_publishedRate) > 1e-3 * std::max(1.0, rate))
        || burst > m_publishedBurst;
    if (!changed && !(rateReady && nowMs - m_publishedAtMs >= PublishRefreshMs))
        return;
    if (rateReady) {
        m_publishedRate = rate;
        m_publishedAtMs = nowMs;
    }
    m_publishedBurst = burst;
    m_shared->publishServerPace(rate, burst);
}

void Scheduler::publishStatedPace(qint64 nowMs)
{
    // A limit stated in a 429 body is the team's, not this instance's: through the shared quota
    // every instance paces by it together (the tightest stated requests rate, for every model
    // of the namespace), as they do by a rate quota headers imply.
    std::optional<double> rate;
    for (const StatedLimitGates &stated : std::as_const(m_stated)) {
        if (const std::optional<double> rps = stated.requestsPerSecond())
            rate = std::min(rate.value_or(*rps), *rps);
    }
    if (!rate)
        return;
    const bool changed = std::abs(*rate - m_publishedRate) > 1e-3 * std::max(1.0, *rate);
    if (!changed && nowMs - m_publishedAtMs < PublishRefreshMs)
        return;
    m_publishedRate = *rate;
    m_publishedAtMs = nowMs;
    m_shared->publishServerPace(*rate, 0.0);
}

} // namespace gp
