// `grokpulse batch` as a subprocess against the simulator: line counts and ids, exit
// codes, SIGINT, kill -9 then --resume, and a planted key that must never leak.
#include "tests/app/batchtestsupport.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

using namespace batchtest;

class TestBatchCommand final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanRunSucceeds();
    void summaryToAPipeOrDevice();
    void everyLineHasAnOutputLine_data();
    void everyLineHasAnOutputLine();
    void badInputLinesFailAlone();
    void exitCodes_data();
    void exitCodes();
    void plantedKeyNeverLeaks_data();
    void plantedKeyNeverLeaks();
    void sigintStillWritesEveryLine();
    void secondSignalExitsAtOnce();
    void killThenResumeSendsNothingTwice();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
};

void TestBatchCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestBatchCommand::cleanRunSucceeds()
{
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 25, u"clean"_s);
    const Run run = runBatch({ u"--simulate=steady"_s, u"--input"_s, path(u"in.jsonl"_s), u"--output"_s,
                               path(u"out.jsonl"_s), u"--summary"_s, path(u"s.json"_s) },
                             environment());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines) {
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);
        QVERIFY(line.value("error"_L1).isNull());
        const QJsonObject response = line.value("response"_L1).toObject();
        QCOMPARE(response.value("status_code"_L1).toInt(), 200);
        QVERIFY(!response.value("body"_L1).toObject().value("choices"_L1).toArray().isEmpty());
    }
    QFile summaryFile(path(u"s.json"_s));
    QVERIFY(summaryFile.open(QIODevice::ReadOnly));
    const QJsonObject summary = QJsonDocument::fromJson(summaryFile.readAll()).object();
    QCOMPARE(summary.value("counts"_L1).toObject().value("succeeded"_L1).toInt(), 25);
    QCOMPARE(summary.value("exit_code"_L1).toInt(), 0);
    QVERIFY(summary.value("tokens"_L1).toObject().value("total"_L1).toInt() > 0);
    QVERIFY(summary.value("latency_ms"_L1).toObject().value("p50"_L1).toDouble() >= 0);
    QVERIFY(run.err.contains("25 succeeded"));
}

// --summary /dev/stdout puts the JSON on standard output (a pipe here); a device that refuses
// the bytes (/dev/full) is an error that names it, and stays the device it was.
void TestBatchCommand::summaryToAPipeOrDevice()
{
    writeInput(path(u"in.jsonl"_s), 5, u"pipe"_s);
    const QStringList base { u"--simulate=steady"_s, u"--input"_s, path(u"in.jsonl"_s), u"--quiet"_s };
    const Run piped = runBatch(
        base + QStringList { u"--output"_s, path(u"out.jsonl"_s), u"--summary"_s, u"/dev/stdout"_s },
        environment());
    QVERIFY2(piped.exitCode == 0, piped.err.constData());
    const QJsonObject summary = QJsonDocument::fromJson(piped.out).object();
    QCOMPARE(summary.value("counts"_L1).toObject().value("succeeded"_L1).toInt(), 5);

    if (!QFileInfo::exists(u"/dev/full"_s))
        QSKIP("no /dev/full");
    const Run full = runBatch(
        base + QStringList { u"--output"_s, path(u"out2.jsonl"_s), u"--summary"_s, u"/dev/full"_s },
        environment());
    QVERIFY2(full.exitCode == 4, full.err.constData());
    QVERIFY2(full.err.contains("cannot write summary /dev/full"), full.err.constData());
    QVERIFY(!QFileInfo(u"/dev/full"_s).isFile());
    QCOMPARE(readOutput(path(u"out2.jsonl"_s)).size(), 5);
}

void TestBatchCommand::everyLineHasAnOutputLine_data()
{
    QTest::addColumn<QString>("scenario"); // built-in name, or "outage-now" (written here)
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("exitCode"); // -1: 0 or 1
    QTest::addColumn<QString>("onlyStatus"); // empty: any
    QTest::newRow("flaky") << u"flaky"_s << QStringList { u"--max-attempts=6"_s } << -1 << QString();
    QTest::newRow("outage") << u"outage-now"_s << QStringList { u"--max-attempts=2"_s, u"--deadline=2"_s }
                            << 1 << u"failed"_s;
    QTest::newRow("stream") << u"steady"_s << QStringList { u"--stream"_s } << 0 << u"succeeded"_s;
}

void TestBatchCommand::everyLineHasAnOutputLine()
{
    QFETCH(QString, scenario);
    QFETCH(QStringList, extra);
    QFETCH(int, exitCode);
    QFETCH(QString, onlyStatus);
    if (scenario == "outage-now"_L1) {
        const QJsonArray outages { QJsonObject {
            { u"start_s"_s, 0 }, { u"duration_s"_s, 600 }, { u"status"_s, 503 } } };
        scenario = writeScenario(*m_dir, u"outage-now"_s, QJsonObject { { u"outages"_s, outages } });
    }
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 30, u"row"_s);
    const Run run = runBatch(QStringList { u"--simulate="_s + scenario, u"--input"_s, path(u"in.jsonl"_s),
                                           u"--output"_s, path(u"out.jsonl"_s), u"--quiet"_s }
                                 + extra,
                             environment());
    QVERIFY2(exitCode >= 0 ? run.exitCode == exitCode : (run.exitCode == 0 || run.exitCode == 1),
             run.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines) {
        const QString status = line.value("status"_L1).toString();
        QVERIFY(onlyStatus.isEmpty() || status == onlyStatus);
        QCOMPARE(line.value("response"_L1).isNull(), status != "succeeded"_L1);
        QCOMPARE(line.value("error"_L1).isNull(), status == "succeeded"_L1);
    }
    QVERIFY(run.err.isEmpty()); // --quiet
}

void TestBatchCommand::badInputLinesFailAlone()
{
    QFile file(path(u"in.jsonl"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        R"({"id":"good-1","prompt":"hi"})"
        "\n"
        "this is not json\n"
        "\n"
        R"({"prompt":"no id"})"
        "\n"
        R"({"id":"good-1","prompt":"duplicate"})"
        "\n"
        R"({"custom_id":"wrong-url","method":"POST","url":"/v1/embeddings","body":{"messages":[{"role":"user","content":"a"}]}})"
        "\n"
        R"({"custom_id":"wrong-method","method":"GET","url":"/v1/chat/completions","body":{"messages":[{"role":"user","content":"a"}]}})"
        "\n"
        R"({"custom_id":"bad-body","method":"POST","url":"/v1/chat/completions","body":{"messages":"nope"}})"
        "\n"
        R"({"custom_id":"good-2","method":"POST","url":"/v1/chat/completions","body":{"messages":[{"role":"user","content":"a"}]}})"
        "\n");
    file.close();
    const Run run = runBatch({ u"--simulate=steady"_s, u"--input"_s, path(u"in.jsonl"_s), u"--output"_s,
                               path(u"out.jsonl"_s), u"--quiet"_s },
                             environment());
    QCOMPARE(run.exitCode, 1);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    // Lines without a usable id have "custom_id": null and their line number: no made-up id.
    const QHash<QString, QString> expected {
        { u"good-1"_s, u"succeeded"_s }, { u"#2"_s, u"failed"_s },        { u"#4"_s, u"failed"_s },
        { u"#5"_s, u"failed"_s },        { u"wrong-url"_s, u"failed"_s }, { u"wrong-method"_s, u"failed"_s },
        { u"bad-body"_s, u"failed"_s },  { u"good-2"_s, u"succeeded"_s },
    };
    QCOMPARE(lines.size(), expected.size());
    for (const QJsonObject &line : lines) {
        const QJsonValue customId = line.value("custom_id"_L1);
        const QString id
            = customId.isNull() ? u"#%1"_s.arg(line.value("line"_L1).toInt()) : customId.toString();
        QVERIFY2(expected.contains(id), qPrintable(id));
        QCOMPARE(line.value("status"_L1).toString(), expected.value(id));
        if (expected.value(id) == "failed"_L1) {
            const QJsonObject error = line.value("error"_L1).toObject();
            QCOMPARE(error.value("class"_L1).toString(), u"bad_request"_s);
            QVERIFY(!error.value("message"_L1).toString().isEmpty());
            QCOMPARE(line.value("attempts"_L1).toInt(), 0);
        }
    }
}

void TestBatchCommand::exitCodes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrPart");
    QTest::newRow("missing input") << QStringList { u"--simulate"_s, u"--input"_s, u"@DIR/none.jsonl"_s,
                                                    u"--output"_s, u"@DIR/out.jsonl"_s }
                                   << 2 << u"cannot read input"_s;
    QTest::newRow("no output option")
        << QStringList { u"--simulate"_s, u"--input"_s, u"@DIR/in.jsonl"_s } << 2 << u"required"_s;
    QTest::newRow("unknown option") << QStringList { u"--input"_s, u"@DIR/in.jsonl"_s, u"--output"_s,
                                                     u"@DIR/out.jsonl"_s, u"--bogus"_s }
                                    << 2 << u"bogus"_s;
    QTest::newRow("unknown scenario")
        << QStringList { u"--simulate=nonesuch"_s, u"--input"_s, u"@DIR/in.jsonl"_s, u"--output"_s,
                         u"@DIR/out.jsonl"_s }
        << 2 << u"simulate"_s;
    QTest::newRow("no key") << QStringList { u"--input"_s, u"@DIR/in.jsonl"_s, u"--output"_s,
                                             u"@DIR/out.jsonl"_s }
                            << 3 << u"XAI_API_KEY"_s;
    QTest::newRow("no key, other variable")
        << QStringList { u"--api-key-env=GP_TEST_NO_SUCH_KEY"_s, u"--input"_s, u"@DIR/in.jsonl"_s,
                         u"--output"_s, u"@DIR/out.jsonl"_s }
        << 3 << u"GP_TEST_NO_SUCH_KEY"_s;
    QTest::newRow("bad redis url") << QStringList { u"--simulate=steady"_s, u"--redis=http://nope"_s,
                                                    u"--input"_s,           u"@DIR/in.jsonl"_s,
                                                    u"--output"_s,          u"@DIR/out.jsonl"_s }
                                   << 2 << u"--redis"_s;
    QTest::newRow("burst below one") << QStringList { u"--simulate=steady"_s, u"--burst=0.5"_s,
                                                      u"--input"_s,           u"@DIR/in.jsonl"_s,
                                                      u"--output"_s,          u"@DIR/out.jsonl"_s }
                                     << 2 << u"--burst must be a number >= 1"_s;
    QTest::newRow("burst with rps") << QStringList {
        u"--simulate=steady"_s, u"--rps=10"_s, u"--burst=5"_s,     u"--input"_s,
        u"@DIR/in.jsonl"_s,     u"--output"_s, u"@DIR/out.jsonl"_s
    } << 0 << u"succeeded"_s;
    QTest::newRow("all succeeded") << QStringList { u"--simulate=steady"_s, u"--input"_s, u"@DIR/in.jsonl"_s,
                                                    u"--output"_s, u"@DIR/out.jsonl"_s }
                                   << 0 << u"succeeded"_s;
}

void TestBatchCommand::exitCodes()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrPart);
    writeInput(path(u"in.jsonl"_s), 3, u"x"_s);
    for (QString &argument : arguments)
        argument.replace(u"@DIR"_s, m_dir->path());
    const Run run = runBatch(arguments, environment());
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(QString::fromUtf8(run.err).contains(stderrPart), run.err.constData());
}

void TestBatchCommand::plantedKeyNeverLeaks_data()
{
    QTest::addColumn<bool>("simRequiresOtherKey");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("key accepted") << false << 0;
    QTest::newRow("key rejected") << true << 3;
}

void TestBatchCommand::plantedKeyNeverLeaks()
{
    QFETCH(bool, simRequiresOtherKey);
    QFETCH(int, exitCode);
    QProcessEnvironment simEnv = environment();
    simEnv.insert(u"GP_TEST_SIM_KEY"_s, u"some-other-key"_s);
    QProcess sim;
    const QString baseUrl = startSim(
        &sim,
        simRequiresOtherKey ? QStringList { u"--scenario=steady"_s, u"--api-key-env=GP_TEST_SIM_KEY"_s }
                            : QStringList { u"--scenario=steady"_s },
        simEnv);
    QVERIFY(!baseUrl.isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 12, u"key"_s);
    const Run run = runBatch({ u"--base-url"_s, baseUrl, u"--input"_s, path(u"in.jsonl"_s), u"--output"_s,
                               path(u"out.jsonl"_s), u"--summary"_s, path(u"s.json"_s), u"--journal"_s,
                               path(u"j.sqlite"_s) },
                             environment(PlantedKey));
    stopProcess(&sim);
    QVERIFY2(run.exitCode == exitCode, run.err.constData());
    QCOMPARE(idsOf(readOutput(path(u"out.jsonl"_s))), sorted(ids)); // stopped early, yet every line written
    QFile output(path(u"out.jsonl"_s));
    QFile summary(path(u"s.json"_s));
    QVERIFY(output.open(QIODevice::ReadOnly) && summary.open(QIODevice::ReadOnly));
    const QByteArray key = QByteArray(PlantedKey.data(), PlantedKey.size());
    QVERIFY(!run.out.contains(key));
    QVERIFY(!run.err.contains(key));
    QVERIFY(!output.readAll().contains(key));
    QVERIFY(!summary.readAll().contains(key));
    QVERIFY(!run.err.contains("PLANTED"));
    if (simRequiresOtherKey)
        QVERIFY2(run.err.contains("XAI_API_KEY"), run.err.constData()); // names the variable, not the key
}

void TestBatchCommand::sigintStillWritesEveryLine()
{
    const QString scenario = writeScenario(
        *m_dir, u"slow"_s,
        QJsonObject {
            { u"latency"_s, QJsonObject { { u"distribution"_s, u"fixed"_s }, { u"ms"_s, 150 } } } });
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 80, u"sig"_s);
    QProcess batch;
    startBatch(&batch,
               { u"--simulate="_s + scenario, u"--concurrency=2"_s, u"--grace=1"_s, u"--input"_s,
                 path(u"in.jsonl"_s), u"--output"_s, path(u"out.jsonl"_s) },
               environment());
    QVERIFY(batch.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(readOutput(path(u"out.jsonl"_s)).size() >= 3, 10000);
    QVERIFY(sendSignal(&batch, SIGINT));
    QVERIFY(batch.waitForFinished(10000));
    QCOMPARE(batch.exitStatus(), QProcess::NormalExit);
    QCOMPARE(batch.exitCode(), 1);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    int cancelled = 0;
    for (const QJsonObject &line : lines) {
        if (line.value("status"_L1).toString() != "cancelled"_L1)
            continue;
        ++cancelled;
        QCOMPARE(line.value("error"_L1).toObject().value("class"_L1).toString(), u"cancelled"_s);
    }
    QVERIFY(cancelled > 0);
    QVERIFY(batch.readAllStandardError().contains("SIGINT"));
}

void TestBatchCommand::secondSignalExitsAtOnce()
{
    const QString scenario = writeScenario(
        *m_dir, u"stuck"_s,
        QJsonObject {
            { u"latency"_s, QJsonObject { { u"distribution"_s, u"fixed"_s }, { u"ms"_s, 20000 } } } });
    // A simulator of its own, so the test can wait until a request is really in flight.
    QProcess sim;
    const QString baseUrl = startSim(&sim, { u"--scenario"_s, scenario }, environment());
    QVERIFY(!baseUrl.isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 40, u"two"_s);
    QProcess batch;
    startBatch(&batch,
               { u"--base-url"_s, baseUrl, u"--concurrency=1"_s, u"--grace=30"_s, u"--input"_s,
                 path(u"in.jsonl"_s), u"--output"_s, path(u"out.jsonl"_s) },
               environment(u"test-key"_s));
    QVERIFY(batch.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(simStats(baseUrl).value("requests"_L1).toInt() >= 1, 10000);
    QVERIFY(sendSignal(&batch, SIGINT));
    // The first signal drains every unsent line as cancelled; the in-flight one waits for its grace.
    QTRY_VERIFY_WITH_TIMEOUT(readOutput(path(u"out.jsonl"_s)).size() >= ids.size() - 1, 10000);
    QVERIFY2(sendSignal(&batch, SIGTERM), "the batch exited before the second signal, within its grace");
    QVERIFY(batch.waitForFinished(5000)); // well inside the 30 s grace and the 20 s latency
    QCOMPARE(batch.exitCode(), 130);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids));
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value("status"_L1).toString(), u"cancelled"_s);
    stopProcess(&sim);
}

void TestBatchCommand::killThenResumeSendsNothingTwice()
{
    const QString scenario = writeScenario(
        *m_dir, u"paced"_s,
        QJsonObject { { u"latency"_s, QJsonObject { { u"distribution"_s, u"fixed"_s }, { u"ms"_s, 40 } } } });
    QProcess sim;
    const QString baseUrl = startSim(&sim, { u"--scenario"_s, scenario }, environment());
    QVERIFY(!baseUrl.isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 120, u"res"_s);
    const QStringList arguments { u"--base-url"_s,     baseUrl,       u"--concurrency=2"_s, u"--input"_s,
                                  path(u"in.jsonl"_s), u"--output"_s, path(u"out.jsonl"_s), u"--journal"_s,
                                  path(u"j.sqlite"_s), u"--quiet"_s };
    QProcess batch;
    startBatch(&batch, arguments, environment(u"test-key"_s));
    QVERIFY(batch.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(readOutput(path(u"out.jsonl"_s)).size() >= 10, 10000);
    batch.kill(); // SIGKILL: no chance to clean up
    QVERIFY(batch.waitForFinished(5000));
    QSet<QString> doneBefore;
    for (const QJsonObject &line : readOutput(path(u"out.jsonl"_s), true)) {
        if (line.value("status"_L1).toString() == "succeeded"_L1)
            doneBefore.insert(line.value("custom_id"_L1).toString());
    }
    QVERIFY(doneBefore.size() >= 10);
    QVERIFY2(doneBefore.size() < ids.size(), "the first run finished before the kill");

    const Run resumed = runBatch(arguments + QStringList { u"--resume"_s }, environment(u"test-key"_s));
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(lines), sorted(ids)); // one line per id: no duplicates, no torn line
    for (const QJsonObject &line : lines)
        QCOMPARE(line.value("status"_L1).toString(), u"succeeded"_s);

    const QJsonObject sent = simStats(baseUrl).value("custom_ids"_L1).toObject();
    stopProcess(&sim);
    for (const QString &id : ids)
        QVERIFY2(sent.value(id).toInt() >= 1, qPrintable(id));
    for (const QString &id : doneBefore)
        QVERIFY2(sent.value(id).toInt() == 1,
                 qPrintable(u"%1 sent %2 times"_s.arg(id).arg(sent.value(id).toInt())));
}

QTEST_GUILESS_MAIN(TestBatchCommand)
#include "tst_batchcommand.moc"
