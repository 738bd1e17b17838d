// EngineConfig validation: every problem is a value naming what it is about, found before
// anything starts (so `batch` exits 2 at once), and never quoting a secret.
#include "core/engine/engineconfig.h"

#include <QTest>

#include <functional>

using namespace gp;
using namespace Qt::StringLiterals;

using Tweak = std::function<void(EngineConfig &)>;
Q_DECLARE_METATYPE(Tweak)

class TestEngineConfig final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validatesEndpointAndRedis_data();
    void validatesEndpointAndRedis() { check(); }
    void validatesLimitsRetryAndMetrics_data();
    void validatesLimitsRetryAndMetrics() { check(); }
    void neverQuotesSecrets();

private:
    static void columns();
    static void row(const char *name, Tweak tweak, QStringList fields, QString fragment = {});
    static void check();
};

void TestEngineConfig::columns()
{
    QTest::addColumn<Tweak>("tweak");
    QTest::addColumn<QStringList>("fields"); // the problems' fields, in order
    QTest::addColumn<QString>("fragment"); // in the first problem's message
}

void TestEngineConfig::row(const char *name, Tweak tweak, QStringList fields, QString fragment)
{
    QTest::newRow(name) << std::move(tweak) << std::move(fields) << std::move(fragment);
}

void TestEngineConfig::validatesEndpointAndRedis_data()
{
    columns();
    row("defaults", [](EngineConfig &) {}, {});
    row(
        "not http", [](EngineConfig &c) { c.client.baseUrl = QUrl(u"ftp://api.x.ai/v1"_s); },
        { u"endpoint"_s }, u"not an http(s) URL"_s);
    row("no host", [](EngineConfig &c) { c.client.baseUrl = QUrl(u"https:///v1"_s); }, { u"endpoint"_s });
    row(
        "plain http to a remote host",
        [](EngineConfig &c) { c.client.baseUrl = QUrl(u"http://api.example.com/v1"_s); }, { u"endpoint"_s },
        u"refusing to send the API key over plain http to api.example.com"_s);
    row("plain http allowed",
        [](EngineConfig &c) {
            c.client.baseUrl = QUrl(u"http://api.example.com/v1"_s);
            c.client.allowInsecureHttp = true;
        },
        {});
    row("plain http on loopback",
        [](EngineConfig &c) { c.client.baseUrl = QUrl(u"http://127.0.0.1:9/v1"_s); }, {});
    row("the simulator replaces the endpoint",
        [](EngineConfig &c) {
            c.client.baseUrl = QUrl(u"ftp://nowhere"_s);
            c.simulator = SimulatorConfig {};
        },
        {});
    row(
        "bad redis url", [](EngineConfig &c) { c.pacing.redisUrl = u"http://nope"_s; }, { u"redis"_s },
        u"redis://"_s);
    row(
        "redis port out of range", [](EngineConfig &c) { c.pacing.redisUrl = u"redis://h:70000/0"_s; },
        { u"redis"_s }, u"port"_s);
    row("good redis url", [](EngineConfig &c) { c.pacing.redisUrl = u"redis://127.0.0.1:6379/2"_s; }, {});
    row(
        "redis without pacing",
        [](EngineConfig &c) {
            c.paced = false;
            c.pacing.redisUrl = u"redis://127.0.0.1:6379/0"_s;
        },
        { u"redis"_s }, u"needs pacing"_s);
}

void TestEngineConfig::validatesLimitsRetryAndMetrics_data()
{
    columns();
    row(
        "negative rate", [](EngineConfig &c) { c.pacing.requestsPerSecond = -1; }, { u"limits"_s },
        u"negative"_s);
    row(
        "burst without a rate", [](EngineConfig &c) { c.pacing.requestBurst = 5; }, { u"limits"_s },
        u"request burst"_s);
    row("burst with a rate",
        [](EngineConfig &c) {
            c.pacing.requestsPerSecond = 2;
            c.pacing.requestBurst = 5;
        },
        {});
    row(
        "token burst without a token limit", [](EngineConfig &c) { c.pacing.tokenBurst = 1000; },
        { u"limits"_s }, u"token burst"_s);
    row("no concurrency", [](EngineConfig &c) { c.client.maxInFlight = 0; }, { u"limits"_s });
    row("unpaced ignores pacing limits",
        [](EngineConfig &c) {
            c.paced = false;
            c.pacing.requestsPerSecond = -3;
        },
        {});
    row("no attempt", [](EngineConfig &c) { c.client.retry.maxAttempts = 0; }, { u"retry"_s });
    row(
        "backoff cap below base",
        [](EngineConfig &c) {
            c.client.retry.baseMs = 5000;
            c.client.retry.capMs = 100;
        },
        { u"retry"_s }, u"cap"_s);
    row("no such metrics port", [](EngineConfig &c) { c.telemetry.metricsPort = 70000; }, { u"metrics"_s });
    row("every problem, in order",
        [](EngineConfig &c) {
            c.client.baseUrl = QUrl(u"http://remote.example/v1"_s);
            c.pacing.redisUrl = u"nope"_s;
            c.pacing.tokensPerMinute = -5;
            c.client.retry.maxAttempts = 0;
        },
        { u"endpoint"_s, u"redis"_s, u"limits"_s, u"retry"_s });
}

void TestEngineConfig::check()
{
    QFETCH(Tweak, tweak);
    QFETCH(QStringList, fields);
    QFETCH(QString, fragment);
    EngineConfig config;
    tweak(config);
    const QList<ConfigProblem> problems = validateEngineConfig(config);
    QStringList got;
    for (const ConfigProblem &p : problems)
        got.append(configFieldName(p.field));
    QCOMPARE(got, fields);
    if (!fragment.isEmpty())
        QVERIFY2(problems.first().message.contains(fragment), qPrintable(problems.first().message));
}

void TestEngineConfig::neverQuotesSecrets()
{
    EngineConfig config;
    config.client.apiKey = u"xai-planted-secret-0123456789"_s;
    config.client.baseUrl = QUrl(u"http://remote.example/v1"_s);
    config.pacing.redisUrl = u"redis://user:redis-password-42@h:99999/0"_s;
    const QList<ConfigProblem> problems = validateEngineConfig(config);
    QCOMPARE(problems.size(), 2);
    for (const ConfigProblem &p : problems) {
        QVERIFY2(!p.message.contains(u"xai-planted-secret"_s), qPrintable(p.message));
        QVERIFY2(!p.message.contains(u"redis-password-42"_s), qPrintable(p.message));
    }
}

QTEST_GUILESS_MAIN(TestEngineConfig)
#include "tst_engineconfig.moc"
