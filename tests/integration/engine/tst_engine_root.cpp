// The Engine as the one composition root: built from one EngineConfig it wires the client,
// the scheduler, Telemetry (journal, Prometheus), a real redis-server and the simulator, and
// refuses or degrades as configured, with the problems as values.
#include "../pacing/redisprocess.h"
#include "core/client/client.h"
#include "core/engine/engine.h"
#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "core/sim/simserver.h"
#include "core/telemetry/telemetry.h"
#include "enginetestsupport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

class TestEngineRoot final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wiresEverythingAgainstTheSimulator();
    void unpacedHasNoScheduler();
    void strictRefusesBadRedisAtOnce();
    void degradedStartsWithABadEndpoint();
    void sharesQuotaThroughRealRedis();
    void redisDownIsAWarningNotAFailure();
    void journalThatCannotOpen_data();
    void journalThatCannotOpen();
    void badScenarioNeverRuns();

private:
    static EngineConfig simulated(const QString &key = u"engine-test-key-0123"_s);
    static QByteArray scrape(quint16 port);
};

EngineConfig TestEngineRoot::simulated(const QString &key)
{
    EngineConfig config;
    config.client = fastConfig(QUrl(u"https://unused.invalid/v1"_s));
    config.client.maxInFlight = 5;
    config.pacing.maxInFlight = 99; // not read: the client's concurrency is the one
    config.pacing.probeFirst = false;
    config.simulator = SimulatorConfig { u"steady"_s, 7, key };
    return config;
}

QByteArray TestEngineRoot::scrape(quint16 port)
{
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(port))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !done.wait(5000))
        return {};
    reply->deleteLater();
    return reply->readAll();
}

void TestEngineRoot::wiresEverythingAgainstTheSimulator()
{
    QTemporaryDir dir;
    EngineConfig config = simulated();
    config.journal.path = dir.filePath(u"journal.sqlite"_s);
    config.telemetry.metricsPort = 0;
    Engine engine(config);
    QCOMPARE(engine.start(), QList<ConfigProblem> {});
    QVERIFY(engine.isRunning());
    QVERIFY(engine.simulator());
    QCOMPARE(engine.baseUrl(), engine.simulator()->baseUrl()); // the simulator's URL replaced the config's
    QCOMPARE(engine.client()->chatCompletionsUrl().toString(),
             engine.simulator()->baseUrl().toString() + u"/chat/completions"_s);
    QCOMPARE(engine.client()->pacer(), static_cast<Pacer *>(engine.scheduler()));
    QCOMPARE(engine.pacer(), static_cast<Pacer *>(engine.scheduler()));
    QCOMPARE(engine.scheduler()->config().maxInFlight, 5);
    QCOMPARE(engine.client()->concurrencyCap(), 5);
    QVERIFY(!engine.redisLimiter());

    const Outcome outcome = waitFor(engine.client()->submit(simpleRequest()));
    QVERIFY2(outcome.isSuccess(), qPrintable(outcome.error.message)); // the simulator accepted its key
    // Telemetry heard the client: Prometheus counts the request, the journal holds its events.
    QTRY_VERIFY_WITH_TIMEOUT(
        scrape(engine.telemetry()->metricsPort()).contains("grokpulse_submitted_total 1"), 5000);
    QVERIFY(engine.telemetry()->journal());
    QString error;
    QVERIFY2(engine.telemetry()->journal()->flush(&error), qPrintable(error));
    QVERIFY(QFileInfo(config.journal.path).size() > 0);
}

void TestEngineRoot::unpacedHasNoScheduler()
{
    EngineConfig config = simulated();
    config.paced = false;
    config.telemetry.enabled = false;
    Engine engine(config);
    QCOMPARE(engine.start(), QList<ConfigProblem> {});
    QVERIFY(!engine.scheduler());
    QVERIFY(!engine.telemetry());
    QVERIFY(engine.pacer()); // the client's own pass-through pacer
    QCOMPARE(waitFor(engine.client()->submit(simpleRequest())).status, JobStatus::Succeeded);
}

void TestEngineRoot::strictRefusesBadRedisAtOnce()
{
    EngineConfig config = simulated();
    config.pacing.redisUrl = u"http://not-redis"_s;
    Engine engine(config);
    const QList<ConfigProblem> problems = engine.start();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().field, ConfigField::Redis);
    QVERIFY(!engine.isRunning());
    QVERIFY(!engine.client());
    QVERIFY(!engine.simulator()); // nothing was started
}

void TestEngineRoot::degradedStartsWithABadEndpoint()
{
    EngineConfig config;
    config.client = fastConfig(QUrl(u"http://remote.example/v1"_s));
    config.pacing.redisUrl = u"nonsense"_s;
    config.runDegraded = true;
    Engine engine(config);
    const QList<ConfigProblem> problems = engine.start();
    QCOMPARE(problems.size(), 2);
    QCOMPARE(problems.at(0).field, ConfigField::Endpoint);
    QCOMPARE(problems.at(1).field, ConfigField::Redis);
    QVERIFY(engine.isRunning());
    QVERIFY(!engine.redisLimiter()); // paced locally
    const Outcome outcome = waitFor(engine.client()->submit(simpleRequest()));
    QCOMPARE(outcome.error.errorClass, ErrorClass::Tls); // every job says why, where the user sees it
    QCOMPARE(outcome.error.message, problems.at(0).message);
}

void TestEngineRoot::sharesQuotaThroughRealRedis()
{
    RedisProcess redis;
    if (!redis.start())
        QSKIP("redis-server is not installed here (scripts/install-deps.sh installs it)");
    EngineConfig config = simulated();
    config.pacing.redisUrl = redis.url();
    config.pacing.redisNamespace = u"engine-root-test"_s;
    config.pacing.requestsPerSecond = 50;
    Engine a(config);
    Engine b(config);
    QCOMPARE(a.start(), QList<ConfigProblem> {});
    QCOMPARE(b.start(), QList<ConfigProblem> {});
    QVERIFY(a.redisLimiter());
    QCOMPARE(a.scheduler()->sharedLimiter(), static_cast<SharedLimiter *>(a.redisLimiter()));
    QTRY_VERIFY_WITH_TIMEOUT(a.redisLimiter()->isShared() && b.redisLimiter()->isShared(), 3000);
    QTRY_COMPARE_WITH_TIMEOUT(a.redisLimiter()->instanceCount(), 2, 3000); // they see each other
    QCOMPARE(waitFor(a.client()->submit(simpleRequest())).status, JobStatus::Succeeded);
    QCOMPARE(waitFor(b.client()->submit(simpleRequest())).status, JobStatus::Succeeded);
}

void TestEngineRoot::redisDownIsAWarningNotAFailure()
{
    RedisProcess nowhere; // never started: nothing listens on its port
    EngineConfig config = simulated();
    config.pacing.redisUrl = nowhere.url();
    Engine engine(config);
    QSignalSpy warnings(&engine, &Engine::warning);
    QCOMPARE(engine.start(), QList<ConfigProblem> {}); // a good URL: Redis may come later
    QTRY_VERIFY_WITH_TIMEOUT(!warnings.isEmpty(), 3000);
    QCOMPARE(warnings.first().at(0).value<ConfigField>(), ConfigField::Redis);
    QVERIFY2(warnings.first().at(1).toString().contains(u"unreachable"_s),
             qPrintable(warnings.first().at(1).toString()));
    QCOMPARE(waitFor(engine.client()->submit(simpleRequest())).status, JobStatus::Succeeded); // paced locally
}

void TestEngineRoot::journalThatCannotOpen_data()
{
    QTest::addColumn<bool>("degraded");
    QTest::newRow("strict") << false;
    QTest::newRow("degraded") << true;
}

void TestEngineRoot::journalThatCannotOpen()
{
    QFETCH(bool, degraded);
    QTemporaryDir dir;
    EngineConfig config = simulated();
    config.journal.path = dir.path(); // a directory, not a file
    config.runDegraded = degraded;
    Engine engine(config);
    const QList<ConfigProblem> problems = engine.start();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().field, ConfigField::Journal);
    QCOMPARE(engine.isRunning(), degraded);
    if (degraded)
        QVERIFY(!engine.telemetry()->journal());
}

void TestEngineRoot::badScenarioNeverRuns()
{
    EngineConfig config = simulated();
    config.simulator->scenario = u"no-such-scenario"_s;
    config.runDegraded = true;
    Engine engine(config);
    const QList<ConfigProblem> problems = engine.start();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().field, ConfigField::Simulator);
    QVERIFY(problems.first().message.contains(u"no-such-scenario"_s));
    QVERIFY(!engine.isRunning());
}

QTEST_GUILESS_MAIN(TestEngineRoot)
#include "tst_engine_root.moc"
