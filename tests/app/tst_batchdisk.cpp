// `grokpulse batch` on a real full filesystem (a small tmpfs, mounted here when root):
// sending stops at once, nothing unwritten is reported delivered, at most the last
// line is torn and --resume repairs it; the journal is always ahead of the output.
#include "tests/app/batchtestsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace batchtest;

class TestBatchDisk final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void fullOutputStopsSending();
    void fullJournalStopsSending();
    void unwritableSummaryFails();
    void journalIsAheadOfTheOutput();

private:
    QString startSimulator(int latencyMs);
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_sim;
    QString path(const QString &name) const { return m_dir->filePath(name); }
};

void TestBatchDisk::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestBatchDisk::cleanup()
{
    stopProcess(&m_sim);
}

QString TestBatchDisk::startSimulator(int latencyMs)
{
    const QString scenario = writeScenario(
        *m_dir, u"disk"_s,
        QJsonObject {
            { u"latency"_s, QJsonObject { { u"distribution"_s, u"fixed"_s }, { u"ms"_s, latencyMs } } } });
    return startSim(&m_sim, { u"--scenario"_s, scenario }, environment());
}

// Torn lines (not JSON) in the file: at most one, and only as the very last line.
static int tornLinesBeforeTheEnd(const QString &file)
{
    const QList<QJsonObject> lines = readOutput(file);
    int torn = 0;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i)
        torn += lines[i].contains("torn"_L1) ? 1 : 0;
    return torn;
}

void TestBatchDisk::fullOutputStopsSending()
{
    SmallTmpfs disk(u"64k"_s);
    if (!disk.isMounted())
        QSKIP(qPrintable(disk.skipReason()));
    const QString baseUrl = startSimulator(5);
    QVERIFY(!baseUrl.isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 2000, u"full"_s);
    const QString out = disk.filePath(u"out.jsonl"_s);
    const QStringList arguments {
        u"--base-url"_s, baseUrl, u"--concurrency=4"_s, u"--input"_s,     path(u"in.jsonl"_s),
        u"--output"_s,   out,     u"--summary"_s,       path(u"s.json"_s)
    };
    QElapsedTimer clock;
    clock.start();
    const Run run = runBatch(arguments, environment(u"test-key-12345"_s), 60000);
    QVERIFY2(run.exitCode == 4, run.err.constData());
    QVERIFY2(run.err.contains("cannot be written") && run.err.contains("output"), run.err.constData());
    const QList<QJsonObject> kept = readOutput(out, true);
    QVERIFY(!kept.isEmpty());
    QVERIFY(kept.size() < ids.size());
    QCOMPARE(tornLinesBeforeTheEnd(out), 0);
    // Stopped at once: at most the jobs already submitted (window 16) beyond what was kept.
    const int sent = simStats(baseUrl).value("requests"_L1).toInt();
    QVERIFY2(sent <= kept.size() + 32, qPrintable(u"%1 sent, %2 kept"_s.arg(sent).arg(kept.size())));
    // The summary counts what is on disk, and says what is not.
    QFile summaryFile(path(u"s.json"_s));
    QVERIFY(summaryFile.open(QIODevice::ReadOnly));
    const QJsonObject summary = QJsonDocument::fromJson(summaryFile.readAll()).object();
    int keptSucceeded = 0;
    for (const QJsonObject &line : kept)
        keptSucceeded += line.value("status"_L1).toString() == "succeeded"_L1 ? 1 : 0;
    const QJsonObject counts = summary.value("counts"_L1).toObject();
    QCOMPARE(counts.value("succeeded"_L1).toInt(), keptSucceeded);
    QCOMPARE(summary.value("exit_code"_L1).toInt(), 4);
    QVERIFY(counts.value("not_written"_L1).toInt() > 0);

    // Still full: --resume cannot compact the output, says so, and leaves it exactly as it was.
    QFile before(out);
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray bytes = before.readAll();
    before.close();
    const Run stillFull
        = runBatch(arguments + QStringList { u"--resume"_s }, environment(u"test-key-12345"_s));
    QVERIFY2(stillFull.exitCode == 2, stillFull.err.constData());
    QVERIFY(before.open(QIODevice::ReadOnly));
    QCOMPARE(before.readAll(), bytes);
    before.close();

    QVERIFY(disk.resize(u"16m"_s)); // room again: --resume repairs the torn line and finishes
    const Run resumed = runBatch(arguments + QStringList { u"--resume"_s }, environment(u"test-key-12345"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    const QList<QJsonObject> lines = readOutput(out);
    QCOMPARE(idsOf(lines), sorted(ids));
    const QJsonObject sentIds = simStats(baseUrl).value("custom_ids"_L1).toObject();
    for (const QJsonObject &line : kept) {
        const QString id = line.value("custom_id"_L1).toString();
        QVERIFY2(sentIds.value(id).toInt() == 1, qPrintable(id)); // a delivered result is never paid twice
    }
}

void TestBatchDisk::fullJournalStopsSending()
{
    SmallTmpfs disk(u"1m"_s);
    if (!disk.isMounted())
        QSKIP(qPrintable(disk.skipReason()));
    const QString baseUrl = startSimulator(20);
    QVERIFY(!baseUrl.isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 2000, u"jf"_s);
    QProcess batch;
    startBatch(&batch,
               { u"--base-url"_s, baseUrl, u"--concurrency=2"_s, u"--input"_s, path(u"in.jsonl"_s),
                 u"--output"_s, path(u"out.jsonl"_s), u"--journal"_s, disk.filePath(u"j.sqlite"_s),
                 u"--quiet"_s },
               environment(u"test-key-12345"_s));
    QVERIFY(batch.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(readOutput(path(u"out.jsonl"_s)).size() >= 20, 20000);
    QVERIFY(disk.fill() > 0);
    QVERIFY2(batch.waitForFinished(20000), "still sending with the journal's disk full");
    const QByteArray err = batch.readAllStandardError();
    QVERIFY2(batch.exitCode() == 4, err.constData());
    QVERIFY2(err.contains("journal") && err.contains("cannot be written"),
             err.constData()); // even with --quiet
    QVERIFY(simStats(baseUrl).value("requests"_L1).toInt() < ids.size() / 2);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids)); // the output still works: every line has its result
    bool notSent = false;
    for (const QJsonObject &line : lines)
        notSent = notSent
            || line.value("error"_L1).toObject().value("message"_L1).toString()
                == "not sent: journal not writable"_L1;
    QVERIFY(notSent);
}

void TestBatchDisk::unwritableSummaryFails()
{
    SmallTmpfs disk(u"64k"_s);
    if (!disk.isMounted())
        QSKIP(qPrintable(disk.skipReason()));
    QVERIFY(disk.fill() > 0);
    writeInput(path(u"in.jsonl"_s), 5, u"sum"_s);
    const Run run = runBatch({ u"--simulate=steady"_s, u"--input"_s, path(u"in.jsonl"_s), u"--output"_s,
                               path(u"out.jsonl"_s), u"--summary"_s, disk.filePath(u"s.json"_s) },
                             environment());
    QVERIFY2(run.exitCode == 4, run.err.constData());
    QVERIFY2(run.err.contains("cannot write summary"), run.err.constData());
    QCOMPARE(readOutput(path(u"out.jsonl"_s)).size(), 5);
}

// kill -9 at any moment: every result line in the output is already in the journal, so
// a resume from the journal alone (the output lost) sends none of them again.
void TestBatchDisk::journalIsAheadOfTheOutput()
{
    const QString baseUrl = startSimulator(40);
    QVERIFY(!baseUrl.isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 300, u"ahead"_s);
    const QStringList arguments { u"--base-url"_s,     baseUrl,       u"--concurrency=8"_s, u"--input"_s,
                                  path(u"in.jsonl"_s), u"--output"_s, path(u"out.jsonl"_s), u"--journal"_s,
                                  path(u"j.sqlite"_s), u"--quiet"_s };
    QProcess batch;
    startBatch(&batch, arguments, environment(u"test-key-12345"_s));
    QVERIFY(batch.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(readOutput(path(u"out.jsonl"_s)).size() >= 60, 15000);
    batch.kill();
    QVERIFY(batch.waitForFinished(5000));
    QSet<QString> delivered;
    for (const QJsonObject &line : readOutput(path(u"out.jsonl"_s), true))
        delivered.insert(line.value("custom_id"_L1).toString());
    QVERIFY2(delivered.size() < ids.size(), "the first run finished before the kill");
    const std::optional<QSet<QString>> journal = journalSucceeded(path(u"j.sqlite"_s));
    QVERIFY2(journal, "sqlite3 could not read the journal");
    for (const QString &id : std::as_const(delivered))
        QVERIFY2(journal->contains(id), qPrintable(id + u" is in the output but not in the journal"_s));

    QVERIFY(QFile::remove(path(u"out.jsonl"_s)));
    const Run resumed = runBatch(arguments + QStringList { u"--resume"_s }, environment(u"test-key-12345"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QCOMPARE(idsOf(readOutput(path(u"out.jsonl"_s))), sorted(ids));
    const QJsonObject sentIds = simStats(baseUrl).value("custom_ids"_L1).toObject();
    for (const QString &id : std::as_const(delivered))
        QVERIFY2(sentIds.value(id).toInt() == 1, qPrintable(id + u" sent twice"_s));
}

QTEST_GUILESS_MAIN(TestBatchDisk)
#include "tst_batchdisk.moc"
