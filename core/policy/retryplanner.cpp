#include "core/policy/retryplanner.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

QString sourceName(RetryHintSource source)
{
    switch (source) {
    case RetryHintSource::RetryAfterMs: return u"retry-after-ms"_s;
    case RetryHintSource::RetryAfter: return u"Retry-After"_s;
    case RetryHintSource::RateLimitReset: return u"rate-limit reset"_s;
    case RetryHintSource::None: break;
    }
    return u"backoff"_s;
}

RetryPlan fail(ErrorClass cls, QString message)
{
    RetryPlan plan;
    plan.failClass = cls;
    plan.message = std::move(message);
    return plan;
}

} // namespace

RetryHint RetryPlanner::effectiveHint(const RetryHint &hint, const QuotaSnapshot &quota)
{
    if (hint.isValid())
        return hint;
    // An exhausted quota's reset is the next strongest hint; both exhausted: the later one.
    std::optional<qint64> reset;
    for (const QuotaWindow *window : { &quota.requests, &quota.tokens }) {
        if (window->remaining.value_or(1) <= 0 && window->resetInMs.has_value() && *window->resetInMs >= 0)
            reset = std::max(reset.value_or(0), *window->resetInMs);
    }
    if (!reset)
        return {};
    return RetryHint { *reset, RetryHintSource::RateLimitReset };
}

RetryPlan RetryPlanner::planRetry(const RetryPlanInput &in)
{
    if (!in.retriable)
        return fail(ErrorClass::None, u"not retriable"_s);
    if (in.attempt >= in.maxAttempts)
        return fail(ErrorClass::None, u"gave up after "_s + QString::number(in.attempt) + u" attempts"_s);

    const RetryHint hint = effectiveHint(in.hint, in.quota);
    RetryPlan plan;
    plan.retry = true;
    plan.source = hint.source;
    plan.delayMs = hint.isValid() ? std::max<qint64>(0, hint.delayMs) : std::max<qint64>(0, in.backoffMs);

    if (hint.isValid() && plan.delayMs > in.hintCeilingMs) {
        return fail(ErrorClass::RetryHintTooLong,
                    u"the server asked to wait "_s + formatDuration(plan.delayMs) + u" ("_s
                        + sourceName(hint.source) + u"), longer than the "_s
                        + formatDuration(in.hintCeilingMs) + u" ceiling"_s);
    }
    if (in.deadlineMs > 0 && in.nowMs + plan.delayMs >= in.deadlineMs) {
        const qint64 left = std::max<qint64>(0, in.deadlineMs - in.nowMs);
        QString who = u"the next retry would wait "_s + formatDuration(plan.delayMs);
        if (hint.isValid())
            who = u"the server asked to wait "_s + formatDuration(plan.delayMs) + u" ("_s
                + sourceName(hint.source) + u')';
        return fail(ErrorClass::DeadlineExceeded,
                    who + u", but only "_s + formatDuration(left) + u" remain before the deadline"_s);
    }
    plan.message = u"retry in "_s + formatDuration(plan.delayMs) + u" ("_s + sourceName(hint.source) + u')';
    return plan;
}

QString RetryPlanner::formatDuration(qint64 ms)
{
    if (ms < 1000)
        return QString::number(ms) + u" ms"_s;
    if (ms < 60000)
        return QString::number(double(ms) / 1000.0, 'g', 3) + u" s"_s;
    const qint64 minutes = ms / 60000;
    const qint64 seconds = (ms % 60000) / 1000;
    QString text = QString::number(minutes) + u" min"_s;
    if (seconds > 0)
        text += u' ' + QString::number(seconds) + u" s"_s;
    return text;
}

} // namespace gp
