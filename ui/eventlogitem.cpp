#include "ui/eventlogitem.h"

#include "core/telemetry/journalreader.h"

#include <algorithm>

namespace gp {

namespace {

qint64 stringBytes(const QString &text)
{
    // The array header and the allocator's own, plus the UTF-16 payload.
    return text.isNull() ? 0 : 40 + 2 * text.capacity();
}

QString quotaText(const QuotaSnapshot &quota)
{
    QStringList parts;
    const auto window = [&parts](const QuotaWindow &w, const QString &what) {
        if (w.remaining && w.limit)
            parts << QStringLiteral("%1 %2/%3 left").arg(what).arg(*w.remaining).arg(*w.limit);
        else if (w.remaining)
            parts << QStringLiteral("%1 %2 left").arg(what).arg(*w.remaining);
    };
    window(quota.requests, QStringLiteral("requests"));
    window(quota.tokens, QStringLiteral("tokens"));
    if (quota.requests.resetInMs)
        parts << QStringLiteral("reset in %1 s").arg(double(*quota.requests.resetInMs) / 1000.0, 0, 'f', 1);
    return parts.join(QStringLiteral(", "));
}

bool contains(const QString &haystack, const QString &needle)
{
    return haystack.contains(needle, Qt::CaseInsensitive);
}

} // namespace

LogEvent LogEvent::from(const JournalEvent &row)
{
    const Event &e = row.event;
    LogEvent out;
    out.id = row.id;
    out.timeMs = e.timeMs;
    out.delayMs = e.delayMs;
    out.ttfbMs = e.ttfbMs;
    out.durationMs = e.durationMs;
    out.tokens = e.usage.present ? e.usage.billedTokens() : -1;
    out.costTicks = e.usage.costInUsdTicks.value_or(-1);
    out.message = e.kind == EventKind::QuotaUpdated && e.message.isEmpty() ? quotaText(e.quota) : e.message;
    out.requestId = e.requestId;
    out.kind = e.kind;
    out.errorClass = e.errorClass;
    out.attempt = e.attempt;
    out.httpStatus = e.httpStatus;
    return out;
}

LogSeverity LogEvent::severity() const
{
    switch (kind) {
    case EventKind::Failed:
    case EventKind::BreakerOpened:
    case EventKind::AlertRaised: return LogSeverity::Error;
    case EventKind::RetryScheduled:
    case EventKind::Interrupted:
    case EventKind::Warning:
    case EventKind::BreakerHalfOpen: return LogSeverity::Warning;
    case EventKind::AttemptFinished:
        return errorClass == ErrorClass::None ? LogSeverity::Info : LogSeverity::Warning;
    default: return LogSeverity::Info;
    }
}

qint64 LogEvent::bytes() const
{
    return qint64(sizeof(LogEvent)) + stringBytes(message) + stringBytes(requestId);
}

const LogEvent *LogStep::find(EventKind kind) const
{
    for (auto it = events.crbegin(); it != events.crend(); ++it)
        if (it->kind == kind)
            return &*it;
    return nullptr;
}

bool LogStep::started() const
{
    return find(EventKind::AttemptStarted) || find(EventKind::AttemptFinished);
}

qint64 LogStep::startedMs() const
{
    if (const LogEvent *s = find(EventKind::AttemptStarted))
        return s->timeMs;
    if (const LogEvent *f = find(EventKind::AttemptFinished)) // its start fell out of the window
        return f->durationMs >= 0 ? f->timeMs - f->durationMs : f->timeMs;
    return -1;
}

qint64 LogStep::waitMs() const
{
    qint64 from = -1;
    for (const LogEvent &e : events)
        if (e.kind == EventKind::Submitted || e.kind == EventKind::Queued
            || e.kind == EventKind::RetryScheduled) {
            from = e.timeMs;
            break;
        }
    if (from < 0)
        return -1;
    const qint64 until = started() ? startedMs() : events.back().timeMs;
    return std::max<qint64>(0, until - from);
}

QString LogStep::waitText() const
{
    QStringList parts;
    if (const LogEvent *r = find(EventKind::RetryScheduled)) {
        const QString after = r->httpStatus > 0 ? QStringLiteral("after HTTP %1").arg(r->httpStatus)
            : r->errorClass != ErrorClass::None ? QStringLiteral("after ") + errorClassName(r->errorClass)
                                                : QString();
        // The retry's own sentence says how long and why ("retry in 22 ms (backoff)").
        if (r->message.isEmpty())
            parts << QStringLiteral("retry in %1 s %2")
                         .arg(double(r->delayMs) / 1000.0, 0, 'f', 2)
                         .arg(after)
                         .trimmed();
        else
            parts << (after.isEmpty() ? r->message : after + QStringLiteral(": ") + r->message);
    }
    if (const LogEvent *q = find(EventKind::Queued); q && !q->message.isEmpty())
        parts << QStringLiteral("queued: ") + q->message;
    return parts.join(QStringLiteral("; "));
}

std::unique_ptr<LogItem> LogItem::make(const JournalEvent &row, quint64 seq)
{
    auto item = std::make_unique<LogItem>();
    const Event &e = row.event;
    item->seq = seq;
    item->runId = row.runId;
    item->jobId = e.jobId;
    item->priority = e.priority;
    item->model = e.model;
    item->customId = e.customId;
    item->client = e.client;
    item->alertId = e.alertId;
    item->firstMs = item->lastMs = e.timeMs;
    item->bytes = qint64(sizeof(LogItem)) + 64 // the hash node, the list slots, the allocation
        + stringBytes(item->model) + stringBytes(item->customId) + stringBytes(item->client)
        + stringBytes(item->alertId);
    return item;
}

// By order, not by number: an attempt's number counts the requests Qt sent again on a closed
// connection, so the events of one attempt may carry two numbers.
LogItem::Place LogItem::placeFor(const LogEvent &event) const
{
    if (steps.empty())
        return { 0, true };
    const int last = int(steps.size()) - 1;
    if (!isRequest())
        return { last, false };
    switch (event.kind) {
    case EventKind::AttemptStarted:
    case EventKind::RetryScheduled:
    case EventKind::Queued: // a wait or an attempt after one that was sent: the next step
        return steps.back().started() ? Place { last + 1, true } : Place { last, false };
    default: return { last, false }; // submitted, quota, the answer, the terminal state
    }
}

void LogItem::add(const LogEvent &event, Place place)
{
    if (place.newStep) {
        const size_t capacity = steps.capacity();
        const int next = !isRequest() ? 0 : steps.empty() ? 1 : steps.back().attempt + 1;
        steps.push_back(LogStep { next, {} });
        bytes += qint64(steps.capacity() - capacity) * qint64(sizeof(LogStep));
    }
    LogStep &step = steps[size_t(place.step)];
    if (event.kind == EventKind::AttemptStarted && event.attempt > 0)
        step.attempt = event.attempt;
    const qsizetype capacity = step.events.capacity();
    step.events.append(event);
    bytes += event.bytes() + qint64(step.events.capacity() - capacity - 1) * qint64(sizeof(LogEvent));
    ++eventCount;
    firstMs = std::min(firstMs, event.timeMs);
    lastMs = std::max(lastMs, event.timeMs);
    severity = std::max(severity, event.severity());
    if (event.errorClass != ErrorClass::None)
        buckets |= 1u << int(errorBucketOf(event.errorClass));
}

bool LogItem::hitsText(const QString &text, const LogEvent &event) const
{
    return contains(event.message, text) || contains(event.requestId, text);
}

bool LogItem::hitsText(const QString &text) const
{
    if (contains(model, text) || contains(customId, text) || contains(client, text)
        || contains(alertId, text))
        return true;
    for (const LogStep &step : steps)
        for (const LogEvent &e : step.events)
            if (hitsText(text, e))
                return true;
    return false;
}

const LogEvent *LogItem::terminal() const
{
    for (auto step = steps.crbegin(); step != steps.crend(); ++step)
        for (auto e = step->events.crbegin(); e != step->events.crend(); ++e)
            if (isTerminal(e->kind))
                return &*e;
    return nullptr;
}

int LogItem::attempts() const
{
    int n = 0;
    for (const LogStep &step : steps)
        n += step.started() ? 1 : 0;
    if (const LogEvent *t = terminal())
        n = std::max(n, t->attempt);
    return n;
}

} // namespace gp
