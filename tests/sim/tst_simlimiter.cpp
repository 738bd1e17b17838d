// Pure parts of the simulator: the limiter with pinned time, header rendering and
// scenario validation (every built-in scenario loads; bad fields are named).
#include "core/sim/quotaheaders.h"
#include "core/sim/ratelimiter.h"
#include "core/sim/scenario.h"
#include "core/sim/simserver.h"

#include <QJsonDocument>
#include <QTest>

using namespace gp::sim;

class TestSimLimiter final : public QObject
{
    Q_OBJECT

private slots:
    void requestBurstThenRate();
    void tokensReserveAndSettle();
    void tokensExceedLimit();
    void goDuration_data();
    void goDuration();
    void ietfAndXRateLimitRendering();
    void builtInScenariosLoad();
    void badScenario_data();
    void badScenario();
};

void TestSimLimiter::requestBurstThenRate()
{
    RateLimiter limiter;
    ModelLimits limits;
    limits.requests = 10;
    limits.burst = 5;
    for (int i = 0; i < 5; ++i) {
        const Admission a = limiter.admit(QStringLiteral("m"), limits, 0, 0);
        QCOMPARE(a.outcome, Admission::Outcome::Admitted);
        QCOMPARE(a.requests.remaining, 4 - i);
        QCOMPARE(a.requests.limit, 10);
        QCOMPARE(a.requests.resetMs, 100 * (i + 1));
    }
    const Admission denied = limiter.admit(QStringLiteral("m"), limits, 0, 0);
    QCOMPARE(denied.outcome, Admission::Outcome::RequestsExhausted);
    QCOMPARE(denied.retryAfterMs, 100);
    QCOMPARE(denied.requests.remaining, 0);
    QCOMPARE(limiter.admit(QStringLiteral("other"), limits, 0, 0).outcome, Admission::Outcome::Admitted);
    QCOMPARE(limiter.admit(QStringLiteral("m"), limits, 0, 99).outcome,
             Admission::Outcome::RequestsExhausted);
    QCOMPARE(limiter.admit(QStringLiteral("m"), limits, 0, 100).outcome, Admission::Outcome::Admitted);
    QCOMPARE(limiter.peek(QStringLiteral("m"), limits, 600).requests.remaining, 5);
    limiter.reset();
    QCOMPARE(limiter.peek(QStringLiteral("m"), limits, 0).requests.remaining, 5);
}

void TestSimLimiter::tokensReserveAndSettle()
{
    RateLimiter limiter;
    ModelLimits limits;
    limits.tokensPerMinute = 6000;
    Admission a = limiter.admit(QStringLiteral("m"), limits, 4000, 0);
    QCOMPARE(a.outcome, Admission::Outcome::Admitted);
    QCOMPARE(a.tokens.remaining, 2000);
    QCOMPARE(a.tokens.resetMs, 40000); // 4000 tokens drain at 100 per second
    a = limiter.admit(QStringLiteral("m"), limits, 4000, 0);
    QCOMPARE(a.outcome, Admission::Outcome::TokensExhausted);
    QCOMPARE(a.retryAfterMs, 20000);
    limiter.settle(QStringLiteral("m"), limits, 4000, 1000, 0); // actual usage was smaller
    QCOMPARE(limiter.peek(QStringLiteral("m"), limits, 0).tokens.remaining, 5000);
    QCOMPARE(limiter.admit(QStringLiteral("m"), limits, 4000, 0).outcome, Admission::Outcome::Admitted);
    QCOMPARE(limiter.peek(QStringLiteral("m"), limits, 30000).tokens.remaining, 4000);
}

void TestSimLimiter::tokensExceedLimit()
{
    RateLimiter limiter;
    ModelLimits limits;
    limits.tokensPerMinute = 16000;
    QCOMPARE(limiter.admit(QStringLiteral("m"), limits, 65605, 0).outcome,
             Admission::Outcome::TokensExceedLimit);
    QCOMPARE(limiter.peek(QStringLiteral("m"), limits, 0).tokens.remaining, 16000); // nothing reserved
}

void TestSimLimiter::goDuration_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("zero") << qint64(0) << QByteArray("0s");
    QTest::newRow("ms") << qint64(120) << QByteArray("120ms");
    QTest::newRow("1s") << qint64(1000) << QByteArray("1s");
    QTest::newRow("1.5s") << qint64(1500) << QByteArray("1.5s");
    QTest::newRow("1.05s") << qint64(1050) << QByteArray("1.05s");
    QTest::newRow("6m0s") << qint64(360000) << QByteArray("6m0s");
    QTest::newRow("1m30.5s") << qint64(90500) << QByteArray("1m30.5s");
    QTest::newRow("2h0m0s") << qint64(7200000) << QByteArray("2h0m0s");
}

void TestSimLimiter::goDuration()
{
    QFETCH(qint64, ms);
    QFETCH(QByteArray, text);
    QCOMPARE(QuotaHeaders::goDuration(ms), text);
}

void TestSimLimiter::ietfAndXRateLimitRendering()
{
    LimitState requests { true, 10, 1000, 3, 700 };
    LimitState tokens { true, 6000, 60000, 5000, 10000 };
    const SimHeaders ietf = QuotaHeaders::quota(HeaderStyle::Ietf, requests, tokens);
    QCOMPARE(ietf.size(), 2);
    QCOMPARE(ietf.at(0), SimHeader("RateLimit-Policy", "\"default\";q=10;w=1, \"tokens\";q=6000;w=60"));
    QCOMPARE(ietf.at(1), SimHeader("RateLimit", "\"default\";r=3;t=1, \"tokens\";r=5000;t=10"));
    const SimHeaders x = QuotaHeaders::quota(HeaderStyle::XRateLimit, requests, tokens);
    QCOMPARE(x,
             SimHeaders({ SimHeader("X-RateLimit-Limit", "10"), SimHeader("X-RateLimit-Remaining", "3"),
                          SimHeader("X-RateLimit-Reset", "1") }));
    QVERIFY(QuotaHeaders::quota(HeaderStyle::None, requests, tokens).isEmpty());
    QVERIFY(QuotaHeaders::quota(HeaderStyle::OpenAI, LimitState(), LimitState()).isEmpty());
}

void TestSimLimiter::builtInScenariosLoad()
{
    for (const QString &name : SimServer::builtInScenarios()) {
        SimServer server;
        QString error;
        QVERIFY2(server.loadScenario(name, &error), qPrintable(name + u": " + error));
        QCOMPARE(server.scenarioName(), name);
    }
    SimServer server;
    QString error;
    QVERIFY(!server.loadScenario(QStringLiteral("/nonexistent/x.json"), &error));
    QVERIFY(error.contains(u"x.json"));
}

void TestSimLimiter::badScenario_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("unknown top field") << QByteArray(R"({"limitz":{}})") << QStringLiteral("\"limitz\"");
    QTest::newRow("bad header style")
        << QByteArray(R"({"headers":"fancy"})") << QStringLiteral("\"headers\"");
    QTest::newRow("negative rps") << QByteArray(R"({"limits":{"requests_per_second":-1}})")
                                  << QStringLiteral("\"limits.requests_per_second\"");
    QTest::newRow("rps and rpm") << QByteArray(
        R"({"limits":{"requests_per_second":1,"requests_per_minute":5}})")
                                 << QStringLiteral("\"limits.requests_per_minute\"");
    QTest::newRow("fractional burst")
        << QByteArray(R"({"limits":{"burst":1.5}})") << QStringLiteral("\"limits.burst\"");
    QTest::newRow("unknown fault kind")
        << QByteArray(R"({"faults":[{"kind":"gremlin","probability":0.1}]})") << QStringLiteral("gremlin");
    QTest::newRow("probability > 1") << QByteArray(R"({"faults":[{"kind":"capacity","probability":1.5}]})")
                                     << QStringLiteral("\"faults[0].probability\"");
    QTest::newRow("sum > 1") << QByteArray(R"({"faults":[{"kind":"capacity","probability":0.6},)"
                                           R"({"kind":"unauthorized","probability":0.6}]})")
                             << QStringLiteral("add up");
    QTest::newRow("outage without start")
        << QByteArray(R"({"outages":[{"duration_s":3}]})") << QStringLiteral("\"outages[0].start_s\"");
    QTest::newRow("latency distribution") << QByteArray(R"({"latency":{"distribution":"pareto"}})")
                                          << QStringLiteral("\"latency.distribution\"");
    QTest::newRow("retry_after") << QByteArray(R"({"retry_after":"later"})")
                                 << QStringLiteral("\"retry_after\"");
    QTest::newRow("wrong key status")
        << QByteArray(R"({"wrong_key_status":404})") << QStringLiteral("\"wrong_key_status\"");
    QTest::newRow("credits 500") << QByteArray(R"({"faults":[{"kind":"credits_exhausted","status":500}]})")
                                 << QStringLiteral("429 or 403");
}

void TestSimLimiter::badScenario()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    SimServer server;
    QString error;
    QVERIFY(!server.setScenarioJson(QJsonDocument::fromJson(json).object(), &error));
    QVERIFY2(error.contains(field), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestSimLimiter)
#include "tst_simlimiter.moc"
