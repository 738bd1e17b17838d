// The xAI (2026) wordings of quota and access errors, over real TCP; the "classic" and
// "capacity" options; a refused oversized body answered with 413.
#include "core/sim/simserver.h"
#include "core/sim/simwordings.h"
#include "tests/sim/simtestclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace gp::sim;
using namespace gp::sim::test;

namespace {

const QString kTeam = QString::fromLatin1(SimWordings::kTeamId);

// The token wording of api.x.ai, as quoted from a real 429 (65605/16000 for one Grok 4 prompt).
QRegularExpression tokenWording(const QString &model, qint64 limit)
{
    return QRegularExpression(
        QStringLiteral(
            "^Too many tokens for team %1 and model %2\\. Your team's rate limit is \u2014 Tokens per "
            "Minute \\(actual/limit\\): (\\d+)/%3\\. You can view your team rate limits at "
            "https://console\\.x\\.ai\\.$")
            .arg(QRegularExpression::escape(kTeam), QRegularExpression::escape(model))
            .arg(limit));
}

} // namespace

class TestSimWordings final : public QObject
{
    Q_OBJECT

private slots:
    void requestsLimit_data();
    void requestsLimit();
    void tokensOneWordingForBothCases();
    void capacityWording();
    void classicWordingKept();
    void finalFaults_data();
    void finalFaults();
    void unknownRoute();
    void oversizedBodyGets413();
    void builtInScenarios_data();
    void builtInScenarios();

private:
    std::unique_ptr<SimServer> start(const QByteArray &scenarioJson);
    std::unique_ptr<SimTestClient> m_client;
};

std::unique_ptr<SimServer> TestSimWordings::start(const QByteArray &scenarioJson)
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

void TestSimWordings::requestsLimit_data()
{
    QTest::addColumn<QByteArray>("limits");
    QTest::addColumn<QString>("pairs"); // %1: requests seen in the window, this one included
    QTest::newRow("per second: both pairs, the minute derived")
        << QByteArray(R"({"requests_per_second":2,"burst":2})")
        << QStringLiteral(
               "Requests per Second (actual/limit): %1/2, Requests per Minute (actual/limit): %1/120.");
    QTest::newRow("per minute alone") << QByteArray(R"({"requests_per_minute":2,"burst":2})")
                                      << QStringLiteral("Requests per Minute (actual/limit): %1/2.");
    QTest::newRow("fractional rate") << QByteArray(R"({"requests_per_second":0.5,"burst":2})")
                                     << QStringLiteral("Requests per Second (actual/limit): %1/0.5, Requests "
                                                       "per Minute (actual/limit): %1/30.");
}

void TestSimWordings::requestsLimit()
{
    QFETCH(QByteArray, limits);
    QFETCH(QString, pairs);
    const auto server = start(R"({"wording":"xai","limits":)" + limits + "}");
    QCOMPARE(m_client->chat(SimTestClient::simpleChat()).status, 200);
    QCOMPARE(m_client->chat(SimTestClient::simpleChat()).status, 200);
    const QString head
        = QStringLiteral(
              "Too many requests for team %1 and model grok-4-0709. Your team's rate limit is \u2014 ")
              .arg(kTeam);
    const SimReply first = m_client->chat(SimTestClient::simpleChat());
    QCOMPARE(first.status, 429);
    QCOMPARE(first.json().value(u"code").toString(), QStringLiteral("resource-exhausted"));
    QCOMPARE(first.json().value(u"error").toString(), head + pairs.arg(3));
    // xAI documents no quota headers and sends no Retry-After.
    for (const auto &[name, value] : first.headers)
        QVERIFY2(!name.toLower().contains("ratelimit") && !name.toLower().startsWith("retry-after"),
                 name.constData());
    // Some of xAI's 429s go on with a sentence about tiers: every second one here.
    const SimReply second = m_client->chat(SimTestClient::simpleChat());
    QCOMPARE(second.status, 429);
    QCOMPARE(second.json().value(u"error").toString(),
             head + pairs.arg(4) + u' ' + QLatin1String(SimWordings::kTierSentence));
    QCOMPARE(server->stats().value(u"rejected_429").toObject().value(u"requests").toInt(), 2);
}

void TestSimWordings::tokensOneWordingForBothCases()
{
    const auto server = start(R"({"wording":"xai","limits":{"tokens_per_minute":1000}})");
    // Alone larger than the limit: actual is this request's reservation (prompt 2 + 2000).
    QJsonObject big = SimTestClient::simpleChat();
    big.insert(u"max_completion_tokens", 2000);
    const SimReply tooLarge = m_client->chat(big);
    QCOMPARE(tooLarge.status, 429);
    QCOMPARE(tooLarge.json().value(u"code").toString(), QStringLiteral("resource-exhausted"));
    const QRegularExpressionMatch large
        = tokenWording(QStringLiteral("grok-4-0709"), 1000).match(tooLarge.json().value(u"error").toString());
    QVERIFY2(large.hasMatch(), qPrintable(tooLarge.json().value(u"error").toString()));
    QCOMPARE(large.captured(1).toLongLong(), 2002);
    // A full window, in the same words: actual = tokens in use + this reservation > limit.
    QJsonObject medium = SimTestClient::simpleChat();
    medium.insert(u"max_completion_tokens", 600);
    QCOMPARE(m_client->chat(medium).status, 200);
    SimReply full;
    for (int i = 0; i < 10 && full.status != 429; ++i) {
        full = m_client->chat(medium);
        QVERIFY(full.status == 200 || full.status == 429);
    }
    QCOMPARE(full.status, 429);
    const QRegularExpressionMatch window
        = tokenWording(QStringLiteral("grok-4-0709"), 1000).match(full.json().value(u"error").toString());
    QVERIFY2(window.hasMatch(), qPrintable(full.json().value(u"error").toString()));
    QVERIFY(window.captured(1).toLongLong() > 1000);
    QVERIFY(window.captured(1).toLongLong() < 2002);
    QVERIFY(!full.hasHeader("retry-after"));
    const QJsonObject rejected = server->stats().value(u"rejected_429").toObject();
    QCOMPARE(rejected.value(u"tokens_exceed").toInt(), 1);
    QCOMPARE(rejected.value(u"tokens").toInt(), 1);
}

void TestSimWordings::capacityWording()
{
    const auto server = start(R"({"wording":"capacity","limits":{"requests_per_second":1,"burst":1}})");
    QCOMPARE(m_client->chat(SimTestClient::simpleChat()).status, 200);
    const SimReply limited = m_client->chat(SimTestClient::simpleChat());
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.body,
             QByteArray(R"({"code":"Some resource has been exhausted","error":"The service is )"
                        R"(temporarily at capacity. Please retry your request shortly."})"));
    QVERIFY(!limited.hasHeader("retry-after"));
    QVERIFY(!limited.hasHeader("x-ratelimit-limit-requests"));
}

void TestSimWordings::classicWordingKept()
{
    // No "wording": the earlier texts, quota headers and Retry-After, as before.
    const auto server = start(R"({"limits":{"requests_per_second":1,"burst":1}})");
    QCOMPARE(m_client->chat(SimTestClient::simpleChat()).status, 200);
    const SimReply limited = m_client->chat(SimTestClient::simpleChat());
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.json().value(u"code").toString(), QStringLiteral("Some resource has been exhausted"));
    QVERIFY(limited.json().value(u"error").toString().endsWith(u"Please slow down."));
    QVERIFY(limited.hasHeader("retry-after"));
    QVERIFY(limited.hasHeader("x-ratelimit-limit-requests"));
    QCOMPARE(server->stats().value(u"wording").toString(), QStringLiteral("classic"));
}

void TestSimWordings::finalFaults_data()
{
    QTest::addColumn<QByteArray>("fault");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    const QByteArray credits = "Your team " + QByteArray(SimWordings::kTeamId)
        + " has either used all available credits or reached its monthly spending limit. To continue making "
          "API requests, please purchase more credits or raise your spending limit.";
    QTest::newRow("credits 429") << QByteArray(R"({"kind":"credits_exhausted"})") << 429
                                 << R"({"code":"Some resource has been exhausted","error":")" + credits
            + "\"}";
    QTest::newRow("credits 403") << QByteArray(R"({"kind":"credits_exhausted","status":403})") << 403
                                 << R"({"code":"permission-denied","error":")" + credits + "\"}";
    QTest::newRow("free quota") << QByteArray(R"({"kind":"free_quota"})") << 429
                                << QByteArray(
                                       R"({"code":"resource-exhausted","error":"Free usage quota exceeded. )"
                                       R"(Purchase credits"})");
    QTest::newRow("permission denied")
        << QByteArray(R"({"kind":"permission_denied"})") << 403
        << QByteArray(R"({"code":"permission-denied","error":"Access to the chat endpoint is denied."})");
    QTest::newRow("capacity") << QByteArray(R"({"kind":"capacity"})") << 429
                              << QByteArray(
                                     R"({"code":"Some resource has been exhausted","error":"The service )"
                                     R"(is temporarily at capacity. Please retry your request shortly."})");
    QTest::newRow("older gRPC code on a rate 429")
        << QByteArray(R"({"kind":"free_quota","code":"Some resource has been exhausted"})") << 429
        << QByteArray(R"({"code":"Some resource has been exhausted","error":"Free usage quota exceeded. )"
                      R"(Purchase credits"})");
    QTest::newRow("529 overloaded") << QByteArray(R"({"kind":"status","status":529})") << 529
                                    << QByteArray(
                                           R"({"code":"The service is currently unavailable","error":"The )"
                                           R"(service is overloaded. Please try again later."})");
}

void TestSimWordings::finalFaults()
{
    QFETCH(QByteArray, fault);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const auto server = start(R"({"wording":"xai"})");
    QString error;
    QVERIFY2(server->enqueueFaults(QJsonDocument::fromJson("[" + fault + "]").array(), &error),
             qPrintable(error));
    const SimReply reply = m_client->chat(SimTestClient::simpleChat());
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, body);
    QVERIFY(!reply.hasHeader("retry-after"));
}

void TestSimWordings::unknownRoute()
{
    const auto server = start(R"({"wording":"xai"})");
    const SimReply reply = m_client->post(QStringLiteral("/v1/responses/chat/completions"), "{}");
    QCOMPARE(reply.status, 404);
    QCOMPARE(reply.body,
             QByteArray("{\"code\":\"Some requested entity was not found\",\"error\":\"No handler "
                        "found on route. Please double check your URL and consult "
                        "https://api.x.ai/docs for more information.\"}"));
}

void TestSimWordings::oversizedBodyGets413()
{
    const auto server = start(R"({"wording":"xai"})");
    // 5 MB, over the 4 MiB cap: an answer the client can read, not a dropped connection.
    const QByteArray prompt(5 * 1024 * 1024, 'a');
    const QByteArray body
        = R"({"model":"grok-3-mini","messages":[{"role":"user","content":")" + prompt + "\"}]}";
    const SimReply reply = m_client->post(QStringLiteral("/v1/chat/completions"), body, {},
                                          "application/json", "Bearer test-key", 20000);
    QCOMPARE(reply.status, 413);
    QCOMPARE(reply.json().value(u"error").toString(), QStringLiteral("request body is larger than 4 MiB"));
    // The server is still there for the next client.
    SimTestClient next(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server->port())));
    QCOMPARE(next.chat(SimTestClient::simpleChat()).status, 200);
}

void TestSimWordings::builtInScenarios_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("demo") << QStringLiteral("demo");
    QTest::newRow("xai") << QStringLiteral("xai");
}

void TestSimWordings::builtInScenarios()
{
    QFETCH(QString, name);
    SimServer server;
    QString error;
    QVERIFY2(server.loadScenario(name, &error), qPrintable(error));
    const QJsonObject stats = server.stats();
    QCOMPARE(stats.value(u"wording").toString(), QStringLiteral("xai"));
    QCOMPARE(stats.value(u"header_style").toString(), QStringLiteral("none"));
}

QTEST_GUILESS_MAIN(TestSimWordings)
#include "tst_simwordings.moc"
