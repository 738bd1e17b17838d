#include "core/telemetry/journaldatabase.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>

namespace gp {

namespace {

const char16_t *const kVersion1[] = {
    u"CREATE TABLE events (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, time_ms INTEGER NOT NULL,"
    u" job_id INTEGER, attempt INTEGER, kind TEXT NOT NULL, priority TEXT, model TEXT, custom_id TEXT,"
    u" request_id TEXT, http_status INTEGER, error_class TEXT, delay_ms INTEGER, ttfb_ms INTEGER,"
    u" duration_ms INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER, reasoning_tokens INTEGER,"
    u" cached_tokens INTEGER, cost_usd REAL, req_remaining INTEGER, req_limit INTEGER, tok_remaining INTEGER,"
    u" tok_limit INTEGER, reset_in_ms INTEGER, message TEXT)",
    u"CREATE INDEX events_time ON events(time_ms)",
    u"CREATE INDEX events_kind ON events(kind, time_ms)",
    u"CREATE TABLE requests (run_id INTEGER NOT NULL, job_id INTEGER NOT NULL, custom_id TEXT, priority TEXT,"
    u" model TEXT, submitted_ms INTEGER, finished_ms INTEGER, outcome TEXT, attempts INTEGER DEFAULT 0,"
    u" ttfb_ms INTEGER, latency_ms INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER,"
    u" reasoning_tokens INTEGER, cached_tokens INTEGER, cost_usd REAL, error_class TEXT, http_status INTEGER,"
    u" error_message TEXT, PRIMARY KEY (run_id, job_id))",
    u"CREATE INDEX requests_custom ON requests(custom_id)",
    u"CREATE INDEX requests_time ON requests(submitted_ms)",
};

const char16_t *const kVersion2[] = {
    u"ALTER TABLE events ADD COLUMN alert_id TEXT",
    u"ALTER TABLE requests ADD COLUMN request_id TEXT",
};

const char16_t *const kVersion3[] = {
    u"ALTER TABLE events ADD COLUMN client TEXT",
    u"ALTER TABLE requests ADD COLUMN client TEXT",
};

const char16_t *const kVersion4[] = {
    u"CREATE TABLE remote_work (work_id INTEGER NOT NULL, run_id INTEGER NOT NULL, via TEXT NOT NULL,"
    u" input_path TEXT, output_path TEXT NOT NULL, batch_id TEXT, request_id TEXT, custom_id TEXT NOT NULL"
    u" DEFAULT '', line INTEGER, state TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT "
    u"NULL,"
    u" PRIMARY KEY (work_id, custom_id))",
    u"CREATE INDEX remote_work_output ON remote_work(output_path, work_id)",
};

bool exec(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

template<size_t N> bool execAll(QSqlDatabase &db, const char16_t *const (&statements)[N], QString *error)
{
    for (const char16_t *sql : statements) {
        if (!exec(db, QString::fromUtf16(sql), error))
            return false;
    }
    return true;
}

QVariant scalar(QSqlDatabase &db, const QString &sql, QSqlError *error)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next()) {
        *error = q.lastError();
        return {};
    }
    return q.value(0);
}

bool isCorruptCode(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    return code == u"26" || code == u"11"; // SQLITE_NOTADB, SQLITE_CORRUPT
}

} // namespace

bool JournalDatabase::createVersion1(QSqlDatabase &db, QString *error)
{
    return createVersion(db, 1, error);
}

bool JournalDatabase::createVersion(QSqlDatabase &db, int version, QString *error)
{
    bool ok = version >= 1 && version <= kSchemaVersion && execAll(db, kVersion1, error);
    if (ok && version >= 2)
        ok = execAll(db, kVersion2, error);
    if (ok && version >= 3)
        ok = execAll(db, kVersion3, error);
    if (ok && version >= 4)
        ok = execAll(db, kVersion4, error);
    return ok && exec(db, QStringLiteral("PRAGMA user_version = %1").arg(version), error);
}

bool JournalDatabase::migrate(QSqlDatabase &db, int from, QString *error)
{
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    bool ok = true;
    if (from < 1)
        ok = execAll(db, kVersion1, error);
    if (ok && from < 2)
        ok = execAll(db, kVersion2, error);
    if (ok && from < 3)
        ok = execAll(db, kVersion3, error);
    if (ok && from < 4)
        ok = execAll(db, kVersion4, error);
    ok = ok && exec(db, QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion), error);
    if (ok && db.commit())
        return true;
    if (ok)
        *error = db.lastError().text();
    db.rollback();
    return false;
}

bool JournalDatabase::prepareSchema(QSqlDatabase &db, QString *error)
{
    QSqlError sqlError;
    const int version = scalar(db, QStringLiteral("PRAGMA user_version"), &sqlError).toInt();
    if (version > kSchemaVersion) {
        *error
            = QStringLiteral("the journal has schema version %1, newer than this GrokPulse understands (%2);"
                             " use a newer GrokPulse or another --journal file")
                  .arg(version)
                  .arg(kSchemaVersion);
        return false;
    }
    if (version == 0) {
        const int tables
            = scalar(db, QStringLiteral("SELECT count(*) FROM sqlite_master"), &sqlError).toInt();
        if (tables > 0) {
            *error = QStringLiteral("the file is an SQLite database but not a GrokPulse journal");
            return false;
        }
        // Must precede the first table, so deleted rows can later be given back to the disk.
        exec(db, QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"), nullptr);
    }
    if (version < kSchemaVersion && !migrate(db, version, error)) {
        *error = QStringLiteral("cannot migrate the journal from schema version %1 to %2: %3")
                     .arg(version)
                     .arg(kSchemaVersion)
                     .arg(*error);
        return false;
    }
    const QString mode = scalar(db, QStringLiteral("PRAGMA journal_mode = WAL"), &sqlError).toString();
    if (mode.compare(u"wal", Qt::CaseInsensitive) != 0) {
        *error = QStringLiteral("cannot switch the journal to WAL mode: ") + sqlError.text();
        return false;
    }
    return exec(db, QStringLiteral("PRAGMA synchronous = NORMAL"), error);
}

JournalDatabase::Opened JournalDatabase::openOnce(const QString &connectionName, const QString &path,
                                                  Mode mode, qint64 hardLimitBytes, bool *corrupt)
{
    Opened result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(mode == Mode::ReadOnly
                                 ? QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000")
                                 : QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        QSqlError sqlError;
        if (!db.open()) {
            result.error = QStringLiteral("cannot open the journal %1: %2").arg(path, db.lastError().text());
        } else if (scalar(db, QStringLiteral("SELECT count(*) FROM sqlite_master"), &sqlError).isNull()) {
            *corrupt = isCorruptCode(sqlError);
            result.error = QStringLiteral("cannot read the journal %1: %2").arg(path, sqlError.text());
        } else if (mode == Mode::ReadWrite) {
            result.ok = prepareSchema(db, &result.error);
            if (result.ok && hardLimitBytes > 0) {
                const qint64 pageSize
                    = scalar(db, QStringLiteral("PRAGMA page_size"), &sqlError).toLongLong();
                exec(db,
                     QStringLiteral("PRAGMA max_page_count = %1")
                         .arg(hardLimitBytes / std::max<qint64>(pageSize, 512)),
                     nullptr);
            }
            if (!result.ok)
                result.error = QStringLiteral("journal %1: %2").arg(path, result.error);
        } else {
            // Read-only: an older journal is read as it is (the columns it lacks read as empty).
            const int version = scalar(db, QStringLiteral("PRAGMA user_version"), &sqlError).toInt();
            result.ok = version >= 1 && version <= kSchemaVersion;
            result.schemaVersion = version;
            if (!result.ok)
                result.error
                    = QStringLiteral("journal %1 has schema version %2, this GrokPulse reads versions "
                                     "1 to %3%4")
                          .arg(path)
                          .arg(version)
                          .arg(kSchemaVersion)
                          .arg(version > kSchemaVersion ? QStringLiteral(": use a newer GrokPulse")
                                                        : QString());
        }
        if (!result.ok)
            db.close();
    }
    if (!result.ok)
        QSqlDatabase::removeDatabase(connectionName);
    return result;
}

JournalDatabase::Opened JournalDatabase::open(const QString &connectionName, const QString &path, Mode mode,
                                              qint64 hardLimitBytes)
{
    const QFileInfo info(path);
    if (mode == Mode::ReadOnly && !info.exists())
        return { false, QStringLiteral("journal not found: %1").arg(path), {}, 0 };
    if (mode == Mode::ReadWrite && !QDir().mkpath(info.absolutePath()))
        return {
            false, QStringLiteral("cannot create the journal folder %1").arg(info.absolutePath()), {}, 0
        };
    bool corrupt = false;
    Opened result = openOnce(connectionName, path, mode, hardLimitBytes, &corrupt);
    if (result.ok || !corrupt || mode == Mode::ReadOnly)
        return result;
    const QString aside = path + QStringLiteral(".corrupt-")
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmsszzz"));
    if (!QFile::rename(path, aside))
        return {
            false, QStringLiteral("the journal %1 is corrupt and cannot be moved aside").arg(path), {}, 0
        };
    for (const QString &suffix : { QStringLiteral("-wal"), QStringLiteral("-shm") }) {
        if (QFile::exists(path + suffix))
            QFile::rename(path + suffix, aside + suffix);
    }
    result = openOnce(connectionName, path, mode, hardLimitBytes, &corrupt);
    if (result.ok)
        result.corruptMovedTo = aside;
    return result;
}

} // namespace gp
