#include "core/events/event.h"

#include <array>
#include <utility>

namespace gp {

namespace {

constexpr std::array<std::pair<EventKind, const char16_t *>, 17> kNames { {
    { EventKind::Submitted, u"submitted" },
    { EventKind::Queued, u"queued" },
    { EventKind::AttemptStarted, u"attempt_started" },
    { EventKind::AttemptFinished, u"attempt_finished" },
    { EventKind::RetryScheduled, u"retry_scheduled" },
    { EventKind::Succeeded, u"succeeded" },
    { EventKind::Failed, u"failed" },
    { EventKind::Cancelled, u"cancelled" },
    { EventKind::Interrupted, u"interrupted" },
    { EventKind::QuotaUpdated, u"quota_updated" },
    { EventKind::LimitLearned, u"limit_learned" },
    { EventKind::BreakerOpened, u"breaker_opened" },
    { EventKind::BreakerHalfOpen, u"breaker_half_open" },
    { EventKind::BreakerClosed, u"breaker_closed" },
    { EventKind::AlertRaised, u"alert_raised" },
    { EventKind::AlertCleared, u"alert_cleared" },
    { EventKind::Warning, u"warning" },
} };

} // namespace

QString eventKindName(EventKind kind)
{
    for (const auto &[k, name] : kNames) {
        if (k == kind)
            return QString::fromUtf16(name);
    }
    return QStringLiteral("warning");
}

std::optional<EventKind> eventKindFromName(const QString &name)
{
    for (const auto &[k, kName] : kNames) {
        if (name == QString::fromUtf16(kName))
            return k;
    }
    return std::nullopt;
}

bool isTerminal(EventKind kind)
{
    return kind == EventKind::Succeeded || kind == EventKind::Failed || kind == EventKind::Cancelled
        || kind == EventKind::Interrupted;
}

} // namespace gp
