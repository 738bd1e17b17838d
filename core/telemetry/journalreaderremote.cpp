#include "core/telemetry/journaldatabase.h"
#include "core/telemetry/journalreader.h"
#include "core/telemetry/remoteworkrow.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace gp {

bool JournalReader::hasRemoteWork() const
{
    return isOpen() && m_version >= JournalDatabase::kRemoteWorkSince;
}

bool JournalReader::forEachRemoteWork(const RemoteWorkQuery &query,
                                      const std::function<bool(const RemoteWork &)> &row,
                                      QString *error) const
{
    if (!hasRemoteWork()) {
        if (error)
            *error = isOpen()
                ? u"the journal has schema version %1: remote work is recorded from version %2"_s
                      .arg(m_version)
                      .arg(JournalDatabase::kRemoteWorkSince)
                : u"the journal is not open"_s;
        return false;
    }
    QString sql = u"SELECT "_s + remoteWorkColumns()
        + u" FROM remote_work WHERE created_ms >= ? AND created_ms <= ?"_s;
    QVariantList values { query.fromMs, query.toMs };
    if (query.runId != 0) {
        sql += u" AND (work_id = ? OR run_id = ?)"_s;
        values << query.runId << query.runId;
    }
    // The work's own row has no line (NULL sorts first); custom ids are unique within a work.
    sql += u" ORDER BY work_id, line, custom_id"_s;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    for (const QVariant &value : values)
        q.addBindValue(value);
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    while (q.next()) {
        if (!row(remoteWorkFromRow(q)))
            return true;
    }
    if (q.lastError().isValid()) { // a read error ends next() like the last row does
        if (error)
            *error = q.lastError().text();
        return false;
    }
    return true;
}

} // namespace gp
