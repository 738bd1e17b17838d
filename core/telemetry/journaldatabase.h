#pragma once

#include <QSqlDatabase>
#include <QString>

namespace gp {

// Opens (creating or migrating) the journal's SQLite file on one named connection.
// Schema versions live in PRAGMA user_version:
//   1: events + requests;  2: adds events.alert_id and requests.request_id;
//   3: adds events.client and requests.client;  4: adds remote_work (work left running at the server
//   by batch --via: batch ids, deferred request ids; core/telemetry/remotework.h).
// Opening read-write migrates an older file; read-only reads any version up to this one as it is.
class JournalDatabase final
{
public:
    static constexpr int kSchemaVersion = 4;
    static constexpr int kRemoteWorkSince = 4; // the first version with the remote_work table

    enum class Mode { ReadWrite, ReadOnly };
    struct Opened
    {
        bool ok = false;
        QString error; // why it failed, one sentence, when !ok
        QString corruptMovedTo; // non-empty: a corrupt file was renamed aside and a new one started
        int schemaVersion = kSchemaVersion; // ReadOnly: the file's version (read-write files are migrated)
    };

    // Creates the folder when needed. A file that is not a database is renamed to
    // <path>.corrupt-<yyyyMMddTHHmmss> and a new journal started (ReadWrite only).
    static Opened open(const QString &connectionName, const QString &path, Mode mode,
                       qint64 hardLimitBytes = 0);
    // Schema statements of version 1 (kept for migration tests and old files).
    static bool createVersion1(QSqlDatabase &db, QString *error);
    // The schema exactly as version `version` (1 .. kSchemaVersion) created it, for old-file tests.
    static bool createVersion(QSqlDatabase &db, int version, QString *error);

private:
    static Opened openOnce(const QString &connectionName, const QString &path, Mode mode,
                           qint64 hardLimitBytes, bool *corrupt);
    static bool prepareSchema(QSqlDatabase &db, QString *error);
    static bool migrate(QSqlDatabase &db, int from, QString *error);
};

} // namespace gp
