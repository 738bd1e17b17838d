#include "ui/eventlogcells.h"

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QLocale>

namespace gp {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("gp::EventLogCells", text);
}

QString requestName(const LogItem &item)
{
    if (!item.isRequest())
        return item.alertId;
    const QString id = QString::number(item.jobId);
    return item.customId.isEmpty() ? id : QStringLiteral("%1 (%2)").arg(id, item.customId);
}

QString failureName(const LogEvent &e)
{
    return e.httpStatus > 0 ? QString::number(e.httpStatus) : errorClassName(e.errorClass);
}

// In flight, waiting or finished: what the request's row says it is doing.
QString outcome(const LogItem &item)
{
    if (!item.isRequest())
        return eventKindName(item.lone().kind);
    if (const LogEvent *t = item.terminal())
        return eventKindName(t->kind);
    const LogStep &last = item.steps.back();
    if (last.started() && !last.finished())
        return tr("in flight");
    return last.find(EventKind::RetryScheduled) ? tr("waiting to retry") : tr("queued");
}

QString resentText(int times)
{
    return times == 1 ? tr("sent again by Qt on a closed connection")
                      : tr("sent %1 more times by Qt on closed connections").arg(times);
}

// The attempts that failed before the last one, in words ("after 503, 503").
QString retriedText(const LogItem &item)
{
    QStringList failures;
    for (size_t s = 0; s + 1 < item.steps.size(); ++s)
        if (const LogEvent *f = item.steps[s].find(EventKind::AttemptFinished);
            f && f->errorClass != ErrorClass::None)
            failures << failureName(*f);
    return failures.isEmpty() ? QString() : tr("after %1").arg(failures.join(QStringLiteral(", ")));
}

QString message(const LogItem &item)
{
    if (!item.isRequest())
        return item.lone().message;
    const LogEvent *t = item.terminal();
    if (t && !t->message.isEmpty())
        return t->message;
    if (t) {
        int started = 0;
        for (const LogStep &step : item.steps)
            started += step.started() ? 1 : 0;
        const QString retried = retriedText(item);
        if (t->attempt <= started)
            return retried;
        return retried.isEmpty() ? resentText(t->attempt - started)
                                 : retried + QStringLiteral("; ") + resentText(t->attempt - started);
    }
    const LogStep &last = item.steps.back();
    if (const LogEvent *f = last.find(EventKind::AttemptFinished); f && !f->message.isEmpty())
        return f->message;
    return last.started() ? QString() : last.waitText();
}

// The event the row's status and class come from: the terminal one, else the last answer.
const LogEvent *statusEvent(const LogItem &item)
{
    if (!item.isRequest())
        return &item.lone();
    if (const LogEvent *t = item.terminal(); t && (t->httpStatus > 0 || t->errorClass != ErrorClass::None))
        return t;
    for (auto s = item.steps.crbegin(); s != item.steps.crend(); ++s)
        if (const LogEvent *f = s->find(EventKind::AttemptFinished))
            return f;
    return nullptr;
}

qint64 waited(const LogItem &item)
{
    qint64 total = -1;
    for (const LogStep &step : item.steps)
        if (const qint64 w = step.waitMs(); w >= 0)
            total = std::max<qint64>(total, 0) + w;
    return total;
}

QString tokens(qint64 n)
{
    return n >= 0 ? QLocale().toString(n) : QString();
}

QString cost(qint64 ticks)
{
    if (ticks < 0)
        return {};
    const double usd = double(ticks) / 1e10;
    return QStringLiteral("$") + QString::number(usd, 'f', usd < 0.01 ? 5 : 4);
}

QString stepOutcome(const LogItem &item, size_t s)
{
    const LogStep &step = item.steps[s];
    const bool last = s + 1 == item.steps.size();
    const LogEvent *t = last ? item.terminal() : nullptr;
    if (const LogEvent *f = step.find(EventKind::AttemptFinished)) {
        if (f->errorClass == ErrorClass::None)
            return tr("answered");
        if (!last || step.find(EventKind::RetryScheduled))
            return tr("retried");
        return t ? eventKindName(t->kind) : tr("failed");
    }
    if (step.started())
        return t ? eventKindName(t->kind) : tr("in flight");
    return t ? tr("not sent") : tr("waiting");
}

} // namespace

QString EventLogCells::seconds(qint64 ms)
{
    return ms >= 0 ? QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 2) : QString();
}

QString EventLogCells::time(qint64 ms)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(ms);
    return at.toString(at.date() == QDate::currentDate() ? QStringLiteral("HH:mm:ss.zzz")
                                                         : QStringLiteral("MM-dd HH:mm:ss"));
}

QString EventLogCells::header(int column)
{
    static const char *const names[ColumnCount] = {
        QT_TRANSLATE_NOOP("gp::EventLogCells", "Time"),    QT_TRANSLATE_NOOP("gp::EventLogCells", "Request"),
        QT_TRANSLATE_NOOP("gp::EventLogCells", "Outcome"), QT_TRANSLATE_NOOP("gp::EventLogCells", "Attempts"),
        QT_TRANSLATE_NOOP("gp::EventLogCells", "Status"),  QT_TRANSLATE_NOOP("gp::EventLogCells", "Class"),
        QT_TRANSLATE_NOOP("gp::EventLogCells", "Waited"),  QT_TRANSLATE_NOOP("gp::EventLogCells", "Latency"),
        QT_TRANSLATE_NOOP("gp::EventLogCells", "Tokens"),  QT_TRANSLATE_NOOP("gp::EventLogCells", "Cost"),
        QT_TRANSLATE_NOOP("gp::EventLogCells", "Message"), QT_TRANSLATE_NOOP("gp::EventLogCells", "Model"),
        QT_TRANSLATE_NOOP("gp::EventLogCells", "Client"),  QT_TRANSLATE_NOOP("gp::EventLogCells", "Run")
    };
    return column >= 0 && column < ColumnCount ? tr(names[column]) : QString();
}

QString EventLogCells::headerTip(int column)
{
    switch (column) {
    case Request: return tr("The job id (and the caller's custom id); an attempt; or an alert's rule");
    case Attempts: return tr("Requests sent for this job, retries included");
    case Waited: return tr("Time spent waiting in the queue and for retries, not in flight");
    case Latency: return tr("From submission to the final state (a job), or one attempt's duration");
    case Run: return tr("The run that wrote it (run_id in exports): job ids restart with every run");
    default: return {};
    }
}

QString EventLogCells::widest(int column)
{
    switch (column) {
    case Time: return QStringLiteral("00:00:00.000");
    case Request: return QStringLiteral("9999 (demo-999)");
    case Outcome: return tr("waiting to retry");
    case Attempts: return header(Attempts);
    case Status: return header(Status);
    case Class: return QStringLiteral("server_error");
    case Waited:
    case Latency: return QStringLiteral("00.00 s");
    case Tokens: return QStringLiteral("99,999");
    case Cost: return QStringLiteral("$0.00000");
    case Model: return QStringLiteral("grok-4-0709");
    case Client: return QStringLiteral("client-name");
    case Run: return QStringLiteral("0000000000000000"); // ms since the epoch x 1000 + a pid residue
    default: return QStringLiteral("a message of some length, about this");
    }
}

bool EventLogCells::isNumeric(int column)
{
    return column == Attempts || column == Status || column == Waited || column == Latency || column == Tokens
        || column == Cost;
}

QString EventLogCells::item(const LogItem &item, int column)
{
    const LogEvent *status = statusEvent(item);
    const LogEvent *t = item.isRequest() ? item.terminal() : nullptr;
    switch (column) {
    case Time: return time(item.firstMs);
    case Request: return requestName(item);
    case Outcome: return outcome(item);
    case Attempts: return item.isRequest() ? QString::number(item.attempts()) : QString();
    case Status: return status && status->httpStatus > 0 ? QString::number(status->httpStatus) : QString();
    case Class:
        return status && status->errorClass != ErrorClass::None ? errorClassName(status->errorClass)
                                                                : QString();
    case Waited: return item.isRequest() ? seconds(waited(item)) : QString();
    case Latency: return t ? seconds(t->durationMs) : QString();
    case Tokens: return t ? tokens(t->tokens) : QString();
    case Cost: return t ? cost(t->costTicks) : QString();
    case Model: return item.model;
    case Client: return item.client;
    case Run: return item.runId ? QString::number(item.runId) : QString();
    case Message: return message(item);
    default: return {};
    }
}

QString EventLogCells::step(const LogItem &item, int s, int column)
{
    const LogStep &step = item.steps[size_t(s)];
    const LogEvent *f = step.find(EventKind::AttemptFinished);
    switch (column) {
    case Time: return time(step.started() ? step.startedMs() : step.events.front().timeMs);
    case Request: return tr("attempt %1").arg(step.attempt);
    case Outcome: return stepOutcome(item, size_t(s));
    case Status: return f && f->httpStatus > 0 ? QString::number(f->httpStatus) : QString();
    case Class: return f && f->errorClass != ErrorClass::None ? errorClassName(f->errorClass) : QString();
    case Waited: return seconds(step.waitMs());
    case Latency: return f ? seconds(f->durationMs) : QString();
    case Tokens: return f ? tokens(f->tokens) : QString();
    case Message: {
        const QString wait = step.waitText();
        QString own = f ? f->message : QString();
        if (f && step.started() && f->attempt > step.attempt) // Qt sent it again on a closed connection
            own = (own.isEmpty() ? QString() : own + QStringLiteral(" · "))
                + resentText(f->attempt - step.attempt);
        return own.isEmpty() ? wait : (wait.isEmpty() ? own : own + QStringLiteral(" · ") + wait);
    }
    default: return {};
    }
}

QString EventLogCells::itemTip(const LogItem &item, int column)
{
    if (column == Run && item.runId > 0)
        return tr("run_id %1 (export --run %1): job ids restart with every run").arg(item.runId);
    if (column == Time)
        return QDateTime::fromMSecsSinceEpoch(item.firstMs)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    if (!item.isRequest() && column != Message)
        return stepTip(item, 0);
    return EventLogCells::item(item, column);
}

QString EventLogCells::stepTip(const LogItem &item, int s)
{
    QStringList lines;
    for (const LogEvent &e : item.steps[size_t(s)].events) {
        QString line = time(e.timeMs) + u' ' + eventKindName(e.kind);
        if (e.httpStatus > 0)
            line += QStringLiteral(" HTTP %1").arg(e.httpStatus);
        if (e.delayMs > 0)
            line += u' ' + seconds(e.delayMs);
        if (!e.message.isEmpty())
            line += QStringLiteral(": ") + e.message;
        if (!e.requestId.isEmpty())
            line += QStringLiteral(" (request id %1)").arg(e.requestId);
        lines << line;
    }
    return lines.join(u'\n');
}

} // namespace gp
