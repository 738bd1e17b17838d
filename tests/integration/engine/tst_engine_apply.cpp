// Engine::apply(): a new configuration while running. What the parts can take is pushed into
// them (the Client, the Scheduler, Telemetry) and reported as applied; what is read only at
// start is reported as needing a restart and left as it runs; a bad configuration is refused.
#include "../pacing/redisprocess.h"
#include "core/client/client.h"
#include "core/engine/engine.h"
#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "core/sim/simserver.h"
#include "enginetestsupport.h"

#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

class TestEngineApply final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pushesLiveSettingsAndNamesTheRest();
    void refusesABadConfigurationWhole();
    void unpacedCannotTakePacingLive();
    void beforeStartEverythingIsTaken();
    void redisUrlAppliesLive();

private:
    static EngineConfig simulated();
};

EngineConfig TestEngineApply::simulated()
{
    EngineConfig config;
    config.client = fastConfig(QUrl(u"https://api.x.ai/v1"_s));
    config.client.maxInFlight = 5;
    config.pacing.requestsPerSecond = 20;
    config.simulator = SimulatorConfig { u"steady"_s, 7, {} };
    config.runDegraded = true;
    return config;
}

void TestEngineApply::pushesLiveSettingsAndNamesTheRest()
{
    Engine engine(simulated());
    QVERIFY(engine.start().isEmpty());
    EngineConfig next = simulated();
    next.client.defaultModel = u"grok-3-mini"_s;
    next.pacing.redisModel = u"grok-3-mini"_s;
    next.client.retry.maxAttempts = 2;
    next.client.timeouts.firstByteMs = 4321;
    next.client.maxInFlight = 3;
    next.pacing.requestsPerSecond = 4;
    next.pacing.tokensPerMinute = 6000;
    next.pacing.interactiveReserve = 0.4;
    next.pacing.adaptive = false;
    next.telemetry.alerts.latencyP95ThresholdMs = 2500;
    next.client.baseUrl = QUrl(u"https://api.example.test/v1"_s);
    next.journal.path = u"/tmp/elsewhere.sqlite"_s;
    next.telemetry.metricsPort = 0;
    next.simulator->scenario = u"flaky"_s;
    const ApplyReport report = engine.apply(next);
    QVERIFY(!report.refused);
    const QList<EngineSetting> live { EngineSetting::DefaultModel, EngineSetting::Retry,
                                      EngineSetting::Timeouts,     EngineSetting::Concurrency,
                                      EngineSetting::Limits,       EngineSetting::Adaptive,
                                      EngineSetting::Priorities,   EngineSetting::Alerts };
    QCOMPARE(report.applied, live);
    const QList<EngineSetting> later { EngineSetting::Endpoint, EngineSetting::Journal,
                                       EngineSetting::Metrics, EngineSetting::Simulator };
    QCOMPARE(report.needsRestart, later);
    // In the parts now, not only in the config.
    QCOMPARE(engine.client()->config().retry.maxAttempts, 2);
    QCOMPARE(engine.client()->config().defaultModel, u"grok-3-mini"_s);
    QCOMPARE(engine.client()->config().timeouts.firstByteMs, 4321);
    QCOMPARE(engine.client()->concurrencyCap(), 3);
    QCOMPARE(engine.scheduler()->config().requestsPerSecond, 4.0);
    QCOMPARE(engine.scheduler()->config().maxInFlight, 3);
    QCOMPARE(engine.scheduler()->config().interactiveReserve, 0.4);
    QVERIFY(!engine.scheduler()->config().adaptive);
    QCOMPARE(engine.scheduler()->state().limitTokensPerMinute.value_or(0.0), 6000.0);
    // What needs a restart runs as it was: the simulator's URL, not the new endpoint.
    QVERIFY(engine.client()->chatCompletionsUrl().host() == u"127.0.0.1"_s);
    // Applied again: only the restart-only settings are still different.
    const ApplyReport again = engine.apply(next);
    QVERIFY(again.applied.isEmpty());
    QCOMPARE(again.needsRestart, later);
}

void TestEngineApply::refusesABadConfigurationWhole()
{
    Engine engine(simulated());
    QVERIFY(engine.start().isEmpty());
    EngineConfig next = simulated();
    next.pacing.requestsPerSecond = 2;
    next.client.retry.baseMs = 5000;
    next.client.retry.capMs = 1000; // below its base
    const ApplyReport report = engine.apply(next);
    QVERIFY(report.refused);
    QVERIFY(report.applied.isEmpty());
    QCOMPARE(report.problems.size(), 1);
    QCOMPARE(report.problems.first().field, ConfigField::Retry);
    QCOMPARE(engine.scheduler()->config().requestsPerSecond, 20.0); // not half of it either
    QCOMPARE(engine.client()->config().retry.capMs, simulated().client.retry.capMs);
}

void TestEngineApply::unpacedCannotTakePacingLive()
{
    EngineConfig config = simulated();
    config.paced = false;
    Engine engine(config);
    QVERIFY(engine.start().isEmpty());
    EngineConfig next = config;
    next.pacing.requestsPerSecond = 4;
    next.client.retry.maxAttempts = 4;
    const ApplyReport report = engine.apply(next);
    QCOMPARE(report.applied, QList<EngineSetting> { EngineSetting::Retry });
    QCOMPARE(report.needsRestart, QList<EngineSetting> { EngineSetting::Limits });
}

void TestEngineApply::beforeStartEverythingIsTaken()
{
    Engine engine(simulated());
    EngineConfig next = simulated();
    next.pacing.requestsPerSecond = 4;
    next.simulator->scenario = u"flaky"_s;
    const ApplyReport report = engine.apply(next);
    QCOMPARE(report.applied, (QList<EngineSetting> { EngineSetting::Limits, EngineSetting::Simulator }));
    QVERIFY(report.needsRestart.isEmpty());
    QVERIFY(engine.start().isEmpty());
    QCOMPARE(engine.scheduler()->config().requestsPerSecond, 4.0);
    QCOMPARE(engine.simulator()->scenarioName(), u"flaky"_s);
}

// A Redis URL given while running joins the shared quota at once; emptied, pacing is local again.
void TestEngineApply::redisUrlAppliesLive()
{
    RedisProcess redis;
    if (!redis.start())
        QSKIP("redis-server is not installed here (scripts/install-deps.sh installs it)");
    Engine engine(simulated());
    QVERIFY(engine.start().isEmpty());
    QVERIFY(!engine.redisLimiter());
    EngineConfig next = simulated();
    next.pacing.redisUrl = redis.url();
    next.pacing.redisNamespace = u"engine-apply-test"_s;
    ApplyReport report = engine.apply(next);
    QCOMPARE(report.applied, QList<EngineSetting> { EngineSetting::Redis });
    QVERIFY(report.problems.isEmpty());
    QVERIFY(engine.redisLimiter());
    QCOMPARE(engine.scheduler()->sharedLimiter(), static_cast<SharedLimiter *>(engine.redisLimiter()));
    QTRY_VERIFY_WITH_TIMEOUT(engine.redisLimiter()->isShared(), 3000);
    QCOMPARE(waitFor(engine.client()->submit(simpleRequest())).status, JobStatus::Succeeded);
    // A URL that does not parse is said and not used: the running quota stays.
    EngineConfig bad = next;
    bad.pacing.redisUrl = u"http://not-redis"_s;
    report = engine.apply(bad);
    QVERIFY(!report.refused);
    QVERIFY(report.applied.isEmpty());
    QCOMPARE(report.problems.size(), 1);
    QCOMPARE(report.problems.first().field, ConfigField::Redis);
    QVERIFY(engine.redisLimiter() && engine.redisLimiter()->isShared());
    next.pacing.redisUrl.clear();
    report = engine.apply(next);
    QCOMPARE(report.applied, QList<EngineSetting> { EngineSetting::Redis });
    QVERIFY(!engine.redisLimiter());
    QVERIFY(!engine.scheduler()->sharedLimiter());
    QCOMPARE(waitFor(engine.client()->submit(simpleRequest())).status, JobStatus::Succeeded);
}

QTEST_GUILESS_MAIN(TestEngineApply)
#include "tst_engine_apply.moc"
