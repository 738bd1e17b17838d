#include "core/telemetry/journalwriter.h"

#include "core/telemetry/secretscrubber.h"

#include <QDateTime>
#include <QMetaObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

namespace gp {

namespace {

const QString kInsertEvent = QStringLiteral(
    "INSERT INTO events (run_id, time_ms, job_id, attempt, kind, priority, model, custom_id, request_id,"
    " http_status, error_class, delay_ms, ttfb_ms, duration_ms, prompt_tokens, completion_tokens,"
    " reasoning_tokens, cached_tokens, cost_usd, req_remaining, req_limit, tok_remaining, tok_limit,"
    " reset_in_ms, message, alert_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");

const QString kUpsertRequest = QStringLiteral(
    "INSERT INTO requests (run_id, job_id, custom_id, priority, model, submitted_ms, finished_ms, outcome,"
    " attempts, ttfb_ms, latency_ms, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens,"
    " cost_usd, error_class, http_status, error_message, request_id)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT (run_id, job_id) DO UPDATE SET custom_id = coalesce(excluded.custom_id, custom_id),"
    " priority = coalesce(priority, excluded.priority), model = coalesce(excluded.model, model),"
    " submitted_ms = coalesce(submitted_ms, excluded.submitted_ms),"
    " finished_ms = coalesce(excluded.finished_ms, finished_ms), outcome = coalesce(excluded.outcome, "
    "outcome),"
    " attempts = max(coalesce(attempts, 0), coalesce(excluded.attempts, 0)),"
    " ttfb_ms = coalesce(excluded.ttfb_ms, ttfb_ms), latency_ms = coalesce(excluded.latency_ms, latency_ms),"
    " prompt_tokens = coalesce(excluded.prompt_tokens, prompt_tokens),"
    " completion_tokens = coalesce(excluded.completion_tokens, completion_tokens),"
    " reasoning_tokens = coalesce(excluded.reasoning_tokens, reasoning_tokens),"
    " cached_tokens = coalesce(excluded.cached_tokens, cached_tokens),"
    " cost_usd = coalesce(excluded.cost_usd, cost_usd), error_class = coalesce(excluded.error_class, "
    "error_class),"
    " http_status = coalesce(excluded.http_status, http_status),"
    " error_message = coalesce(excluded.error_message, error_message),"
    " request_id = coalesce(excluded.request_id, request_id)");

QVariant text(const QString &value)
{
    return value.isEmpty() ? QVariant() : QVariant(SecretScrubber::scrub(value));
}

QVariant optional(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant();
}

QVariant nonNegative(qint64 value)
{
    return value >= 0 ? QVariant(value) : QVariant();
}

std::optional<qint64> soonestReset(const QuotaSnapshot &q)
{
    if (q.requests.resetInMs && q.tokens.resetInMs)
        return std::min(*q.requests.resetInMs, *q.tokens.resetInMs);
    return q.requests.resetInMs ? q.requests.resetInMs : q.tokens.resetInMs;
}

} // namespace

JournalWriter::JournalWriter(const JournalConfig &config, qint64 runId)
    : m_config(config)
    , m_runId(runId)
    , m_connection(QStringLiteral("gp-journal-writer-%1").arg(quintptr(this), 0, 16))
{ }

JournalWriter::~JournalWriter()
{
    close();
}

bool JournalWriter::enqueue(const Event &event)
{
    {
        QMutexLocker lock(&m_mutex);
        if (int(m_queue.size()) >= m_config.maxQueuedEvents) {
            ++m_droppedSinceReport;
            ++m_droppedTotal;
            return false;
        }
        m_queue.push_back(event);
        if (int(m_queue.size()) < m_config.batchSize)
            return true;
    }
    scheduleFlush();
    return true;
}

void JournalWriter::scheduleFlush()
{
    if (m_flushPosted.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this, [this] { flush(); }, Qt::QueuedConnection);
}

JournalDatabase::Opened JournalWriter::open()
{
    JournalDatabase::Opened opened = JournalDatabase::open(
        m_connection, m_config.path, JournalDatabase::Mode::ReadWrite, m_config.hardLimitBytes);
    if (!opened.ok)
        return opened;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    m_insertEvent = std::make_unique<QSqlQuery>(db);
    m_upsertRequest = std::make_unique<QSqlQuery>(db);
    if (!m_insertEvent->prepare(kInsertEvent) || !m_upsertRequest->prepare(kUpsertRequest)) {
        opened.ok = false;
        opened.error = QStringLiteral("cannot prepare journal statements: ") + db.lastError().text();
        close();
        return opened;
    }
    m_open = true;
    m_flushTimer = new QTimer(this);
    connect(m_flushTimer, &QTimer::timeout, this, [this] { flush(); });
    m_flushTimer->start(std::max(1, m_config.flushIntervalMs));
    m_rotateTimer = new QTimer(this);
    connect(m_rotateTimer, &QTimer::timeout, this, [this] { rotate(QDateTime::currentMSecsSinceEpoch()); });
    m_rotateTimer->start(int(std::clamp<qint64>(m_config.rotateIntervalMs, 1000, 24 * 3'600'000)));
    if (!opened.corruptMovedTo.isEmpty())
        reportWarning(
            QStringLiteral("The journal file was not a readable database; it was moved to %1 and a new "
                           "journal started.")
                .arg(opened.corruptMovedTo));
    rotate(QDateTime::currentMSecsSinceEpoch());
    return opened;
}

void JournalWriter::close()
{
    if (m_flushTimer)
        m_flushTimer->stop();
    if (m_rotateTimer)
        m_rotateTimer->stop();
    if (m_open)
        flush();
    m_insertEvent.reset();
    m_upsertRequest.reset();
    m_open = false;
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

void JournalWriter::reportWarning(const QString &message)
{
    Event e;
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.kind = EventKind::Warning;
    e.message = message;
    enqueue(e);
    Q_EMIT warning(e);
}

bool JournalWriter::flush(QString *error)
{
    m_flushPosted.store(false);
    std::vector<Event> batch;
    quint64 dropped = 0;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_queue);
        std::swap(dropped, m_droppedSinceReport);
    }
    if (dropped > 0)
        reportWarning(
            QStringLiteral("The journal dropped %1 events: the disk could not keep up.").arg(dropped));
    if (batch.empty() || !m_open)
        return m_open;
    QString failure;
    if (writeBatch(batch, &failure)) {
        m_lastFailure.clear();
        return true;
    }
    failure = QStringLiteral("journal write failed, %1 events lost: %2").arg(batch.size()).arg(failure);
    if (error)
        *error = failure;
    if (failure != m_lastFailure) // one report per distinct failure, not one per batch
        Q_EMIT writeFailed(failure);
    m_lastFailure = failure;
    return false;
}

bool JournalWriter::writeBatch(const std::vector<Event> &batch, QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    for (const Event &event : batch) {
        if (!writeEvent(event, error) || !writeRequest(event, error)) {
            db.rollback();
            return false;
        }
    }
    if (db.commit())
        return true;
    *error = db.lastError().text();
    db.rollback();
    return false;
}

bool JournalWriter::writeEvent(const Event &e, QString *error)
{
    QSqlQuery &q = *m_insertEvent;
    const QVariantList values { m_runId,
                                e.timeMs,
                                e.jobId ? QVariant(qint64(e.jobId)) : QVariant(),
                                e.attempt ? QVariant(e.attempt) : QVariant(),
                                eventKindName(e.kind),
                                priorityName(e.priority),
                                text(e.model),
                                text(e.customId),
                                text(e.requestId),
                                e.httpStatus ? QVariant(e.httpStatus) : QVariant(),
                                e.errorClass == ErrorClass::None ? QVariant()
                                                                 : QVariant(errorClassName(e.errorClass)),
                                e.delayMs ? QVariant(e.delayMs) : QVariant(),
                                nonNegative(e.ttfbMs),
                                nonNegative(e.durationMs),
                                e.usage.present ? QVariant(e.usage.promptTokens) : QVariant(),
                                e.usage.present ? QVariant(e.usage.completionTokens) : QVariant(),
                                e.usage.present ? QVariant(e.usage.reasoningTokens) : QVariant(),
                                e.usage.present ? QVariant(e.usage.cachedTokens) : QVariant(),
                                e.usage.costUsd() ? QVariant(*e.usage.costUsd()) : QVariant(),
                                optional(e.quota.requests.remaining),
                                optional(e.quota.requests.limit),
                                optional(e.quota.tokens.remaining),
                                optional(e.quota.tokens.limit),
                                optional(soonestReset(e.quota)),
                                text(e.message),
                                text(e.alertId) };
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values[i]);
    if (q.exec())
        return true;
    *error = q.lastError().text();
    return false;
}

bool JournalWriter::writeRequest(const Event &e, QString *error)
{
    const bool terminal = isTerminal(e.kind);
    if (e.jobId == 0 || !(terminal || e.kind == EventKind::Submitted || e.kind == EventKind::AttemptFinished))
        return true;
    const bool submitted = e.kind == EventKind::Submitted;
    const bool usage = terminal && e.usage.present;
    const QVariant none;
    const QVariantList values {
        m_runId,
        qint64(e.jobId),
        text(e.customId),
        submitted ? QVariant(priorityName(e.priority)) : none,
        text(e.model),
        submitted ? QVariant(e.timeMs) : none,
        terminal ? QVariant(e.timeMs) : none,
        terminal ? QVariant(eventKindName(e.kind)) : none,
        e.attempt > 0 ? QVariant(e.attempt) : none,
        e.kind == EventKind::AttemptFinished ? nonNegative(e.ttfbMs) : none,
        terminal ? nonNegative(e.durationMs) : none,
        usage ? QVariant(e.usage.promptTokens) : none,
        usage ? QVariant(e.usage.completionTokens) : none,
        usage ? QVariant(e.usage.reasoningTokens) : none,
        usage ? QVariant(e.usage.cachedTokens) : none,
        terminal && e.usage.costUsd() ? QVariant(*e.usage.costUsd()) : none,
        terminal ? QVariant(e.errorClass == ErrorClass::None ? QString() : errorClassName(e.errorClass))
                 : none,
        terminal && e.httpStatus ? QVariant(e.httpStatus) : none,
        terminal ? QVariant(SecretScrubber::scrub(e.message)) : none,
        text(e.requestId)
    };
    QSqlQuery &q = *m_upsertRequest;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values[i]);
    if (q.exec())
        return true;
    *error = q.lastError().text();
    return false;
}

bool JournalWriter::deleteRows(const QString &sql, const QVariant &bound, qint64 *deleted, QString *error)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(sql);
    q.addBindValue(bound);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    *deleted += q.numRowsAffected();
    return true;
}

qint64 JournalWriter::usedBytes()
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral(
            "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM "
            "pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())"))
        || !q.next())
        return 0;
    return q.value(0).toLongLong() * q.value(1).toLongLong();
}

void JournalWriter::reclaimFreePages()
{
    // Through Qt, each incremental_vacuum run gives back a single page: repeat, in one transaction.
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery freeList(db);
    QSqlQuery vacuum(db);
    if (!freeList.prepare(QStringLiteral("PRAGMA freelist_count")) || !db.transaction())
        return;
    for (int i = 0; i < 1'000'000; ++i) {
        if (!freeList.exec() || !freeList.next() || freeList.value(0).toLongLong() <= 0)
            break;
        freeList.finish();
        if (!vacuum.exec(QStringLiteral("PRAGMA incremental_vacuum")))
            break;
        vacuum.finish(); // an unfinished pragma would block the commit
    }
    freeList.finish();
    vacuum.finish();
    if (!db.commit())
        db.rollback();
}

JournalRotation JournalWriter::rotate(qint64 nowMs)
{
    JournalRotation r;
    if (!m_open)
        return { false, 0, 0, QStringLiteral("the journal is not open") };
    flush();
    if (m_config.retentionDays > 0) {
        const qint64 cutoff = nowMs - qint64(m_config.retentionDays) * 86'400'000;
        r.ok = deleteRows(QStringLiteral("DELETE FROM events WHERE time_ms < ?"), cutoff, &r.deletedEvents,
                          &r.error)
            && deleteRows(
                   QStringLiteral("DELETE FROM requests WHERE coalesce(finished_ms, submitted_ms) < ?"),
                   cutoff, &r.deletedRequests, &r.error);
    }
    // Over the size cap: drop the oldest tenth of each table until under it (bounded loop).
    for (int round = 0;
         r.ok && m_config.maxSizeBytes > 0 && round < 40 && usedBytes() > m_config.maxSizeBytes; ++round) {
        const qint64 before = r.deletedEvents + r.deletedRequests;
        r.ok = deleteRows(
                   QStringLiteral("DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT "
                                  "(SELECT count(*) / 10 + 1 FROM events) * ?)"),
                   1, &r.deletedEvents, &r.error)
            && deleteRows(
                   QStringLiteral("DELETE FROM requests WHERE rowid IN (SELECT rowid FROM requests ORDER BY "
                                  "submitted_ms LIMIT (SELECT count(*) / 10 + 1 FROM requests) * ?)"),
                   1, &r.deletedRequests, &r.error);
        if (r.deletedEvents + r.deletedRequests == before)
            break;
    }
    if (r.ok && r.deletedEvents + r.deletedRequests > 0) {
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        reclaimFreePages();
        q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
        reportWarning(
            QStringLiteral("Journal rotated: deleted %1 events and %2 requests (older than %3 days or over "
                           "%4 MB).")
                .arg(r.deletedEvents)
                .arg(r.deletedRequests)
                .arg(m_config.retentionDays)
                .arg(m_config.maxSizeBytes >> 20));
    }
    if (!r.ok)
        Q_EMIT writeFailed(QStringLiteral("journal rotation failed: ") + r.error);
    return r;
}

} // namespace gp
