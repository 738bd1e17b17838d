#include "core/telemetry/journalwriter.h"

#include "core/policy/secretscrubber.h"

#include <QDateTime>
#include <QMetaObject>
#include <QSqlDatabase>
#include <QSqlDriver>
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
    " reset_in_ms, message, alert_id, client) VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");

const QString kUpsertRequest = QStringLiteral(
    "INSERT INTO requests (run_id, job_id, custom_id, priority, model, submitted_ms, finished_ms, outcome,"
    " attempts, ttfb_ms, latency_ms, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens,"
    " cost_usd, error_class, http_status, error_message, request_id, client)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
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
    " request_id = coalesce(excluded.request_id, request_id), client = coalesce(client, excluded.client)");

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
    const QVariant handle = QSqlDatabase::database(m_connection, false).driver()->handle();
    sqlite3 *raw = qstrcmp(handle.typeName(), "sqlite3*") == 0
        ? *static_cast<sqlite3 *const *>(handle.constData())
        : nullptr;
    QString error;
    if (!m_insertEvent.prepare(raw, kInsertEvent, &error)
        || !m_upsertRequest.prepare(raw, kUpsertRequest, &error)) {
        opened.ok = false;
        opened.error = QStringLiteral("cannot prepare journal statements: ") + error;
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
    m_insertEvent.finalize();
    m_upsertRequest.finalize();
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
    SqliteStatement &q = m_insertEvent;
    const auto positive = [](qint64 v) { return v > 0 ? std::optional<qint64>(v) : std::nullopt; };
    const auto nonNegative = [](qint64 v) { return v >= 0 ? std::optional<qint64>(v) : std::nullopt; };
    const auto usage = [&e](qint64 v) { return e.usage.present ? std::optional<qint64>(v) : std::nullopt; };
    q.bind(1, m_runId);
    q.bind(2, e.timeMs);
    q.bind(3, positive(qint64(e.jobId)));
    q.bind(4, positive(e.attempt));
    q.bindText(5, eventKindName(e.kind));
    q.bindText(6, priorityName(e.priority));
    q.bindText(7, SecretScrubber::scrub(e.model));
    q.bindText(8, SecretScrubber::scrub(e.customId));
    q.bindText(9, SecretScrubber::scrub(e.requestId));
    q.bind(10, positive(e.httpStatus));
    q.bindText(11, e.errorClass == ErrorClass::None ? QString() : errorClassName(e.errorClass));
    q.bind(12, positive(e.delayMs));
    q.bind(13, nonNegative(e.ttfbMs));
    q.bind(14, nonNegative(e.durationMs));
    q.bind(15, usage(e.usage.promptTokens));
    q.bind(16, usage(e.usage.completionTokens));
    q.bind(17, usage(e.usage.reasoningTokens));
    q.bind(18, usage(e.usage.cachedTokens));
    q.bind(19, e.usage.costUsd());
    q.bind(20, e.quota.requests.remaining);
    q.bind(21, e.quota.requests.limit);
    q.bind(22, e.quota.tokens.remaining);
    q.bind(23, e.quota.tokens.limit);
    q.bind(24, soonestReset(e.quota));
    q.bindText(25, SecretScrubber::scrub(e.message));
    q.bindText(26, SecretScrubber::scrub(e.alertId));
    q.bindText(27, SecretScrubber::scrub(e.client));
    return q.exec(error);
}

bool JournalWriter::writeRequest(const Event &e, QString *error)
{
    const bool terminal = isTerminal(e.kind);
    if (e.jobId == 0 || !(terminal || e.kind == EventKind::Submitted || e.kind == EventKind::AttemptFinished))
        return true;
    const bool submitted = e.kind == EventKind::Submitted;
    const auto when
        = [](bool condition, qint64 v) { return condition ? std::optional<qint64>(v) : std::nullopt; };
    const bool usage = terminal && e.usage.present;
    SqliteStatement &q = m_upsertRequest;
    q.bind(1, m_runId);
    q.bind(2, qint64(e.jobId));
    q.bindText(3, SecretScrubber::scrub(e.customId));
    q.bindText(4, submitted ? priorityName(e.priority) : QString());
    q.bindText(5, SecretScrubber::scrub(e.model));
    q.bind(6, when(submitted, e.timeMs));
    q.bind(7, when(terminal, e.timeMs));
    q.bindText(8, terminal ? eventKindName(e.kind) : QString());
    q.bind(9, when(e.attempt > 0, e.attempt));
    q.bind(10, when(e.kind == EventKind::AttemptFinished && e.ttfbMs >= 0, e.ttfbMs));
    q.bind(11, when(terminal && e.durationMs >= 0, e.durationMs));
    q.bind(12, when(usage, e.usage.promptTokens));
    q.bind(13, when(usage, e.usage.completionTokens));
    q.bind(14, when(usage, e.usage.reasoningTokens));
    q.bind(15, when(usage, e.usage.cachedTokens));
    q.bind(16, terminal ? e.usage.costUsd() : std::nullopt);
    // Terminal rows always overwrite the error columns: '' (not NULL) means "no error".
    if (terminal) {
        q.bindText(17, e.errorClass == ErrorClass::None ? QString() : errorClassName(e.errorClass), false);
        q.bindText(19, SecretScrubber::scrub(e.message), false);
    }
    q.bind(18, when(terminal && e.httpStatus > 0, e.httpStatus));
    q.bindText(20, SecretScrubber::scrub(e.requestId));
    q.bindText(21, SecretScrubber::scrub(e.client));
    return q.exec(error);
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
    qint64 remoteDeleted = 0; // work recorded by batch --via runs (a batch lasts at most a day or so)
    if (m_config.retentionDays > 0) {
        const qint64 cutoff = nowMs - qint64(m_config.retentionDays) * 86'400'000;
        r.ok = deleteRows(QStringLiteral("DELETE FROM events WHERE time_ms < ?"), cutoff, &r.deletedEvents,
                          &r.error)
            && deleteRows(
                   QStringLiteral("DELETE FROM requests WHERE coalesce(finished_ms, submitted_ms) < ?"),
                   cutoff, &r.deletedRequests, &r.error)
            && deleteRows(QStringLiteral("DELETE FROM remote_work WHERE updated_ms < ?"), cutoff,
                          &remoteDeleted, &r.error);
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
