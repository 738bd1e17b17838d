#pragma once

#include "core/events/event.h"
#include "core/policy/errorclass.h"

#include <QList>
#include <QSet>
#include <QString>

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
};

struct RequestQuery
{
    qint64 fromMs = std::numeric_limits<qint64>::min(); // on submission time
    qint64 toMs = std::numeric_limits<qint64>::max();
    bool failedOnly = false;
    int limit = 500;
    int offset = 0;
};

// Reads the journal on its own read-only connection (WAL: never blocks the writer).
// Use it on one thread.
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
    std::optional<qint64> countEvents(const EventQuery &query, QString *error = nullptr) const;
    std::optional<QList<JournalRequest>> requests(const RequestQuery &query, QString *error = nullptr) const;
    // Custom ids of requests that succeeded in any run: batch --resume skips them.
    std::optional<QSet<QString>> succeededCustomIds(QString *error = nullptr) const;

private:
    QString m_connection;
};

} // namespace gp
