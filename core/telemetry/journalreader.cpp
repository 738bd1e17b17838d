#include "core/telemetry/journalreader.h"

#include "core/telemetry/journaldatabase.h"

#include <QAtomicInteger>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

namespace gp {

namespace {

const QString kEventColumns = QStringLiteral(
    "time_ms, job_id, attempt, kind, priority, model, custom_id, request_id, http_status, error_class, "
    "delay_ms,"
    " ttfb_ms, duration_ms, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, cost_usd,"
    " req_remaining, req_limit, tok_remaining, tok_limit, reset_in_ms, message, %1, %2, run_id, id");

struct Where
{
    QStringList clauses;
    QVariantList values;

    QString sql() const
    {
        return clauses.isEmpty() ? QString() : QStringLiteral(" WHERE ") + clauses.join(u" AND ");
    }
};

QString placeholders(qsizetype n)
{
    QStringList marks;
    marks.fill(QStringLiteral("?"), n);
    return marks.join(u',');
}

QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'%', QStringLiteral("\\%"))
        .replace(u'_', QStringLiteral("\\_"));
    return u'%' + escaped + u'%';
}

// `alertId` is the alert_id column or NULL (older files): text search skips what a file lacks.
Where eventWhere(const EventQuery &query, const QString &alertId, const QString &client)
{
    Where w;
    w.clauses << QStringLiteral("time_ms >= ?") << QStringLiteral("time_ms <= ?");
    w.values << query.fromMs << query.toMs;
    if (!query.kinds.isEmpty()) {
        w.clauses << QStringLiteral("kind IN (%1)").arg(placeholders(query.kinds.size()));
        for (EventKind kind : query.kinds)
            w.values << eventKindName(kind);
    }
    if (!query.errorBuckets.isEmpty()) {
        QStringList names;
        for (int c = 0; c <= int(ErrorClass::Internal); ++c) {
            if (query.errorBuckets.contains(errorBucketOf(ErrorClass(c)))
                && ErrorClass(c) != ErrorClass::None)
                names << errorClassName(ErrorClass(c));
        }
        w.clauses << QStringLiteral("error_class IN (%1)").arg(placeholders(names.size()));
        for (const QString &name : names)
            w.values << name;
    }
    if (query.errorsOnly)
        w.clauses << QStringLiteral("error_class IS NOT NULL");
    if (!query.client.isEmpty()) {
        w.clauses << client + QStringLiteral(" = ?");
        w.values << query.client;
    }
    if (query.runId != 0) {
        w.clauses << QStringLiteral("run_id = ?");
        w.values << query.runId;
    }
    if (query.afterId > 0) {
        w.clauses << QStringLiteral("id > ?");
        w.values << query.afterId;
    }
    if (query.throughId > 0) {
        w.clauses << QStringLiteral("id <= ?");
        w.values << query.throughId;
    }
    if (!query.text.isEmpty()) {
        w.clauses << QStringLiteral(
                         "(message LIKE ?1 ESCAPE '\\' OR model LIKE ?1 ESCAPE '\\' OR custom_id LIKE ?1 "
                         "ESCAPE '\\' OR request_id LIKE ?1 ESCAPE '\\' OR %1 LIKE ?1 ESCAPE '\\')")
                         .arg(alertId)
                         .replace(QStringLiteral("?1"), QStringLiteral("?"));
        const QString pattern = likePattern(query.text);
        for (int i = 0; i < 5; ++i)
            w.values << pattern;
    }
    return w;
}

QString eventOrder(const EventQuery &query)
{
    if (query.byId)
        return query.newestFirst ? QStringLiteral(" ORDER BY id DESC") : QStringLiteral(" ORDER BY id");
    return query.newestFirst ? QStringLiteral(" ORDER BY time_ms DESC, id DESC")
                             : QStringLiteral(" ORDER BY time_ms, id");
}

qint64 intOr(const QVariant &v, qint64 fallback)
{
    return v.isNull() ? fallback : v.toLongLong();
}

std::optional<qint64> optionalInt(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<qint64>(v.toLongLong());
}

Event eventFromRow(const QSqlQuery &q)
{
    Event e;
    e.timeMs = q.value(0).toLongLong();
    e.jobId = quint64(intOr(q.value(1), 0));
    e.attempt = int(intOr(q.value(2), 0));
    e.kind = eventKindFromName(q.value(3).toString()).value_or(EventKind::Warning);
    e.priority = priorityFromName(q.value(4).toString()).value_or(Priority::Normal);
    e.model = q.value(5).toString();
    e.customId = q.value(6).toString();
    e.requestId = q.value(7).toString();
    e.httpStatus = int(intOr(q.value(8), 0));
    e.errorClass = q.value(9).isNull() ? ErrorClass::None : errorClassFromName(q.value(9).toString());
    e.delayMs = intOr(q.value(10), 0);
    e.ttfbMs = intOr(q.value(11), -1);
    e.durationMs = intOr(q.value(12), -1);
    e.usage.present = !q.value(13).isNull();
    e.usage.promptTokens = intOr(q.value(13), 0);
    e.usage.completionTokens = intOr(q.value(14), 0);
    e.usage.reasoningTokens = intOr(q.value(15), 0);
    e.usage.cachedTokens = intOr(q.value(16), 0);
    e.usage.totalTokens = e.usage.billedTokens();
    if (!q.value(17).isNull())
        e.usage.costInUsdTicks = qint64(q.value(17).toDouble() * 1e10 + 0.5);
    e.quota.requests.remaining = optionalInt(q.value(18));
    e.quota.requests.limit = optionalInt(q.value(19));
    e.quota.tokens.remaining = optionalInt(q.value(20));
    e.quota.tokens.limit = optionalInt(q.value(21));
    e.quota.requests.resetInMs = optionalInt(q.value(22));
    e.message = q.value(23).toString();
    e.alertId = q.value(24).toString();
    e.client = q.value(25).toString();
    return e;
}

JournalRequest requestFromRow(const QSqlQuery &q)
{
    JournalRequest r;
    r.runId = q.value(0).toLongLong();
    r.jobId = quint64(q.value(1).toLongLong());
    r.customId = q.value(2).toString();
    r.priority = q.value(3).toString();
    r.model = q.value(4).toString();
    r.submittedMs = intOr(q.value(5), -1);
    r.finishedMs = intOr(q.value(6), -1);
    r.outcome = q.value(7).toString();
    r.attempts = int(intOr(q.value(8), 0));
    r.ttfbMs = intOr(q.value(9), -1);
    r.latencyMs = intOr(q.value(10), -1);
    r.promptTokens = intOr(q.value(11), 0);
    r.completionTokens = intOr(q.value(12), 0);
    r.reasoningTokens = intOr(q.value(13), 0);
    r.cachedTokens = intOr(q.value(14), 0);
    if (!q.value(15).isNull())
        r.costUsd = q.value(15).toDouble();
    r.errorClass = q.value(16).toString();
    r.httpStatus = int(intOr(q.value(17), 0));
    r.errorMessage = q.value(18).toString();
    r.requestId = q.value(19).toString();
    r.client = q.value(20).toString();
    return r;
}

bool run(QSqlQuery &q, const QString &sql, const QVariantList &values, QString *error)
{
    if (!q.prepare(sql)) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (q.exec())
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

} // namespace

JournalReader::~JournalReader()
{
    close();
}

bool JournalReader::open(const QString &path, QString *error)
{
    close();
    static QAtomicInteger<quint64> counter;
    const QString name = QStringLiteral("gp-journal-reader-%1").arg(counter.fetchAndAddRelaxed(1));
    const JournalDatabase::Opened opened = JournalDatabase::open(name, path, JournalDatabase::Mode::ReadOnly);
    if (!opened.ok) {
        if (error)
            *error = opened.error;
        return false;
    }
    m_connection = name;
    m_version = opened.schemaVersion;
    return true;
}

QString JournalReader::column(const char *name, int sinceVersion) const
{
    return m_version >= sinceVersion ? QString::fromLatin1(name) : QStringLiteral("NULL");
}

void JournalReader::close()
{
    if (m_connection.isEmpty())
        return;
    QSqlDatabase::database(m_connection, false).close();
    QSqlDatabase::removeDatabase(m_connection);
    m_connection.clear();
    m_version = 0;
}

std::optional<QList<Event>> JournalReader::events(const EventQuery &query, QString *error) const
{
    const auto rows = journalEvents(query, error);
    if (!rows)
        return std::nullopt;
    QList<Event> out;
    out.reserve(rows->size());
    for (const JournalEvent &row : *rows)
        out.append(row.event);
    return out;
}

std::optional<QList<JournalEvent>> JournalReader::journalEvents(const EventQuery &query, QString *error) const
{
    if (!isOpen())
        return std::nullopt;
    const Where w = eventWhere(query, column("alert_id", 2), column("client", 3));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    const QString sql = QStringLiteral("SELECT ")
        + kEventColumns.arg(column("alert_id", 2), column("client", 3)) + QStringLiteral(" FROM events")
        + w.sql() + eventOrder(query) + QStringLiteral(" LIMIT ? OFFSET ?");
    if (!run(q, sql, w.values + QVariantList { query.limit, query.offset }, error))
        return std::nullopt;
    QList<JournalEvent> out;
    while (q.next())
        out.append(JournalEvent { q.value(27).toLongLong(), q.value(26).toLongLong(), eventFromRow(q) });
    return out;
}

std::optional<qint64> JournalReader::countEvents(const EventQuery &query, QString *error) const
{
    if (!isOpen())
        return std::nullopt;
    const Where w = eventWhere(query, column("alert_id", 2), column("client", 3));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!run(q, QStringLiteral("SELECT count(*) FROM events") + w.sql(), w.values, error) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<qint64> JournalReader::lastEventId(QString *error) const
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!run(q, QStringLiteral("SELECT coalesce(max(id), 0) FROM events"), {}, error) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<qint64> JournalReader::firstEventIdSince(qint64 fromMs, QString *error) const
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    // By the time index: one row, however long the journal.
    const QString sql
        = QStringLiteral("SELECT id FROM events WHERE time_ms >= ? ORDER BY time_ms, id LIMIT 1");
    if (!run(q, sql, { fromMs }, error))
        return std::nullopt;
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::optional<QList<JournalRequest>> JournalReader::requests(const RequestQuery &query, QString *error) const
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    Where w;
    w.clauses << QStringLiteral("coalesce(submitted_ms, finished_ms) BETWEEN ? AND ?");
    w.values << query.fromMs << query.toMs;
    if (query.failedOnly)
        w.clauses << QStringLiteral("outcome IS NOT NULL AND outcome <> 'succeeded'");
    if (!query.client.isEmpty()) {
        w.clauses << column("client", 3) + QStringLiteral(" = ?");
        w.values << query.client;
    }
    if (query.runId != 0) {
        w.clauses << QStringLiteral("run_id = ?");
        w.values << query.runId;
    }
    const QString sql
        = QStringLiteral(
              "SELECT run_id, job_id, custom_id, priority, model, submitted_ms, finished_ms, outcome,"
              " attempts, ttfb_ms, latency_ms, prompt_tokens, completion_tokens, reasoning_tokens,"
              " cached_tokens, cost_usd, error_class, http_status, error_message, %1, %2 FROM requests")
              .arg(column("request_id", 2), column("client", 3))
        + w.sql()
        + QStringLiteral(" ORDER BY coalesce(submitted_ms, finished_ms), run_id, job_id LIMIT ? OFFSET ?");
    if (!run(q, sql, w.values + QVariantList { query.limit, query.offset }, error))
        return std::nullopt;
    QList<JournalRequest> out;
    while (q.next())
        out.append(requestFromRow(q));
    return out;
}

std::optional<QSet<QString>> JournalReader::succeededCustomIds(QString *error) const
{
    if (!isOpen())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!run(q,
             QStringLiteral("SELECT DISTINCT custom_id FROM requests WHERE outcome = 'succeeded' AND "
                            "custom_id IS NOT NULL"),
             {}, error))
        return std::nullopt;
    QSet<QString> ids;
    while (q.next())
        ids.insert(q.value(0).toString());
    return ids;
}

} // namespace gp
