#include "batchtestsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace batchtest;
using namespace Qt::StringLiterals;

// `grokpulse batch --via ... --journal J` against a `grokpulse sim` process of its own: the
// work left at the server (the batch id, the requests added, each deferred request id) is
// recorded in the journal's remote_work table, so a --resume with the journal reattaches even
// when OUT.jsonl.via is gone; and xai-batch results are written while the batch still runs.
class TestBatchViaJournal final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void xaiBatchReattachesFromTheJournal();
    void deferredReattachesFromTheJournal();
    void resultsArriveWhileTheBatchRuns();
    void resumeWithoutTheJournalIsRefused();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    bool startSimWith(const QJsonObject &extra);
    QStringList arguments(const QString &via) const;
    QJsonObject getJson(const QString &relative) const;
    // One column of a query on the journal, read with the sqlite3 tool (read-only).
    QStringList journalColumn(const QString &sql) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_sim;
    QString m_baseUrl;
};

void TestBatchViaJournal::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestBatchViaJournal::cleanup()
{
    if (m_sim)
        stopProcess(m_sim.get());
    m_sim.reset();
}

bool TestBatchViaJournal::startSimWith(const QJsonObject &extra)
{
    const QString scenario = writeScenario(*m_dir, u"via"_s, extra);
    m_sim = std::make_unique<QProcess>();
    m_baseUrl = startSim(m_sim.get(), { u"--scenario"_s, scenario }, environment());
    return !m_baseUrl.isEmpty();
}

QStringList TestBatchViaJournal::arguments(const QString &via) const
{
    return { u"--base-url"_s,      m_baseUrl,
             u"--via"_s,           via,
             u"--poll-interval"_s, u"0.05"_s,
             u"--input"_s,         path(u"in.jsonl"_s),
             u"--output"_s,        path(u"out.jsonl"_s),
             u"--journal"_s,       path(u"journal.sqlite"_s) };
}

QJsonObject TestBatchViaJournal::getJson(const QString &relative) const
{
    return simGetJson(m_baseUrl, relative);
}

QStringList TestBatchViaJournal::journalColumn(const QString &sql) const
{
    if (!QFile::exists(path(u"journal.sqlite"_s)))
        return {};
    QProcess sqlite;
    sqlite.start(u"sqlite3"_s, { u"-readonly"_s, path(u"journal.sqlite"_s), sql });
    if (!sqlite.waitForFinished(10000) || sqlite.exitCode() != 0)
        return {};
    QStringList values;
    for (const QByteArray &line : sqlite.readAllStandardOutput().split('\n')) {
        if (!line.trimmed().isEmpty())
            values.append(QString::fromUtf8(line.trimmed()));
    }
    return values;
}

void TestBatchViaJournal::xaiBatchReattachesFromTheJournal()
{
    QVERIFY(startSimWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 3000 } } } }));
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 40, u"jb"_s);
    const QStringList args = arguments(u"xai-batch"_s) + QStringList { u"--batch-chunk-bytes"_s, u"4096"_s };
    QProcess first;
    startBatch(&first, args, environment(u"test-key-0123456789"_s));
    QVERIFY(first.waitForStarted(5000));
    // Killed as soon as the journal holds the batch id: requests may be added or not yet.
    QTRY_COMPARE_WITH_TIMEOUT(
        journalColumn(u"SELECT batch_id FROM remote_work WHERE custom_id = '' AND batch_id IS NOT NULL"_s)
            .size(),
        1, 10000);
    QVERIFY(sendSignal(&first, SIGKILL));
    QVERIFY(first.waitForFinished(5000));
    QCOMPARE(first.exitStatus(), QProcess::CrashExit);
    QVERIFY(QFile::remove(path(u"out.jsonl.via"_s))); // the journal is the record

    const Run resumed = runBatch(args + QStringList { u"--resume"_s }, environment(u"test-key-0123456789"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QVERIFY2(resumed.err.contains("reattaching"), resumed.err.constData());
    const QJsonArray batches = getJson(u"batches"_s).value("batches"_L1).toArray();
    QCOMPARE(batches.size(), 1); // no second batch
    const QString batchId = batches.first().toObject().value("batch_id"_L1).toString();
    const QJsonArray requests = getJson(u"batches/%1/requests?limit=1000"_s.arg(batchId))
                                    .value("batch_request_metadata"_L1)
                                    .toArray();
    QCOMPARE(requests.size(), 40);
    for (const QJsonValue &request : requests) // offered to the server once, by one run or the other
        QCOMPARE(request.toObject().value("sim_times_added"_L1).toInt(), 1);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids)); // one line per input line
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);
    QCOMPARE(journalColumn(u"SELECT custom_id FROM remote_work WHERE state = 'written'"_s).size(), 40);
}

void TestBatchViaJournal::deferredReattachesFromTheJournal()
{
    QVERIFY(startSimWith({ { u"deferred"_s, QJsonObject { { u"ready_ms"_s, 3000 } } } }));
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 30, u"jd"_s);
    QProcess first;
    startBatch(&first, arguments(u"deferred"_s), environment(u"test-key-0123456789"_s));
    QVERIFY(first.waitForStarted(5000));
    // Every request id in the journal, none ready yet: polling.
    QTRY_COMPARE_WITH_TIMEOUT(
        journalColumn(u"SELECT request_id FROM remote_work WHERE state = 'submitted'"_s).size(), 30, 10000);
    QVERIFY(sendSignal(&first, SIGKILL));
    QVERIFY(first.waitForFinished(5000));
    QVERIFY(QFile::remove(path(u"out.jsonl.via"_s)));

    const Run resumed = runBatch(arguments(u"deferred"_s) + QStringList { u"--resume"_s },
                                 environment(u"test-key-0123456789"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    // A second fetch of a deferred id is a 404 (the server answers once): all succeeded means once.
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);
    const QJsonObject perId = simStats(m_baseUrl).value("custom_ids"_L1).toObject();
    for (const QString &id : ids)
        QCOMPARE(perId.value(id).toInt(), 1); // submitted once: the resume polled the recorded ids
}

void TestBatchViaJournal::resultsArriveWhileTheBatchRuns()
{
    // Requests finish spread over 8 s: the first lines must be written long before the last.
    QVERIFY(startSimWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 8000 } } } }));
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 20, u"early"_s);
    QProcess run;
    startBatch(&run, arguments(u"xai-batch"_s), environment(u"test-key-0123456789"_s));
    QVERIFY(run.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(!readOutput(path(u"out.jsonl"_s), true).isEmpty(), 10000);
    const QJsonArray batches = getJson(u"batches"_s).value("batches"_L1).toArray();
    QCOMPARE(batches.size(), 1);
    const QJsonObject state = batches.first().toObject().value("state"_L1).toObject();
    QVERIFY2(state.value("num_pending"_L1).toInt() > 0, QJsonDocument(state).toJson().constData());
    QVERIFY(run.waitForFinished(30000));
    QCOMPARE(run.exitCode(), 0);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids)); // exactly one line per input line overall
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);
    QVERIFY(run.readAllStandardError().contains("pending"));
}

void TestBatchViaJournal::resumeWithoutTheJournalIsRefused()
{
    QVERIFY(startSimWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 100 } } } }));
    writeInput(path(u"in.jsonl"_s), 3, u"r"_s);
    const Run first = runBatch(arguments(u"xai-batch"_s), environment(u"test-key-0123456789"_s));
    QVERIFY2(first.exitCode == 0, first.err.constData());
    // Without --journal the run would not know its batch and would send everything again.
    QStringList withoutJournal = arguments(u"xai-batch"_s).mid(0, 10) + QStringList { u"--resume"_s };
    const Run resumed = runBatch(withoutJournal, environment(u"test-key-0123456789"_s));
    QCOMPARE(resumed.exitCode, 2);
    QVERIFY2(resumed.err.contains("rerun with --journal"), resumed.err.constData());
    QCOMPARE(getJson(u"batches"_s).value("batches"_L1).toArray().size(), 1);
}

QTEST_GUILESS_MAIN(TestBatchViaJournal)
#include "tst_batchviajournal.moc"
