#include "core/telemetry/journal.h"
#include "core/telemetry/journaldatabase.h"
#include "core/telemetry/journalexporter.h"
#include "core/telemetry/journalreader.h"
#include "journaltestutil.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace gp::testutil;

namespace {

constexpr qint64 T0 = 1'790'000'040'000;

int userVersion(const QString &path)
{
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
                version = q.value(0).toInt();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
    return version;
}

// A file exactly as an older GrokPulse left it: that version's schema, then these rows.
bool writeOldFile(const QString &path, int version, const QStringList &inserts)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
        db.setDatabaseName(path);
        QString error;
        ok = db.open() && JournalDatabase::createVersion(db, version, &error);
        QSqlQuery q(db);
        for (const QString &sql : inserts)
            ok = ok && q.exec(sql);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));
    return ok;
}

JournalConfig configAt(const QString &path)
{
    JournalConfig c;
    c.path = path;
    c.retentionDays = 0;
    c.maxSizeBytes = 0;
    return c;
}

QList<QJsonObject> exportJsonl(const JournalReader &reader, JournalExporter::What what,
                               const QString &client = {})
{
    JournalExporter::Options options;
    options.what = what;
    options.format = JournalExporter::Format::Jsonl;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QList<QJsonObject> out;
    JournalExporter::Filter filter;
    filter.client = client;
    if (!JournalExporter::run(reader, options, filter, buffer))
        return out;
    for (const QByteArray &line : buffer.data().split('\n')) {
        if (!line.isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    }
    return out;
}

} // namespace

// Schema versions: older files are read as they are and migrated only by a writer.
class TestJournalSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newerSchemaFailsClearly();
    void version1ReadsAndMigrates();
    void version2ReadsWithoutClientThenMigrates();

private:
    QTemporaryDir m_dir;
};

void TestJournalSchema::newerSchemaFailsClearly()
{
    const QString path = m_dir.filePath(QStringLiteral("newer.sqlite"));
    QVERIFY(writeOldFile(path, 1, { QStringLiteral("PRAGMA user_version = 99") }));
    Journal journal;
    QString error;
    QVERIFY(!journal.open(configAt(path), &error));
    QVERIFY2(error.contains(QStringLiteral("schema version 99")) && error.contains(QStringLiteral("newer")),
             qPrintable(error));
    JournalReader reader;
    QVERIFY(!reader.open(path, &error));
    QVERIFY2(error.contains(QStringLiteral("newer GrokPulse")), qPrintable(error));
    QCOMPARE(userVersion(path), 99); // untouched
}

void TestJournalSchema::version1ReadsAndMigrates()
{
    const QString path = m_dir.filePath(QStringLiteral("v1.sqlite"));
    QVERIFY(
        writeOldFile(path, 1,
                     { QStringLiteral("INSERT INTO events (run_id, time_ms, kind, message) VALUES (1, %1, "
                                      "'warning', 'from version 1')")
                           .arg(T0) }));
    {
        JournalReader early; // no alert_id, no client column: read as empty, text search still works
        QString error;
        QVERIFY2(early.open(path, &error), qPrintable(error));
        QCOMPARE(early.schemaVersion(), 1);
        EventQuery text;
        text.text = QStringLiteral("version 1");
        const auto events = early.events(text, &error);
        QVERIFY2(events, qPrintable(error));
        QCOMPARE(events->size(), 1);
        QVERIFY(events->first().alertId.isEmpty());
        QCOMPARE(exportJsonl(early, JournalExporter::What::Events).size(), 1);
        QCOMPARE(exportJsonl(early, JournalExporter::What::Requests).size(), 0);
    }
    QCOMPARE(userVersion(path), 1); // reading never migrates

    Journal journal;
    QString error;
    QVERIFY2(journal.open(configAt(path), &error), qPrintable(error));
    Event alert = makeEvent(EventKind::AlertRaised, T0 + 1, 0, QStringLiteral("Error spike."));
    alert.alertId = QStringLiteral("error_spike");
    journal.append(alert);
    QVERIFY(journal.flush());
    QCOMPARE(userVersion(path), JournalDatabase::kSchemaVersion);
    JournalReader reader;
    QVERIFY(reader.open(path));
    const auto events = reader.events({});
    QCOMPARE(events->size(), 2);
    QCOMPARE(events->at(0).message, QStringLiteral("from version 1"));
    QCOMPARE(events->at(1).alertId, QStringLiteral("error_spike"));
}

void TestJournalSchema::version2ReadsWithoutClientThenMigrates()
{
    const QString path = m_dir.filePath(QStringLiteral("v2.sqlite"));
    QVERIFY(writeOldFile(
        path, 2,
        { QStringLiteral(
              "INSERT INTO events (run_id, time_ms, job_id, attempt, kind, model, request_id, alert_id)"
              " VALUES (7, %1, 1, 1, 'succeeded', 'grok-4', 'req-old', NULL)")
              .arg(T0),
          QStringLiteral("INSERT INTO requests (run_id, job_id, model, submitted_ms, finished_ms, outcome, "
                         "attempts, request_id) VALUES (7, 1, 'grok-4', %1, %2, 'succeeded', 1, 'req-old')")
              .arg(T0 - 500)
              .arg(T0) }));
    {
        JournalReader old;
        QVERIFY(old.open(path));
        QCOMPARE(old.schemaVersion(), 2);
        const QList<QJsonObject> requests = exportJsonl(old, JournalExporter::What::Requests);
        QCOMPARE(requests.size(), 1);
        QVERIFY(requests.first().contains(QStringLiteral("client")));
        QVERIFY(requests.first().value(QStringLiteral("client")).isNull());
        QCOMPARE(requests.first().value(QStringLiteral("request_id")).toString(), QStringLiteral("req-old"));
        const QList<QJsonObject> events = exportJsonl(old, JournalExporter::What::Events);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().value(QStringLiteral("run_id")).toInteger(), 7);
        QVERIFY(exportJsonl(old, JournalExporter::What::Events, QStringLiteral("alice")).isEmpty());
    }
    QCOMPARE(userVersion(path), 2);

    Journal journal;
    QVERIFY(journal.open(configAt(path)));
    for (const auto &[id, client] :
         { std::pair { 1, QStringLiteral("alice") }, std::pair { 2, QString() } }) {
        for (Event e : succeededJob(quint64(id), T0 + 1000 * id, QStringLiteral("c%1").arg(id))) {
            e.client = client;
            journal.append(e);
        }
    }
    QVERIFY(journal.flush());
    QCOMPARE(userVersion(path), JournalDatabase::kSchemaVersion);
    JournalReader reader;
    QVERIFY(reader.open(path));
    const QList<QJsonObject> all = exportJsonl(reader, JournalExporter::What::Requests);
    QCOMPARE(all.size(), 3); // the old row and both new ones
    const QList<QJsonObject> alice
        = exportJsonl(reader, JournalExporter::What::Requests, QStringLiteral("alice"));
    QCOMPARE(alice.size(), 1);
    QCOMPARE(alice.first().value(QStringLiteral("custom_id")).toString(), QStringLiteral("c1"));
    QCOMPARE(alice.first().value(QStringLiteral("run_id")).toInteger(), journal.runId());
    const QList<QJsonObject> aliceEvents
        = exportJsonl(reader, JournalExporter::What::Events, QStringLiteral("alice"));
    QCOMPARE(aliceEvents.size(), succeededJob(1, T0, {}).size());
    for (const QJsonObject &e : aliceEvents)
        QCOMPARE(e.value(QStringLiteral("client")).toString(), QStringLiteral("alice"));
    EventQuery oldRun;
    oldRun.runId = 7;
    QCOMPARE(reader.events(oldRun)->size(), 1);
}

QTEST_GUILESS_MAIN(TestJournalSchema)
#include "tst_journalschema.moc"
