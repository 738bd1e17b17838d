#include "exporttestsupport.h"

#include "core/telemetry/journaldatabase.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <csignal>

using namespace batchtest;
using namespace exporttest;
using namespace Qt::StringLiterals;

// `grokpulse export --what remote` on journals written by real `grokpulse batch --via xai-batch |
// deferred --journal` runs against a `grokpulse sim` process: every batch id and deferred request
// id with its lines and states, CSV and JSONL alike, the run and time filters, and the refusals
// (an older journal, a missing one, a full disk).
class TestExportRemote final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void exportsEveryBatchAndDeferredLine();
    void runFilterFollowsAResumedWork();
    void timeFilterPicksRowsByTheirFirstRecord();
    void olderJournalIsRefusedClearly();
    void fullDiskIsAnError();
    void helpNamesTheRemoteColumns();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString journal() const { return path(u"journal.sqlite"_s); }
    bool startSimWith(const QJsonObject &extra);
    QStringList batchArgs(const QString &via, const QString &input, const QString &output) const;
    QList<Row> exportRows(const QStringList &extra = {});
    QStringList sqliteLines(const QString &sql) const; // the journal read with the sqlite3 tool
    void checkBatchRows(const QList<Row> &rows, const QStringList &ids);
    void checkDeferredRows(const QList<Row> &rows, const QStringList &ids);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_sim;
    QString m_baseUrl;
};

void TestExportRemote::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestExportRemote::cleanup()
{
    if (m_sim)
        stopProcess(m_sim.get());
    m_sim.reset();
}

bool TestExportRemote::startSimWith(const QJsonObject &extra)
{
    const QString scenario = writeScenario(*m_dir, u"remote"_s, extra);
    m_sim = std::make_unique<QProcess>();
    m_baseUrl = startSim(m_sim.get(), { u"--scenario"_s, scenario }, environment());
    return !m_baseUrl.isEmpty();
}

QStringList TestExportRemote::batchArgs(const QString &via, const QString &input, const QString &output) const
{
    return { u"--base-url"_s, m_baseUrl, u"--via"_s,    via,    u"--poll-interval"_s, u"0.05"_s,
             u"--input"_s,    input,     u"--output"_s, output, u"--journal"_s,       journal() };
}

// Both formats of the same export; fails the test when they differ or the CSV header is not the
// documented one.
QList<Row> TestExportRemote::exportRows(const QStringList &extra)
{
    const QStringList base = QStringList { u"--journal"_s, journal(), u"--what"_s, u"remote"_s } + extra;
    const Run csv = runExport(base + QStringList { u"--format"_s, u"csv"_s });
    const Run jsonl = runExport(base + QStringList { u"--format"_s, u"jsonl"_s });
    if (csv.exitCode != 0 || jsonl.exitCode != 0) {
        qWarning() << "export failed" << csv.exitCode << csv.err << jsonl.exitCode << jsonl.err;
        return {};
    }
    const QList<QStringList> table = parseCsv(csv.out);
    if (table.isEmpty() || table.first() != remoteHeader()) {
        qWarning() << "CSV header" << (table.isEmpty() ? QStringList() : table.first());
        return {};
    }
    const QList<Row> fromCsv = csvRows(csv.out);
    const QList<Row> fromJsonl = jsonlRows(jsonl.out);
    if (fromCsv != fromJsonl) {
        qWarning() << "CSV and JSONL differ" << fromCsv << fromJsonl;
        return {};
    }
    return fromCsv;
}

QStringList TestExportRemote::sqliteLines(const QString &sql) const
{
    QProcess sqlite;
    sqlite.start(u"sqlite3"_s, { u"-readonly"_s, journal(), sql });
    if (!sqlite.waitForFinished(10000) || sqlite.exitCode() != 0)
        return {};
    QStringList lines;
    for (const QByteArray &line : sqlite.readAllStandardOutput().split('\n')) {
        if (!line.trimmed().isEmpty())
            lines << QString::fromUtf8(line.trimmed());
    }
    return lines;
}

void TestExportRemote::exportsEveryBatchAndDeferredLine()
{
    QVERIFY(startSimWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 200 } } },
                           { u"deferred"_s, QJsonObject { { u"ready_ms"_s, 100 } } } }));
    // The outputs sit in a folder named like the key in use: the journal keeps output paths as
    // they are (a resume looks work up by them), so only the export's redaction keeps it out.
    QVERIFY(QDir(m_dir->path()).mkdir(PlantedKey));
    const QString out = path(PlantedKey + u"/out"_s);
    const QStringList batchIds = writeInput(path(u"b.jsonl"_s), 12, u"xb"_s);
    QStringList deferredIds = writeInput(path(u"d.jsonl"_s), 6, u"xd"_s);
    QFile odd(path(u"d.jsonl"_s)); // a custom id CSV must quote
    QVERIFY(odd.open(QIODevice::Append));
    odd.write(R"({"id":"odd, \"quoted\"","prompt":"Say something odd."})"
              "\n");
    odd.close();
    deferredIds << u"odd, \"quoted\""_s;
    const QStringList chunked { u"--batch-chunk-bytes"_s, u"1024"_s }; // several add calls
    const Run b = runBatch(batchArgs(u"xai-batch"_s, path(u"b.jsonl"_s), out + u"-b.jsonl"_s) + chunked,
                           environment(PlantedKey));
    QVERIFY2(b.exitCode == 0, b.err.constData());
    const Run d = runBatch(batchArgs(u"deferred"_s, path(u"d.jsonl"_s), out + u"-d.jsonl"_s),
                           environment(PlantedKey));
    QVERIFY2(d.exitCode == 0, d.err.constData());

    for (const QString &format : { u"csv"_s, u"jsonl"_s }) {
        const Run raw
            = runExport({ u"--journal"_s, journal(), u"--what"_s, u"remote"_s, u"--format"_s, format });
        QCOMPARE(raw.exitCode, 0);
        QVERIFY(!raw.out.contains(PlantedKey.data()));
        QVERIFY(raw.out.contains("[redacted]"));
    }
    const QList<Row> rows = exportRows();
    QCOMPARE(rows.size(), 2 + 12 + 7); // each work's own row and one per input line
    checkBatchRows(rows.mid(0, 13), batchIds);
    if (QTest::currentTestFailed())
        return;
    checkDeferredRows(rows.mid(13), deferredIds);
    QCOMPARE_NE(rows[13].value(u"work_id"_s), rows[0].value(u"work_id"_s)); // two works
}

// The batch: the id the simulator holds, on the work's row and on every line.
void TestExportRemote::checkBatchRows(const QList<Row> &rows, const QStringList &ids)
{
    const QJsonArray batches = simGetJson(m_baseUrl, u"batches"_s).value("batches"_L1).toArray();
    QCOMPARE(batches.size(), 1);
    const QString batchId = batches.first().toObject().value("batch_id"_L1).toString();
    QVERIFY(!batchId.isEmpty());
    QCOMPARE(rows[0].value(u"via"_s), u"xai-batch"_s);
    QCOMPARE(rows[0].value(u"custom_id"_s), QString());
    QCOMPARE(rows[0].value(u"line"_s), QString());
    QCOMPARE(rows[0].value(u"state"_s), u"created"_s);
    QCOMPARE(rows[0].value(u"batch_id"_s), batchId);
    for (int i = 0; i < ids.size(); ++i) {
        const Row &row = rows[1 + i];
        QCOMPARE(row.value(u"custom_id"_s), ids[i]);
        QCOMPARE(row.value(u"line"_s), QString::number(i + 1));
        QCOMPARE(row.value(u"batch_id"_s), batchId);
        QCOMPARE(row.value(u"request_id"_s), QString());
        QCOMPARE(row.value(u"state"_s), u"written"_s);
        QCOMPARE(row.value(u"work_id"_s), rows[0].value(u"work_id"_s));
        QCOMPARE(row.value(u"input_path"_s), path(u"b.jsonl"_s));
        QVERIFY(row.value(u"output_path"_s).endsWith(u"[redacted]/out-b.jsonl"_s));
        QVERIFY(row.value(u"updated"_s) >= row.value(u"created"_s)); // ISO 8601 sorts as text
    }
}

// Deferred: one request id per line, the ones the table holds (read with sqlite3), each fetched
// already (the simulator answers a result once: a second GET is a 404).
void TestExportRemote::checkDeferredRows(const QList<Row> &rows, const QStringList &ids)
{
    QCOMPARE(rows.size(), 1 + ids.size());
    QCOMPARE(rows[0].value(u"via"_s), u"deferred"_s);
    QCOMPARE(rows[0].value(u"state"_s), u"started"_s);
    QStringList exported;
    for (int i = 0; i < ids.size(); ++i) {
        const Row &row = rows[1 + i];
        QCOMPARE(row.value(u"custom_id"_s), ids[i]);
        QCOMPARE(row.value(u"line"_s), QString::number(i + 1));
        QCOMPARE(row.value(u"state"_s), u"written"_s);
        QCOMPARE(row.value(u"batch_id"_s), QString());
        QVERIFY(!row.value(u"request_id"_s).isEmpty());
        const QJsonObject again
            = simGetJson(m_baseUrl, u"chat/deferred-completion/"_s + row.value(u"request_id"_s));
        QVERIFY2(again.value("error"_L1).toString().contains("not found"_L1),
                 qPrintable(again.value("error"_L1).toString()));
        exported << row.value(u"custom_id"_s) + u'|' + row.value(u"request_id"_s);
    }
    QCOMPARE(exported,
             sqliteLines(u"SELECT custom_id || '|' || request_id FROM remote_work WHERE via = "
                         u"'deferred' AND custom_id <> '' ORDER BY line"_s));
    QCOMPARE(QSet<QString>(exported.begin(), exported.end()).size(), ids.size());
}

void TestExportRemote::runFilterFollowsAResumedWork()
{
    QVERIFY(startSimWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 2500 } } } }));
    writeInput(path(u"in.jsonl"_s), 10, u"rs"_s);
    const QStringList args = batchArgs(u"xai-batch"_s, path(u"in.jsonl"_s), path(u"out.jsonl"_s));
    QProcess first;
    startBatch(&first, args, environment(u"test-key-0123456789"_s));
    QVERIFY(first.waitForStarted(5000));
    QTRY_COMPARE_WITH_TIMEOUT(sqliteLines(u"SELECT count(*) FROM remote_work WHERE state = 'added'"_s),
                              QStringList { u"10"_s }, 10000);
    QVERIFY(sendSignal(&first, SIGKILL)); // before any result: the resume writes every line
    QVERIFY(first.waitForFinished(5000));
    const Run resumed = runBatch(args + QStringList { u"--resume"_s }, environment(u"test-key-0123456789"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());

    const QList<Row> all = exportRows();
    QCOMPARE(all.size(), 11);
    const QString workId = all[0].value(u"work_id"_s);
    QString resumeRun;
    for (const Row &row : all.mid(1)) {
        QCOMPARE(row.value(u"work_id"_s), workId);
        QCOMPARE(row.value(u"state"_s), u"written"_s);
        QVERIFY(row.value(u"run_id"_s) != workId); // written by the resume
        resumeRun = row.value(u"run_id"_s);
    }
    QCOMPARE(all[0].value(u"run_id"_s), workId); // the batch's row: written by the first run only
    // The first run's id keeps the whole work; the resume's keeps the rows it wrote.
    QCOMPARE(exportRows({ u"--run"_s, workId }), all);
    QCOMPARE(exportRows({ u"--run"_s, resumeRun }), all.mid(1));
    const Run none
        = runExport({ u"--journal"_s, journal(), u"--what"_s, u"remote"_s, u"--run"_s, u"12345"_s });
    QCOMPARE(none.exitCode, 0);
    QCOMPARE(parseCsv(none.out), QList<QStringList> { remoteHeader() }); // the header alone
}

void TestExportRemote::timeFilterPicksRowsByTheirFirstRecord()
{
    QVERIFY(startSimWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 100 } } },
                           { u"deferred"_s, QJsonObject { { u"ready_ms"_s, 50 } } } }));
    writeInput(path(u"a.jsonl"_s), 4, u"ta"_s);
    writeInput(path(u"b.jsonl"_s), 3, u"tb"_s);
    const Run a = runBatch(batchArgs(u"xai-batch"_s, path(u"a.jsonl"_s), path(u"a.out"_s)),
                           environment(u"test-key-0123456789"_s));
    QVERIFY2(a.exitCode == 0, a.err.constData());
    const qint64 cut = QDateTime::currentMSecsSinceEpoch();
    QTRY_VERIFY(QDateTime::currentMSecsSinceEpoch() > cut);
    const Run b = runBatch(batchArgs(u"deferred"_s, path(u"b.jsonl"_s), path(u"b.out"_s)),
                           environment(u"test-key-0123456789"_s));
    QVERIFY2(b.exitCode == 0, b.err.constData());

    const QList<Row> all = exportRows();
    QCOMPARE(all.size(), 5 + 4);
    const QList<Row> before = exportRows({ u"--until"_s, isoTime(cut) });
    const QList<Row> after = exportRows({ u"--since"_s, isoTime(cut) });
    QCOMPARE(before, all.mid(0, 5));
    QCOMPARE(after, all.mid(5));
    for (const Row &row : before)
        QCOMPARE(row.value(u"via"_s), u"xai-batch"_s);
    for (const Row &row : after)
        QCOMPARE(row.value(u"via"_s), u"deferred"_s);
    QCOMPARE(exportRows({ u"--since"_s, u"1h"_s }), all);
    const Run bad
        = runExport({ u"--journal"_s, journal(), u"--what"_s, u"remote"_s, u"--since"_s, u"soon"_s });
    QCOMPARE(bad.exitCode, 2);
    const Run client
        = runExport({ u"--journal"_s, journal(), u"--what"_s, u"remote"_s, u"--client"_s, u"alice"_s });
    QCOMPARE(client.exitCode, 2);
    QVERIFY2(client.err.contains("--client does not apply to --what remote"), client.err.constData());
}

void TestExportRemote::olderJournalIsRefusedClearly()
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v3"_s);
        db.setDatabaseName(journal());
        QVERIFY(db.open());
        QString error;
        QVERIFY2(gp::JournalDatabase::createVersion(db, 3, &error), qPrintable(error));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"v3"_s);
    const QString out = path(u"remote.csv"_s);
    const Run old = runExport({ u"--journal"_s, journal(), u"--what"_s, u"remote"_s, u"--output"_s, out });
    QCOMPARE(old.exitCode, 3);
    QVERIFY2(old.err.contains("schema version 3") && old.err.contains("remote work"), old.err.constData());
    QVERIFY(!QFile::exists(out)); // refused before anything was written
    QCOMPARE(sqliteLines(u"PRAGMA user_version"_s), QStringList { u"3"_s }); // read, never migrated
    const Run events = runExport({ u"--journal"_s, journal(), u"--what"_s, u"events"_s });
    QCOMPARE(events.exitCode, 0); // the rest of the file still exports

    const Run missing = runExport({ u"--journal"_s, path(u"none.sqlite"_s), u"--what"_s, u"remote"_s });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("journal not found"), missing.err.constData());
    QFile garbage(path(u"garbage.sqlite"_s));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(4096, 'x'));
    garbage.close();
    const Run notJournal = runExport({ u"--journal"_s, garbage.fileName(), u"--what"_s, u"remote"_s });
    QCOMPARE(notJournal.exitCode, 1);
    QVERIFY2(notJournal.err.contains("cannot read the journal"), notJournal.err.constData());
}

void TestExportRemote::fullDiskIsAnError()
{
    QVERIFY(startSimWith({ { u"deferred"_s, QJsonObject { { u"ready_ms"_s, 50 } } } }));
    writeInput(path(u"in.jsonl"_s), 3, u"fd"_s);
    const Run d = runBatch(batchArgs(u"deferred"_s, path(u"in.jsonl"_s), path(u"out.jsonl"_s)),
                           environment(u"test-key-0123456789"_s));
    QVERIFY2(d.exitCode == 0, d.err.constData());
    // /dev/full takes the open and refuses every write (ENOSPC), as a full disk does; the export
    // is a few hundred bytes, so it fails only when the buffer is flushed at the end.
    for (const QString &format : { u"csv"_s, u"jsonl"_s }) {
        const QStringList args { u"--journal"_s, journal(), u"--what"_s, u"remote"_s, u"--format"_s, format };
        const Run toFile = runExport(args + QStringList { u"--output"_s, u"/dev/full"_s });
        QVERIFY2(toFile.exitCode == 1 && toFile.err.contains("No space left on device"),
                 qPrintable(u"exit %1: %2"_s.arg(toFile.exitCode).arg(QString::fromUtf8(toFile.err))));
        const Run toStdout = runExport(args, u"/dev/full"_s);
        QVERIFY2(toStdout.exitCode == 1 && toStdout.err.contains("stdout is incomplete"),
                 qPrintable(u"exit %1: %2"_s.arg(toStdout.exitCode).arg(QString::fromUtf8(toStdout.err))));
    }
}

void TestExportRemote::helpNamesTheRemoteColumns()
{
    const Run help = runExport({ u"--help"_s });
    QCOMPARE(help.exitCode, 0);
    const QString text = QString::fromUtf8(help.out).simplified();
    QVERIFY2(text.contains(u"Remote columns: "_s), help.out.constData());
    qsizetype at = text.indexOf(u"Remote columns: "_s);
    for (const QString &column : remoteHeader()) { // named, in the order the header has them
        const qsizetype next = text.indexOf(column, at);
        QVERIFY2(next > at, qPrintable(column));
        at = next;
    }
}

QTEST_GUILESS_MAIN(TestExportRemote)
#include "tst_exportremote.moc"
