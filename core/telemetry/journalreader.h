#pragma once

#include "core/events/event.h"
#include "core/policy/errorclass.h"
#include "core/telemetry/remotework.h"

#include <QList>
#include <QSet>
#include <QString>

#include <functional>
#include <limits>
#include <optional>

namespace gp {

// Filters for the event log and exports. Empty lists mean "any".
struct EventQuery
{
    qint64 fromMs = std::numeric_limits<qint64>::min();
    qint64 toMs = std::numeric_limits<qint64>::max(); // inclusive
    QList<EventKind> kinds;
    QList<ErrorBucket> errorBuckets;
    bool errorsOnly = false; // only events that carry an error class
    QString text; // substring of message, model, custom id, request id or alert id
    int limit = 500;
    int offset = 0;
    bool newestFirst = false;
    QString client; // only this gateway client's events; empty: any
    qint64 runId = 0; // only this run's events (Journal::runId()); 0: any
    qint64 afterId = 0; // only rows written after this row id (JournalEvent::id); 0: any
    qint64 throughId = 0; // only rows up to and including this row id; 0: any
    bool byId = false; // in the order they were written (row id) instead of by time
};

// An event as the journal holds it: with its row and the run that wrote it. The run id is the
// journal's (a process's Journal::runId()), not the request path's, so it stays beside the Event.
struct JournalEvent
{
    qint64 id = 0; // the events row id: grows with every row written, across runs
    qint64 runId = 0;
    Event event;
};

// One request's row: what happened to it from submission to its terminal state.
struct JournalRequest
{
    qint64 runId = 0;
    quint64 jobId = 0;
    QString customId;
    QString priority;
    QString model;
    qint64 submittedMs = -1;
    qint64 finishedMs = -1;
    QString outcome; // "succeeded", "failed", "cancelled", "interrupted"; empty while unfinished
    int attempts = 0;
    qint64 ttfbMs = -1;
    qint64 latencyMs = -1;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 cachedTokens = 0;
    std::optional<double> costUsd;
    QString errorClass; // empty when none
    int httpStatus = 0;
    QString errorMessage;
    QString requestId;
    QString client; // the gateway client that asked; empty when none (or an older journal)
};

struct RequestQuery
{
    qint64 fromMs = std::numeric_limits<qint64>::min(); // on submission time
    qint64 toMs = std::numeric_limits<qint64>::max();
    bool failedOnly = false;
    int limit = 500;
    int offset = 0;
    QString client; // only this gateway client's requests; empty: any
    qint64 runId = 0; // only this run's requests; 0: any
};

// Filters for the remote_work rows (work left at the server by batch --via).
struct RemoteWorkQuery
{
    qint64 fromMs = std::numeric_limits<qint64>::min(); // on the row's first record (created_ms)
    qint64 toMs = std::numeric_limits<qint64>::max();
    // Only the rows of the work this run started (work_id) and those it wrote last (run_id),
    // so a resumed work shows under either run; 0: any.
    qint64 runId = 0;
};

// Reads the journal on its own read-only connection (WAL: never blocks the writer).
// Reads older schema versions as they are, without migrating them. Use it on one thread.
class JournalReader final
{
public:
    JournalReader() = default;
    ~JournalReader();
    JournalReader(const JournalReader &) = delete;
    JournalReader &operator=(const JournalReader &) = delete;

    bool open(const QString &path, QString *error = nullptr);
    bool isOpen() const { return !m_connection.isEmpty(); }
    void close();

    std::optional<QList<Event>> events(const EventQuery &query, QString *error = nullptr) const;
    std::optional<QList<JournalEvent>> journalEvents(const EventQuery &query, QString *error = nullptr) const;
    std::optional<qint64> countEvents(const EventQuery &query, QString *error = nullptr) const;
    // The newest row id (0 for an empty journal), and the id of the first row written at or
    // after fromMs (0 when none): bounds for reading a time window in row order.
    std::optional<qint64> lastEventId(QString *error = nullptr) const;
    std::optional<qint64> firstEventIdSince(qint64 fromMs, QString *error = nullptr) const;
    std::optional<QList<JournalRequest>> requests(const RequestQuery &query, QString *error = nullptr) const;
    // Custom ids of requests that succeeded in any run: batch --resume skips them.
    std::optional<QSet<QString>> succeededCustomIds(QString *error = nullptr) const;

    // Each row to `row` in one pass (one query: a big table is sorted once, never paged with an
    // OFFSET), ordered by work, then the work's own row (no custom id), then line; `row` returns
    // false to stop. False with *error on a read error, also for a journal older than the table
    // (hasRemoteWork() false); true when every row was given or `row` stopped.
    bool forEachRemoteWork(const RemoteWorkQuery &query, const std::function<bool(const RemoteWork &)> &row,
                           QString *error = nullptr) const;
    bool hasRemoteWork() const;

    int schemaVersion() const { return m_version; }

private:
    QString column(const char *name, int sinceVersion) const; // the name, or NULL in older files

    QString m_connection;
    int m_version = 0;
};

} // namespace gp
