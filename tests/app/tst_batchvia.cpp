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

// `grokpulse batch --via xai-batch` and `--via deferred` as a user runs them, against a
// `grokpulse sim` process of their own (so a killed batch leaves the server's state):
// one output line per input line, kill -9 then --resume loses and duplicates nothing.
class TestBatchVia final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void xaiBatchMixedFile();
    void deferredFile();
    void xaiBatchKillNineThenResume();
    void deferredKillNineThenResume();
    void xaiBatchSignalLeavesItRunning();
    void repeatedPageAndUnknownId();
    void batchThatDoesNotExist();
    void deferredNeverReady();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString simWith(const QJsonObject &extra);
    QStringList writeMixedInput(int chat, int responses);
    QStringList common(const QString &via) const;
    QJsonObject getJson(const QString &relative) const;
    // OUT.jsonl.via's rows (without a journal it is the record), with `state` when given.
    QList<QJsonObject> stateRows(const QString &state = {}) const;
    QStringList batchIdsInState() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_sim;
    QString m_baseUrl;
};

void TestBatchVia::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestBatchVia::cleanup()
{
    if (m_sim)
        stopProcess(m_sim.get());
    m_sim.reset();
}

QString TestBatchVia::simWith(const QJsonObject &extra)
{
    const QString scenario = writeScenario(*m_dir, u"via"_s, extra);
    m_sim = std::make_unique<QProcess>();
    m_baseUrl = startSim(m_sim.get(), { u"--scenario"_s, scenario }, environment());
    return m_baseUrl;
}

QStringList TestBatchVia::writeMixedInput(int chat, int responses)
{
    QFile file(path(u"in.jsonl"_s));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QStringList ids;
    for (int i = 1; i <= chat + responses; ++i) {
        const bool isChat = i <= chat;
        const QString id = (isChat ? u"chat-%1"_s : u"resp-%1"_s).arg(i);
        ids << id;
        if (isChat)
            file.write(
                u"{\"id\":\"%1\",\"prompt\":\"Say something about line %2.\"}\n"_s.arg(id).arg(i).toUtf8());
        else
            file.write(
                u"{\"custom_id\":\"%1\",\"method\":\"POST\",\"url\":\"/v1/responses\",\"body\":{\"input\":"
                u"\"Line %2 please.\",\"max_output_tokens\":64}}\n"_s.arg(id)
                    .arg(i)
                    .toUtf8());
    }
    return ids;
}

QStringList TestBatchVia::common(const QString &via) const
{
    return { u"--base-url"_s, m_baseUrl,    u"--via"_s,          via,           u"--poll-interval"_s,
             u"0.05"_s,       u"--input"_s, path(u"in.jsonl"_s), u"--output"_s, path(u"out.jsonl"_s) };
}

QJsonObject TestBatchVia::getJson(const QString &relative) const
{
    return simGetJson(m_baseUrl, relative);
}

QList<QJsonObject> TestBatchVia::stateRows(const QString &state) const
{
    QFile file(path(u"out.jsonl.via"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QJsonObject> rows;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QJsonObject row = QJsonDocument::fromJson(line).object();
        if (!row.isEmpty() && (state.isEmpty() || row.value("state"_L1).toString() == state))
            rows.append(row);
    }
    return rows;
}

QStringList TestBatchVia::batchIdsInState() const
{
    QStringList ids;
    for (const QJsonObject &row : stateRows(u"created"_s))
        ids.append(row.value("batch_id"_L1).toString());
    return ids;
}

void TestBatchVia::xaiBatchMixedFile()
{
    QVERIFY(!simWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 300 } } } }).isEmpty());
    const QStringList ids = writeMixedInput(20, 10);
    const Run run = runBatch(common(u"xai-batch"_s) + QStringList { u"--batch-chunk-bytes"_s, u"2048"_s },
                             environment(u"test-key-0123456789"_s));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines) {
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);
        const QJsonObject body = line.value("response"_L1).toObject().value("body"_L1).toObject();
        const bool responses = line.value("custom_id"_L1).toString().startsWith("resp"_L1);
        QCOMPARE(body.value("object"_L1).toString(), responses ? u"response"_s : u"chat.completion"_s);
        QVERIFY(body.value("usage"_L1).toObject().contains("cost_in_usd_ticks"_L1));
    }
    const QStringList batchIds = batchIdsInState();
    QCOMPARE(batchIds.size(), 1);
    QCOMPARE(stateRows(u"added"_s).size(), 30); // each recorded as added before polling
    QCOMPARE(getJson(u"batches/"_s + batchIds.first())
                 .value("state"_L1)
                 .toObject()
                 .value("num_requests"_L1)
                 .toInt(),
             30);
    QVERIFY2(run.err.contains("live at list price"), run.err.constData());
}

void TestBatchVia::deferredFile()
{
    QVERIFY(!simWith({ { u"deferred"_s, QJsonObject { { u"ready_ms"_s, 300 } } } }).isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 20, u"def"_s);
    const Run run = runBatch(common(u"deferred"_s), environment(u"test-key-0123456789"_s));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines) {
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);
        QVERIFY(!line.value("response"_L1)
                     .toObject()
                     .value("body"_L1)
                     .toObject()
                     .value("choices"_L1)
                     .toArray()
                     .isEmpty());
    }
    QCOMPARE(stateRows(u"submitted"_s).size(), 20); // one request id per line, recorded before polling
    QCOMPARE(stateRows(u"written"_s).size(), 20);
}

void TestBatchVia::xaiBatchKillNineThenResume()
{
    QVERIFY(!simWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 4000 } } } }).isEmpty());
    const QStringList ids = writeMixedInput(30, 10);
    const QStringList arguments
        = common(u"xai-batch"_s) + QStringList { u"--batch-chunk-bytes"_s, u"4096"_s };
    QProcess first;
    startBatch(&first, arguments, environment(u"test-key-0123456789"_s));
    QVERIFY(first.waitForStarted(5000));
    // Every request added (the state file says so), the batch not done yet: polling.
    QTRY_COMPARE_WITH_TIMEOUT(stateRows(u"added"_s).size(), 40, 10000);
    QVERIFY(sendSignal(&first, SIGKILL));
    QVERIFY(first.waitForFinished(5000));
    QCOMPARE(first.exitStatus(), QProcess::CrashExit);
    const Run resumed
        = runBatch(arguments + QStringList { u"--resume"_s }, environment(u"test-key-0123456789"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QVERIFY2(resumed.err.contains("reattaching"), resumed.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids)); // each id exactly once
    QCOMPARE(batchIdsInState().size(), 1); // reattached, not a second batch
    const QJsonArray batches = getJson(u"batches"_s).value("batches"_L1).toArray();
    QCOMPARE(batches.size(), 1);
    QCOMPARE(batches.first().toObject().value("state"_L1).toObject().value("num_requests"_L1).toInt(), 40);
}

void TestBatchVia::deferredKillNineThenResume()
{
    QVERIFY(!simWith({ { u"deferred"_s, QJsonObject { { u"ready_ms"_s, 3000 } } } }).isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 40, u"dk"_s);
    QProcess first;
    startBatch(&first, common(u"deferred"_s), environment(u"test-key-0123456789"_s));
    QVERIFY(first.waitForStarted(5000));
    QTRY_COMPARE_WITH_TIMEOUT(stateRows(u"submitted"_s).size(), 40, 10000); // none ready: polling
    QVERIFY(sendSignal(&first, SIGKILL));
    QVERIFY(first.waitForFinished(5000));
    const Run resumed = runBatch(common(u"deferred"_s) + QStringList { u"--resume"_s },
                                 environment(u"test-key-0123456789"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);
    // No request sent twice: the simulator saw each id's chat submission once.
    const QJsonObject perId = simStats(m_baseUrl).value("custom_ids"_L1).toObject();
    for (const QString &id : ids)
        QCOMPARE(perId.value(id).toInt(), 1);
}

void TestBatchVia::xaiBatchSignalLeavesItRunning()
{
    QVERIFY(!simWith({ { u"batch"_s, QJsonObject { { u"completion_ms"_s, 3000 } } } }).isEmpty());
    const QStringList ids = writeMixedInput(10, 0);
    QProcess first;
    startBatch(&first, common(u"xai-batch"_s), environment(u"test-key-0123456789"_s));
    QVERIFY(first.waitForStarted(5000));
    QTRY_COMPARE_WITH_TIMEOUT(stateRows(u"added"_s).size(), 10, 10000);
    QVERIFY(sendSignal(&first, SIGINT));
    QVERIFY(first.waitForFinished(5000));
    QCOMPARE(first.exitCode(), 1);
    const QByteArray err = first.readAllStandardError();
    QVERIFY2(err.contains("--resume"), err.constData());
    const QList<QJsonObject> stopped = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(stopped), sorted(ids));
    for (const QJsonObject &line : stopped)
        QVERIFY(line.value("error"_L1).toObject().value("message"_L1).toString().contains("left running"_L1));
    const Run resumed = runBatch(common(u"xai-batch"_s) + QStringList { u"--resume"_s },
                                 environment(u"test-key-0123456789"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);
}

void TestBatchVia::repeatedPageAndUnknownId()
{
    QVERIFY(!simWith({ { u"batch"_s,
                         QJsonObject { { u"completion_ms"_s, 100 },
                                       { u"repeat_results_page"_s, true },
                                       { u"unknown_result"_s, true } } } })
                 .isEmpty());
    const QStringList ids = writeMixedInput(5, 2);
    const Run run = runBatch(common(u"xai-batch"_s), environment(u"test-key-0123456789"_s), 20000);
    QVERIFY2(run.exitCode == 0, run.err.constData()); // every line has its result; the faults are named
    QVERIFY2(run.err.contains("repeat a page"), run.err.constData());
    QVERIFY2(run.err.contains("ids this input does not have"), run.err.constData());
    QCOMPARE(idsOf(readOutput(path(u"out.jsonl"_s))), sorted(ids));
}

void TestBatchVia::batchThatDoesNotExist()
{
    QVERIFY(!simWith({}).isEmpty());
    const QStringList ids = writeMixedInput(4, 0);
    QFile state(path(u"out.jsonl.via"_s));
    QVERIFY(state.open(QIODevice::WriteOnly));
    state.write("{\"work_id\":1,\"via\":\"xai-batch\",\"state\":\"created\",\"batch_id\":\"batch_gone\"}\n");
    for (int i = 1; i <= 4; ++i)
        state.write(u"{\"work_id\":1,\"via\":\"xai-batch\",\"state\":\"added\",\"batch_id\":\"batch_gone\","
                    u"\"custom_id\":\"chat-%1\",\"line\":%1}\n"_s.arg(i)
                        .toUtf8());
    state.close();
    const Run run = runBatch(common(u"xai-batch"_s) + QStringList { u"--resume"_s },
                             environment(u"test-key-0123456789"_s), 20000);
    QCOMPARE(run.exitCode, 1);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines) {
        QCOMPARE(line.value("status"_L1).toString(), u"failed"_s);
        QCOMPARE(line.value("error"_L1).toObject().value("status_code"_L1).toInt(), 404);
    }
}

void TestBatchVia::deferredNeverReady()
{
    QVERIFY(!simWith({ { u"deferred"_s, QJsonObject { { u"ready_ms"_s, 600000 } } } }).isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 3, u"slow"_s);
    const Run run = runBatch(common(u"deferred"_s) + QStringList { u"--deadline"_s, u"1"_s },
                             environment(u"test-key-0123456789"_s), 15000);
    QCOMPARE(run.exitCode, 1);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value("error"_L1).toObject().value("class"_L1).toString(), u"deadline_exceeded"_s);
}

QTEST_GUILESS_MAIN(TestBatchVia)
#include "tst_batchvia.moc"
