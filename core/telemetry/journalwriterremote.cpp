#include "core/telemetry/journalwriter.h"

#include "core/policy/secretscrubber.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace gp {

namespace {

const QString kUpsertRemoteWork = QStringLiteral(
    "INSERT INTO remote_work (work_id, run_id, via, input_path, output_path, batch_id, request_id, custom_id,"
    " line, state, created_ms, updated_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT (work_id, custom_id) DO UPDATE SET run_id = excluded.run_id,"
    " batch_id = coalesce(excluded.batch_id, batch_id), request_id = coalesce(excluded.request_id, "
    "request_id),"
    " line = coalesce(excluded.line, line), state = excluded.state, updated_ms = excluded.updated_ms");

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(SecretScrubber::scrub(text));
}

} // namespace

bool JournalWriter::writeRemoteWork(const QList<RemoteWork> &rows, QString *error)
{
    if (!m_open) {
        *error = QStringLiteral("the journal is not open");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery q(db);
    bool ok = q.prepare(kUpsertRemoteWork);
    for (qsizetype i = 0; ok && i < rows.size(); ++i) {
        const RemoteWork &w = rows.at(i);
        const QVariantList values { w.workId,
                                    w.runId,
                                    w.via,
                                    textOrNull(w.inputPath),
                                    w.outputPath,
                                    textOrNull(w.batchId),
                                    textOrNull(w.requestId),
                                    w.customId.isEmpty() ? QStringLiteral("")
                                                         : SecretScrubber::scrub(w.customId),
                                    w.line > 0 ? QVariant(w.line) : QVariant(QMetaType(QMetaType::LongLong)),
                                    w.state,
                                    w.createdMs,
                                    w.updatedMs };
        for (int v = 0; v < values.size(); ++v)
            q.bindValue(v, values.at(v));
        ok = q.exec();
    }
    if (ok && db.commit())
        return true;
    *error = ok ? db.lastError().text() : q.lastError().text();
    db.rollback();
    return false;
}

} // namespace gp
