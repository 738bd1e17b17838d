#pragma once

#include "core/events/event.h"

#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace gp {

struct JournalEvent;

enum class LogSeverity { Info, Warning, Error };

// One journal event as the event log keeps it: what it shows and searches, nothing more.
struct LogEvent
{
    qint64 id = 0; // the journal row
    qint64 timeMs = 0;
    qint64 delayMs = 0;
    qint64 ttfbMs = -1;
    qint64 durationMs = -1;
    qint64 tokens = -1; // billed tokens, when the event carried usage
    qint64 costTicks = -1; // cost_in_usd_ticks, when known
    QString message; // quota events: the quota in words
    QString requestId;
    EventKind kind = EventKind::Warning;
    ErrorClass errorClass = ErrorClass::None;
    int attempt = 0;
    int httpStatus = 0;

    static LogEvent from(const JournalEvent &row);
    LogSeverity severity() const;
    qint64 bytes() const; // estimated heap and inline size
};

// One attempt of a request with the wait before it (the queue, or a retry's delay).
struct LogStep
{
    int attempt = 0; // 1-based
    QList<LogEvent> events; // as written

    const LogEvent *find(EventKind kind) const; // the last of that kind
    bool started() const;
    bool finished() const { return find(EventKind::AttemptFinished) != nullptr; }
    qint64 startedMs() const; // -1 when not sent yet
    qint64 waitMs() const; // from the wait's start to the attempt's (or the last event's) time
    QString waitText() const; // why it waited: the retry's reason and the pacer's
};

// A top-level row: one request (grouped by run and job id) with its attempts, or one event
// with no request (alerts, breaker, warnings).
struct LogItem
{
    quint64 seq = 0; // creation order
    qint64 runId = 0;
    quint64 jobId = 0; // 0: the one event in steps[0]
    Priority priority = Priority::Normal;
    QString model;
    QString customId;
    QString client;
    QString alertId;
    std::vector<LogStep> steps; // in attempt order
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    int eventCount = 0;
    LogSeverity severity = LogSeverity::Info;
    quint32 buckets = 0; // one bit per ErrorBucket any event carried
    bool textHit = false; // an event or a name holds the filter's text
    bool visible = false;
    bool expanded = false; // open in the view (when the view says so)
    bool pending = false; // made in the batch being taken in: not in the model yet
    bool marked = false; // changed in the batch being taken in, or about to be dropped
    int changedFrom = -1; // the first attempt row whose cells changed in this batch; -1: none
    qint64 bytes = 0;

    static std::unique_ptr<LogItem> make(const JournalEvent &row, quint64 seq); // the row is not added yet
    bool isRequest() const { return jobId != 0; }

    struct Place
    {
        int step = 0;
        bool newStep = false;
    };
    Place placeFor(const LogEvent &event) const; // where add() will put it
    void add(const LogEvent &event, Place place);
    bool hitsText(const QString &text, const LogEvent &event) const;
    bool hitsText(const QString &text) const; // any event or name

    const LogEvent *terminal() const;
    int attempts() const;
    const LogEvent &lone() const { return steps.front().events.front(); }
};

} // namespace gp
