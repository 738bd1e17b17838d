#include "core/telemetry/remotework.h"

#include "core/telemetry/journaldatabase.h"
#include "core/telemetry/remoteworkrow.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace gp {

QJsonObject RemoteWork::toJson() const
{
    QJsonObject o {
        { u"work_id"_s, workId }, { u"run_id"_s, runId },         { u"via"_s, via },
        { u"state"_s, state },    { u"created_ms"_s, createdMs }, { u"updated_ms"_s, updatedMs }
    };
    const auto text = [&o](const QString &key, const QString &value) {
        if (!value.isEmpty())
            o.insert(key, value);
    };
    text(u"input_path"_s, inputPath);
    text(u"output_path"_s, outputPath);
    text(u"batch_id"_s, batchId);
    text(u"request_id"_s, requestId);
    text(u"custom_id"_s, customId);
    if (line > 0)
        o.insert(u"line"_s, line);
    return o;
}

std::optional<RemoteWork> RemoteWork::fromJson(const QJsonObject &o)
{
    if (!o.value("work_id"_L1).isDouble() || !o.value("via"_L1).isString() || !o.value("state"_L1).isString())
        return std::nullopt;
    RemoteWork w;
    w.workId = o.value("work_id"_L1).toInteger();
    w.runId = o.value("run_id"_L1).toInteger();
    w.via = o.value("via"_L1).toString();
    w.inputPath = o.value("input_path"_L1).toString();
    w.outputPath = o.value("output_path"_L1).toString();
    w.batchId = o.value("batch_id"_L1).toString();
    w.requestId = o.value("request_id"_L1).toString();
    w.customId = o.value("custom_id"_L1).toString();
    w.line = o.value("line"_L1).toInteger();
    w.state = o.value("state"_L1).toString();
    w.createdMs = o.value("created_ms"_L1).toInteger();
    w.updatedMs = o.value("updated_ms"_L1).toInteger();
    return w;
}

QString remoteWorkColumns()
{
    return u"work_id, run_id, via, input_path, output_path, batch_id, request_id, custom_id, line, state,"
           u" created_ms, updated_ms"_s;
}

RemoteWork remoteWorkFromRow(const QSqlQuery &q)
{
    RemoteWork w;
    w.workId = q.value(0).toLongLong();
    w.runId = q.value(1).toLongLong();
    w.via = q.value(2).toString();
    w.inputPath = q.value(3).toString();
    w.outputPath = q.value(4).toString();
    w.batchId = q.value(5).toString();
    w.requestId = q.value(6).toString();
    w.customId = q.value(7).toString();
    w.line = q.value(8).toLongLong();
    w.state = q.value(9).toString();
    w.createdMs = q.value(10).toLongLong();
    w.updatedMs = q.value(11).toLongLong();
    return w;
}

namespace {

std::optional<QList<RemoteWork>> readRows(QSqlDatabase &db, const QString &outputPath, QString *error)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT "_s + remoteWorkColumns()
              + u" FROM remote_work WHERE work_id = (SELECT max(work_id) FROM"
                u" remote_work WHERE output_path = ?) AND output_path = ?"_s);
    q.addBindValue(outputPath);
    q.addBindValue(outputPath);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    QList<RemoteWork> rows;
    while (q.next())
        rows.append(remoteWorkFromRow(q));
    return rows;
}

} // namespace

std::optional<QList<RemoteWork>> RemoteWorkReader::latestFor(const QString &journalPath,
                                                             const QString &outputPath, QString *error)
{
    if (!QFileInfo::exists(journalPath))
        return QList<RemoteWork>();
    static QAtomicInteger<quint64> counter;
    const QString connection = u"gp-remote-work-%1"_s.arg(counter.fetchAndAddRelaxed(1));
    const JournalDatabase::Opened opened
        = JournalDatabase::open(connection, journalPath, JournalDatabase::Mode::ReadOnly);
    if (!opened.ok) {
        *error = opened.error;
        return std::nullopt;
    }
    std::optional<QList<RemoteWork>> rows = QList<RemoteWork>();
    {
        QSqlDatabase db = QSqlDatabase::database(connection, false);
        if (opened.schemaVersion >= JournalDatabase::kRemoteWorkSince)
            rows = readRows(db, outputPath, error);
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return rows;
}

} // namespace gp
