#pragma once

#include "core/events/event.h"

#include <QIODevice>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <optional>

namespace gp {

class JournalReader;
struct JournalEvent;
struct JournalRequest;

// Streams journal rows as CSV (RFC 4180: header row, CRLF, fields with comma, quote,
// CR or LF quoted, quotes doubled) or JSONL (one object per line). Times are ISO 8601
// UTC with milliseconds. Pages through the journal, so memory stays flat on big files.
// Shared by `grokpulse export` and the console's Export… button.
class JournalExporter final
{
public:
    // errors: every event carrying an error class; remote: the remote_work rows (batch --via work
    // left at the server: the whole work's row and one per input line), on their first record's time.
    enum class What { Errors, Requests, Events, Remote };
    enum class Format { Csv, Jsonl };

    struct Options
    {
        What what = What::Events;
        Format format = Format::Csv;
        std::optional<qint64> sinceMs;
        std::optional<qint64> untilMs;
    };
    // Which rows, beyond Options' time range; empty fields keep every row. errorBuckets, text and
    // keep apply to events and errors only: the classes, a substring as EventQuery::text, and a
    // last say per event (with its row id and run). keepRequest is the last say per request row.
    // runId applies to every export (remote: the rows of the work the run started and those it
    // wrote last); client to every export but remote (whose rows have no client: refused).
    struct Filter
    {
        QList<ErrorBucket> errorBuckets;
        QString text;
        std::function<bool(const JournalEvent &)> keep;
        std::function<bool(const JournalRequest &)> keepRequest;
        QString client; // only this gateway client's rows
        qint64 runId = 0; // only this run's rows (the run_id column); 0: any
    };

    // Rows written, or nullopt with *error.
    static std::optional<qint64> run(const JournalReader &reader, const Options &options, QIODevice &out,
                                     QString *error = nullptr);
    static std::optional<qint64> run(const JournalReader &reader, const Options &options,
                                     const Filter &filter, QIODevice &out, QString *error = nullptr);

    // Why `what` cannot be exported from this reader with this filter (remote from a journal older
    // than its table, or with a client); empty when it can. run() refuses with the same sentence.
    static QString unavailable(const JournalReader &reader, What what, const Filter &filter);

    static std::optional<What> parseWhat(const QString &text);
    static std::optional<Format> parseFormat(const QString &text);
    // "90s", "30m", "1h", "2d" (before nowMs), or an ISO 8601 date-time ("2026-11-20T10:00",
    // UTC unless it names an offset), or a date ("2026-11-20").
    static std::optional<qint64> parseTime(const QString &text, qint64 nowMs);
    static QString isoTime(qint64 ms); // "2026-11-20T10:00:00.000Z"
    static QString csvField(const QString &text);

    static QStringList columns(What what);
};

} // namespace gp
