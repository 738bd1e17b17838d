// `grokpulse batch` always ends by itself, however little there is to do, and a signal
// always ends it; a setup error never touches the previous output; stdin is an input.
#include "tests/app/batchtestsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace batchtest;

class TestBatchEnds final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void endsWithNothingToDo_data();
    void endsWithNothingToDo();
    void readsStandardInput_data();
    void readsStandardInput();
    void signalEndsAWaitingRun_data();
    void signalEndsAWaitingRun();
    void setupErrorKeepsTheOutput_data();
    void setupErrorKeepsTheOutput();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
    void writeFile(const QString &name, const QByteArray &bytes) const
    {
        QFile file(path(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
};

void TestBatchEnds::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestBatchEnds::endsWithNothingToDo_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("extra"); // "@OUT" is the output, "@IN" the input
    QTest::addColumn<bool>("finishFirst"); // run once to the end, then again with --resume
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("outputLines");
    QTest::newRow("empty file") << QByteArray() << QStringList() << false << 0 << 0;
    QTest::newRow("blank lines only") << QByteArray("\n\n   \r\n\t\n") << QStringList() << false << 0 << 0;
    QTest::newRow("all invalid") << QByteArray("nope\n{\"prompt\":\"no id\"}\n[1]\n") << QStringList()
                                 << false << 1 << 3;
    QTest::newRow("binary garbage") << QByteArray("\x00\xff\xfe\x01garbage\n\x89PNG\r\n\x1a\n\x00\x00", 22)
                                    << QStringList() << false << 1 << 4;
    QTest::newRow("resume a finished batch")
        << QByteArray("{\"id\":\"a\",\"prompt\":\"x\"}\n{\"id\":\"b\",\"prompt\":\"y\"}\n") << QStringList()
        << true << 0 << 2;
    QTest::newRow("every line refused as plain http")
        << QByteArray("{\"id\":\"a\",\"prompt\":\"x\"}\n")
        << QStringList { u"--base-url=http://192.0.2.1/v1"_s, u"@NOSIM"_s } << false << 2 << -1;
    QTest::newRow("input is the output")
        << QByteArray("{\"id\":\"a\",\"prompt\":\"x\"}\n") << QStringList { u"@SAME"_s } << false << 2 << -1;
}

void TestBatchEnds::endsWithNothingToDo()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, extra);
    QFETCH(bool, finishFirst);
    QFETCH(int, exitCode);
    QFETCH(int, outputLines);
    writeFile(u"in.jsonl"_s, input);
    const bool same = extra.removeAll(u"@SAME"_s) > 0;
    const bool noSim = extra.removeAll(u"@NOSIM"_s) > 0;
    QStringList arguments { u"--input"_s, path(u"in.jsonl"_s), u"--output"_s,
                            same ? path(u"in.jsonl"_s) : path(u"out.jsonl"_s) };
    if (!noSim)
        arguments << u"--simulate=steady"_s;
    arguments += extra;
    const QProcessEnvironment env = environment(u"test-key-not-sent"_s);
    if (finishFirst)
        QCOMPARE(runBatch(arguments, env).exitCode, 0);
    if (finishFirst)
        arguments << u"--resume"_s;
    QElapsedTimer clock;
    clock.start();
    const Run run = runBatch(arguments, env, 15000);
    QVERIFY2(run.exitCode != -1, "still running after 15 s: it hangs");
    QVERIFY2(run.exitCode == exitCode, run.err.constData());
    QVERIFY(clock.elapsed() < 15000);
    if (outputLines >= 0)
        QCOMPARE(readOutput(path(u"out.jsonl"_s)).size(), outputLines);
    QFile in(path(u"in.jsonl"_s));
    QVERIFY(in.open(QIODevice::ReadOnly));
    QCOMPARE(in.readAll(), input); // never touched, even when named as the output
    if (same)
        QVERIFY2(run.err.contains("same file"), run.err.constData());
    if (noSim)
        QVERIFY2(run.err.contains("--base-url"), run.err.constData());
}

void TestBatchEnds::readsStandardInput_data()
{
    QTest::addColumn<QString>("inputName");
    QTest::newRow("-") << u"-"_s;
    QTest::newRow("/dev/stdin") << u"/dev/stdin"_s;
}

void TestBatchEnds::readsStandardInput()
{
    QFETCH(QString, inputName);
    const QByteArray input = "{\"id\":\"s1\",\"prompt\":\"x\"}\n\n{\"id\":\"s2\",\"prompt\":\"y\"}\nbad\n"
                             "{\"id\":\"s3\",\"prompt\":\"z\"}"; // no final newline
    const Run run = runBatchWithStdin({ u"--simulate=steady"_s, u"--input"_s, inputName, u"--output"_s,
                                        path(u"out.jsonl"_s), u"--quiet"_s },
                                      environment(), input, 15000);
    QVERIFY2(run.exitCode == 1, run.err.constData()); // the bad line failed, the rest succeeded
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(lines.size(), 4);
    QStringList succeeded;
    for (const QJsonObject &line : lines) {
        if (line.value("status"_L1).toString() == "succeeded"_L1)
            succeeded << line.value("custom_id"_L1).toString();
        else
            QCOMPARE(line.value("line"_L1).toInt(), 4);
    }
    QCOMPARE(sorted(succeeded), (QStringList { u"s1"_s, u"s2"_s, u"s3"_s }));
}

// Standard input left open with nothing on it: the run waits, yet a signal ends it.
void TestBatchEnds::signalEndsAWaitingRun_data()
{
    QTest::addColumn<QList<int>>("signalsSent");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("SIGINT once: graceful") << QList<int> { SIGINT } << 1;
    QTest::newRow("SIGTERM once: graceful") << QList<int> { SIGTERM } << 1;
    QTest::newRow("SIGINT twice: now") << QList<int> { SIGINT, SIGINT } << 130;
}

void TestBatchEnds::signalEndsAWaitingRun()
{
    QFETCH(QList<int>, signalsSent);
    QFETCH(int, exitCode);
    // One request stuck in flight (20 s answers), standard input open with nothing more on it.
    const QString scenario = writeScenario(
        *m_dir, u"stuck"_s,
        QJsonObject {
            { u"latency"_s, QJsonObject { { u"distribution"_s, u"fixed"_s }, { u"ms"_s, 20000 } } } });
    QProcess sim;
    const QString baseUrl = startSim(&sim, { u"--scenario"_s, scenario }, environment());
    QVERIFY(!baseUrl.isEmpty());
    QProcess batch;
    startBatch(
        &batch,
        { u"--base-url"_s, baseUrl, u"--input=-"_s, u"--output"_s, path(u"out.jsonl"_s), u"--grace=1"_s },
        environment(u"test-key-1234"_s));
    QVERIFY(batch.waitForStarted(5000));
    batch.write("{\"id\":\"w1\",\"prompt\":\"x\"}\n");
    QTRY_VERIFY_WITH_TIMEOUT(simStats(baseUrl).value("requests"_L1).toInt() >= 1, 10000);
    QElapsedTimer clock;
    clock.start();
    QByteArray err;
    for (int signalNumber : signalsSent) {
        QVERIFY(sendSignal(&batch, signalNumber));
        if (signalsSent.size() > 1) // the kernel merges a signal still pending with the next one
            QTRY_VERIFY_WITH_TIMEOUT((err += batch.readAllStandardError()).contains("stopping"), 5000);
    }
    QVERIFY2(batch.waitForFinished(5000), "a signal did not end a run waiting for input");
    stopProcess(&sim);
    QCOMPARE(batch.exitStatus(), QProcess::NormalExit);
    QCOMPARE(batch.exitCode(), exitCode);
    QVERIFY(clock.elapsed() < 5000); // well inside the 20 s answer
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.first().value("status"_L1).toString(), u"cancelled"_s);
    // It was sent: its message must not claim otherwise.
    QCOMPARE(lines.first().value("attempts"_L1).toInt(), 1);
    const QString message = lines.first().value("error"_L1).toObject().value("message"_L1).toString();
    QVERIFY2(!message.startsWith("not sent"_L1), qPrintable(message));
}

void TestBatchEnds::setupErrorKeepsTheOutput_data()
{
    QTest::addColumn<QStringList>("extra"); // "@PORT": a port in use; "@DIR": the temporary directory
    QTest::addColumn<QString>("stderrPart");
    QTest::newRow("journal cannot open")
        << QStringList { u"--journal=@DIR/in.jsonl/j.sqlite"_s } << u"--journal"_s;
    QTest::newRow("journal is a directory") << QStringList { u"--journal=@DIR"_s } << u"--journal"_s;
    QTest::newRow("journal is the output") << QStringList { u"--journal=@DIR/out.jsonl"_s } << u"same file"_s;
    QTest::newRow("metrics port in use") << QStringList { u"--metrics-port=@PORT"_s } << u"--metrics-port"_s;
    QTest::newRow("bad redis url") << QStringList { u"--redis=redis://127.0.0.1:notaport"_s } << u"--redis"_s;
    QTest::newRow("summary directory missing")
        << QStringList { u"--summary=@DIR/none/s.json"_s } << u"--summary"_s;
    QTest::newRow("output is the input, resume")
        << QStringList { u"--output=@DIR/in.jsonl"_s, u"--resume"_s } << u"same file"_s;
}

void TestBatchEnds::setupErrorKeepsTheOutput()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, stderrPart);
    QTcpServer busy;
    QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
    const QByteArray input = "{\"id\":\"a\",\"prompt\":\"x\"}\n";
    writeFile(u"in.jsonl"_s, input);
    const QByteArray previous = "{\"custom_id\":\"earlier\",\"status\":\"succeeded\"}\n";
    writeFile(u"out.jsonl"_s, previous);
    for (QString &argument : extra) {
        argument.replace(u"@PORT"_s, QString::number(busy.serverPort()));
        argument.replace(u"@DIR"_s, m_dir->path());
    }
    const Run run = runBatch(QStringList { u"--simulate=steady"_s, u"--input"_s, path(u"in.jsonl"_s),
                                           u"--output"_s, path(u"out.jsonl"_s) }
                                 + extra,
                             environment(), 15000);
    QVERIFY2(run.exitCode == 2, run.err.constData());
    QVERIFY2(QString::fromUtf8(run.err).contains(stderrPart), run.err.constData());
    for (const QString &name : { u"out.jsonl"_s, u"in.jsonl"_s }) {
        QFile file(path(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), name == "in.jsonl"_L1 ? input : previous);
    }
}

QTEST_GUILESS_MAIN(TestBatchEnds)
#include "tst_batchends.moc"
