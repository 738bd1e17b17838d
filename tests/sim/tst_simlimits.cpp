// Rate limiting over real TCP: each header style, Retry-After forms, token limits, reset.
#include "core/sim/simserver.h"
#include "tests/sim/simtestclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTest>

using namespace gp::sim;
using namespace gp::sim::test;

class TestSimLimits final : public QObject
{
    Q_OBJECT

private slots:
    void requestLimitByStyle_data();
    void requestLimitByStyle();
    void headerStyleOverride();
    void tokenLimits();
    void tokensExceedOneRequest();
    void perModelLimitsAndReset();

private:
    std::unique_ptr<SimServer> start(const QByteArray &scenarioJson);
    std::unique_ptr<SimTestClient> m_client;
};

std::unique_ptr<SimServer> TestSimLimits::start(const QByteArray &scenarioJson)
{
    auto server = std::make_unique<SimServer>();
    QString error;
    if (!server->setScenarioJson(QJsonDocument::fromJson(scenarioJson).object(), &error))
        qFatal("scenario: %s", qPrintable(error));
    if (!server->listen())
        qFatal("listen failed");
    m_client
        = std::make_unique<SimTestClient>(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server->port())));
    return server;
}

void TestSimLimits::requestLimitByStyle_data()
{
    QTest::addColumn<QString>("style");
    QTest::addColumn<QString>("retryAfter");
    QTest::addColumn<bool>("retryAfterMs");
    QTest::newRow("openai, seconds, ms") << QStringLiteral("openai") << QStringLiteral("seconds") << true;
    QTest::newRow("ietf, http date") << QStringLiteral("ietf") << QStringLiteral("http_date") << false;
    QTest::newRow("xratelimit, seconds")
        << QStringLiteral("xratelimit") << QStringLiteral("seconds") << false;
    QTest::newRow("ietf legacy, seconds")
        << QStringLiteral("ietf_legacy") << QStringLiteral("seconds") << true;
    QTest::newRow("none, none") << QStringLiteral("none") << QStringLiteral("none") << false;
}

void TestSimLimits::requestLimitByStyle()
{
    QFETCH(QString, style);
    QFETCH(QString, retryAfter);
    QFETCH(bool, retryAfterMs);
    // 2 rps with a burst of 5: one request per 500 ms refills, slow enough to pin the counts.
    const QByteArray json = QStringLiteral(R"({"headers":"%1","retry_after":"%2","retry_after_ms":%3,)"
                                           R"("limits":{"requests_per_second":2,"burst":5}})")
                                .arg(style, retryAfter, retryAfterMs ? u"true" : u"false")
                                .toUtf8();
    const auto server = start(json);
    for (int i = 0; i < 5; ++i) {
        const SimReply ok = m_client->chat(SimTestClient::simpleChat());
        QCOMPARE(ok.status, 200);
        const QByteArray remaining = QByteArray::number(4 - i);
        if (style == u"openai") {
            QCOMPARE(ok.header("x-ratelimit-limit-requests"), QByteArray("2"));
            QCOMPARE(ok.header("x-ratelimit-remaining-requests"), remaining);
            QVERIFY(ok.header("x-ratelimit-reset-requests").endsWith("s"));
            QVERIFY(!ok.hasHeader("x-ratelimit-limit-tokens")); // tokens unlimited here
        } else if (style == u"ietf") {
            QCOMPARE(ok.header("ratelimit-policy"), QByteArray("\"default\";q=2;w=1"));
            QVERIFY2(ok.header("ratelimit").startsWith(QByteArray("\"default\";r=" + remaining + ";t=")),
                     ok.header("ratelimit"));
        } else if (style == u"ietf_legacy") {
            QCOMPARE(ok.header("ratelimit-limit"), QByteArray("2"));
            QCOMPARE(ok.header("ratelimit-remaining"), remaining);
            QVERIFY(ok.header("ratelimit-reset").toInt() >= 1);
            QVERIFY(!ok.hasHeader("ratelimit-policy"));
        } else if (style == u"xratelimit") {
            QCOMPARE(ok.header("x-ratelimit-limit"), QByteArray("2"));
            QCOMPARE(ok.header("x-ratelimit-remaining"), remaining);
        } else {
            for (const auto &[name, value] : ok.headers)
                QVERIFY2(!name.toLower().contains("ratelimit"), name.constData());
        }
    }
    const QDateTime before = QDateTime::currentDateTimeUtc();
    const SimReply limited = m_client->chat(SimTestClient::simpleChat());
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.json().value(u"code").toString(), QStringLiteral("Some resource has been exhausted"));
    QVERIFY(limited.json().value(u"error").toString().contains(u"requests"));
    QCOMPARE(limited.hasHeader("retry-after-ms"), retryAfterMs);
    if (retryAfterMs) {
        const int ms = limited.header("retry-after-ms").toInt();
        QVERIFY2(ms > 0 && ms <= 500, limited.header("retry-after-ms"));
    }
    if (retryAfter == u"seconds") {
        QCOMPARE(limited.header("retry-after"), QByteArray("1"));
    } else if (retryAfter == u"http_date") {
        const QDateTime date = QLocale::c().toDateTime(QString::fromLatin1(limited.header("retry-after")),
                                                       QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"));
        QVERIFY2(date.isValid(), limited.header("retry-after"));
        const qint64 delta
            = QDateTime(date.date(), date.time(), Qt::UTC).toMSecsSinceEpoch() - before.toMSecsSinceEpoch();
        QVERIFY2(delta >= 0 && delta <= 2000, qPrintable(QString::number(delta)));
    } else {
        QVERIFY(!limited.hasHeader("retry-after"));
    }
    if (style == u"openai")
        QCOMPARE(limited.header("x-ratelimit-remaining-requests"), QByteArray("0"));
    const QJsonObject stats = server->stats();
    QCOMPARE(stats.value(u"accepted").toInt(), 5);
    QCOMPARE(stats.value(u"rejected_429").toObject().value(u"requests").toInt(), 1);
    QCOMPARE(stats.value(u"statuses").toObject().value(u"429").toInt(), 1);
    // The limit refills: within a second one more request is admitted.
    bool admitted = false; // latched: QTRY re-evaluates its expression once more at the end
    const auto tryOnce
        = [&] { return admitted = admitted || m_client->chat(SimTestClient::simpleChat()).status == 200; };
    QTRY_VERIFY_WITH_TIMEOUT(tryOnce(), 2000);
}

void TestSimLimits::headerStyleOverride()
{
    const auto server = start(R"({"headers":"openai","limits":{"requests_per_second":2,"burst":5}})");
    QString error;
    QVERIFY(server->setHeaderStyle(QStringLiteral("ietf"), &error));
    QVERIFY(!server->setHeaderStyle(QStringLiteral("bogus"), &error));
    QVERIFY(error.contains(u"bogus"));
    const SimReply reply = m_client->chat(SimTestClient::simpleChat());
    QVERIFY(reply.hasHeader("ratelimit-policy"));
    QVERIFY(!reply.hasHeader("x-ratelimit-limit-requests"));
    QCOMPARE(server->stats().value(u"header_style").toString(), QStringLiteral("ietf"));
}

void TestSimLimits::tokenLimits()
{
    const auto server
        = start(R"({"headers":"openai","limits":{"tokens_per_minute":1000},"completion":{"words":200}})");
    QJsonObject body = SimTestClient::simpleChat();
    body.insert(QStringLiteral("max_completion_tokens"), 600);
    const SimReply first = m_client->chat(body);
    QCOMPARE(first.status, 200);
    const int used = first.json().value(u"usage").toObject().value(u"total_tokens").toInt();
    QVERIFY(used > 300);
    QCOMPARE(first.header("x-ratelimit-limit-tokens"), QByteArray("1000"));
    const int remaining = first.header("x-ratelimit-remaining-tokens").toInt();
    QVERIFY2(remaining >= 1000 - used && remaining <= 1000 - used + 2,
             first.header("x-ratelimit-remaining-tokens"));
    // The reservation (prompt + 600) no longer fits after a second answer: a tokens 429.
    int status = 200;
    for (int i = 0; i < 3 && status == 200; ++i) {
        const SimReply reply = m_client->chat(body);
        status = reply.status;
        if (status == 429) {
            QVERIFY(reply.json().value(u"error").toString().contains(u"Tokens per Minute (actual/limit): "));
            QVERIFY(reply.header("retry-after").toInt() >= 1);
        }
    }
    QCOMPARE(status, 429);
    QCOMPARE(server->stats().value(u"rejected_429").toObject().value(u"tokens").toInt(), 1);
}

void TestSimLimits::tokensExceedOneRequest()
{
    const auto server = start(R"({"limits":{"tokens_per_minute":16000}})");
    QJsonObject body = SimTestClient::simpleChat(QStringLiteral("Hello")); // 2 prompt tokens
    body.insert(QStringLiteral("max_completion_tokens"), 65603);
    const SimReply reply = m_client->chat(body);
    QCOMPARE(reply.status, 429);
    QVERIFY2(
        reply.json().value(u"error").toString().contains(u"Tokens per Minute (actual/limit): 65605/16000"),
        reply.body.constData());
    QVERIFY(!reply.hasHeader("retry-after")); // it can never succeed as sent
    QCOMPARE(server->stats().value(u"rejected_429").toObject().value(u"tokens_exceed").toInt(), 1);
}

void TestSimLimits::perModelLimitsAndReset()
{
    const auto server = start(R"({"limits":{"requests_per_minute":2,"burst":2},)"
                              R"("model_limits":{"grok-3-mini":{"requests_per_minute":60,"burst":10}}})");
    QCOMPARE(m_client->chat(SimTestClient::simpleChat()).status, 200);
    QCOMPARE(m_client->chat(SimTestClient::simpleChat()).status, 200);
    const SimReply limited = m_client->chat(SimTestClient::simpleChat());
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.header("x-ratelimit-limit-requests"), QByteArray("2"));
    QCOMPARE(limited.header("retry-after"), QByteArray("30")); // one request per 30 s refills
    QJsonObject mini = SimTestClient::simpleChat();
    mini.insert(QStringLiteral("model"), QStringLiteral("grok-3-mini"));
    const SimReply other = m_client->chat(mini);
    QCOMPARE(other.status, 200);
    QCOMPARE(other.json().value(u"model").toString(), QStringLiteral("grok-3-mini"));
    QCOMPARE(other.header("x-ratelimit-remaining-requests"), QByteArray("9"));
    // POST /sim/reset clears the limiter and the stats.
    QCOMPARE(m_client->post(QStringLiteral("/sim/reset"), QByteArray()).status, 200);
    QCOMPARE(server->stats().value(u"requests").toInt(), 0);
    QCOMPARE(m_client->chat(SimTestClient::simpleChat()).status, 200);
}

QTEST_GUILESS_MAIN(TestSimLimits)
#include "tst_simlimits.moc"
