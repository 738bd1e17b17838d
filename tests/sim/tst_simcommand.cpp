// `grokpulse sim` as a subprocess: the first stdout line, requests, signals, bad options.
#include "tests/sim/simtestclient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

using namespace gp::sim::test;

class TestSimCommand final : public QObject
{
    Q_OBJECT

private slots:
    void servesAndStopsOnSignal_data();
    void servesAndStopsOnSignal();
    void requiredKeyFromEnvironment();
    void badOptions_data();
    void badOptions();

private:
    static quint16 startSim(QProcess &process, const QStringList &extra);
};

quint16 TestSimCommand::startSim(QProcess &process, const QStringList &extra)
{
    process.start(QStringLiteral(GROKPULSE_BIN), QStringList { QStringLiteral("sim") } + extra);
    if (!process.waitForStarted(5000))
        return 0;
    while (!process.canReadLine()) {
        if (!process.waitForReadyRead(10000))
            return 0;
    }
    const QString line = QString::fromUtf8(process.readLine()).chopped(1);
    static const QRegularExpression pattern(QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)$"));
    const QRegularExpressionMatch match = pattern.match(line);
    return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}

void TestSimCommand::servesAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestSimCommand::servesAndStopsOnSignal()
{
    QFETCH(int, signal);
    QProcess process;
    const quint16 port
        = startSim(process,
                   { QStringLiteral("--scenario"), QStringLiteral("tight-quota"), QStringLiteral("--seed"),
                     QStringLiteral("5"), QStringLiteral("--header-style"), QStringLiteral("ietf") });
    QVERIFY2(port != 0, process.readAllStandardError().constData());
    SimTestClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    const SimReply reply = client.chat(SimTestClient::simpleChat());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("ratelimit-policy"), QByteArray("\"default\";q=10;w=1"));
    QCOMPARE(client.get(QStringLiteral("/sim/stats")).json().value(u"scenario").toString(),
             QStringLiteral("tight-quota"));
    // Never kill(0, ...): that would signal ctest's whole process group.
    QVERIFY(process.state() == QProcess::Running && process.processId() > 0);
    QCOMPARE(::kill(pid_t(process.processId()), signal), 0);
    QVERIFY(process.waitForFinished(5000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

void TestSimCommand::requiredKeyFromEnvironment()
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GP_TEST_SIM_KEY"), QStringLiteral("xai-sim-secret"));
    process.setProcessEnvironment(environment);
    const quint16 port
        = startSim(process, { QStringLiteral("--api-key-env"), QStringLiteral("GP_TEST_SIM_KEY") });
    QVERIFY(port != 0);
    SimTestClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    const QByteArray body = R"({"model":"grok-4","messages":[{"role":"user","content":"hi"}]})";
    QCOMPARE(client.post(QStringLiteral("/v1/chat/completions"), body).status, 401);
    QCOMPARE(client
                 .post(QStringLiteral("/v1/chat/completions"), body, {}, "application/json",
                       "Bearer xai-sim-secret")
                 .status,
             200);
    process.terminate();
    QVERIFY(process.waitForFinished(5000));
    const QByteArray output = process.readAllStandardOutput() + process.readAllStandardError();
    QVERIFY(!output.contains("xai-sim-secret"));
}

void TestSimCommand::badOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown scenario")
        << QStringList { QStringLiteral("--scenario"), QStringLiteral("nope.json") }
        << QStringLiteral("nope.json");
    QTest::newRow("bad port") << QStringList { QStringLiteral("--port"), QStringLiteral("70000") }
                              << QStringLiteral("--port");
    QTest::newRow("bad style") << QStringList { QStringLiteral("--header-style"), QStringLiteral("fancy") }
                               << QStringLiteral("fancy");
    QTest::newRow("unset key variable")
        << QStringList { QStringLiteral("--api-key-env"), QStringLiteral("GP_TEST_SURELY_UNSET") }
        << QStringLiteral("GP_TEST_SURELY_UNSET");
}

void TestSimCommand::badOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QProcess process;
    process.start(QStringLiteral(GROKPULSE_BIN), QStringList { QStringLiteral("sim") } + arguments);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardOutput().isEmpty());
    QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(message));
}

QTEST_GUILESS_MAIN(TestSimCommand)
#include "tst_simcommand.moc"
