// The latency model: lognormal time to first byte set by median and p99, generation at a
// set tokens/s (streamed and not), and the in-flight gauge /sim/stats reports.
#include "core/sim/arrivalcounter.h"
#include "core/sim/scenario.h"
#include "core/sim/simrng.h"
#include "core/sim/simserver.h"
#include "tests/sim/simtestclient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace gp::sim;
using namespace gp::sim::test;

class TestSimLatency final : public QObject
{
    Q_OBJECT

private slots:
    void quantilesFromMedianAndP99_data();
    void quantilesFromMedianAndP99();
    void badLatency_data();
    void badLatency();
    void tokensPerSecond_data();
    void tokensPerSecond();
    void rejectionTiming_data();
    void rejectionTiming();
    void peakInFlight();
    void arrivalsSlideOut();
};

namespace {

std::optional<Scenario> parse(const QByteArray &json, QString *error)
{
    return Scenario::fromJson(QJsonDocument::fromJson(json).object(), error);
}

std::unique_ptr<SimServer> startServer(const QByteArray &json)
{
    auto server = std::make_unique<SimServer>();
    QString error;
    if (!server->setScenarioJson(QJsonDocument::fromJson(json).object(), &error) || !server->listen())
        qFatal("sim: %s", qPrintable(error));
    return server;
}

} // namespace

void TestSimLatency::quantilesFromMedianAndP99_data()
{
    QTest::addColumn<double>("median");
    QTest::addColumn<double>("p99");
    QTest::newRow("LLM-like: 1.5 s, p99 15 s") << 1500.0 << 15000.0;
    QTest::newRow("gateway: 40 ms, p99 80 ms") << 40.0 << 80.0;
}

void TestSimLatency::quantilesFromMedianAndP99()
{
    QFETCH(double, median);
    QFETCH(double, p99);
    QString error;
    const auto s
        = parse(QStringLiteral(R"({"latency":{"distribution":"lognormal","median_ms":%1,"p99_ms":%2}})")
                    .arg(median)
                    .arg(p99)
                    .toUtf8(),
                &error);
    QVERIFY2(s, qPrintable(error));
    QVERIFY(std::abs(s->latency.sigma - std::log(p99 / median) / 2.326348) < 1e-9);
    SimRng rng(7);
    std::vector<int> draws;
    for (int i = 0; i < 20000; ++i) {
        const double u1 = rng.uniform();
        draws.push_back(s->latency.sampleMs(u1, rng.uniform()));
    }
    std::sort(draws.begin(), draws.end());
    const double measuredMedian = draws[draws.size() / 2];
    const double measuredP99 = draws[draws.size() * 99 / 100];
    QVERIFY2(std::abs(measuredMedian - median) <= median * 0.05 + 1,
             qPrintable(QString::number(measuredMedian)));
    QVERIFY2(std::abs(measuredP99 - p99) <= p99 * 0.12 + 1, qPrintable(QString::number(measuredP99)));
}

void TestSimLatency::badLatency_data()
{
    QTest::addColumn<QByteArray>("latency");
    QTest::addColumn<QString>("message");
    QTest::newRow("p99 and sigma") << QByteArray(
        R"({"distribution":"lognormal","median_ms":10,"p99_ms":20,"sigma":1})")
                                   << QStringLiteral("\"latency.p99_ms\" cannot be set with sigma");
    QTest::newRow("p99 on fixed") << QByteArray(R"({"distribution":"fixed","ms":10,"p99_ms":20})")
                                  << QStringLiteral("\"latency.p99_ms\" needs the lognormal");
    QTest::newRow("p99 under median")
        << QByteArray(R"({"distribution":"lognormal","median_ms":30,"p99_ms":20})")
        << QStringLiteral("must not be below median_ms");
    QTest::newRow("unknown rejection timing") << QByteArray(R"({"rejections":"later"})")
                                              << QStringLiteral("must be one of after_latency, at_admission");
    QTest::newRow("rejection range upside down")
        << QByteArray(R"({"rejections":"at_admission","rejection_min_ms":80,"rejection_max_ms":20})")
        << QStringLiteral("must not be below rejection_min_ms");
}

void TestSimLatency::badLatency()
{
    QFETCH(QByteArray, latency);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!parse("{\"latency\":" + latency + "}", &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY(!parse(R"({"completion":{"tokens_per_second":-1}})", &error));
    QVERIFY2(error.contains(u"completion.tokens_per_second"), qPrintable(error));
}

void TestSimLatency::tokensPerSecond_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("non-streaming waits for every token") << false;
    QTest::newRow("streaming spreads them") << true;
}

void TestSimLatency::tokensPerSecond()
{
    QFETCH(bool, stream);
    // 200 tokens/s, no time to first byte: the whole answer takes (completion + reasoning) / 200 s.
    const auto server = startServer(R"({"completion":{"words":40,"tokens_per_second":200}})");
    SimTestClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server->port())));
    QJsonObject body = SimTestClient::simpleChat(QStringLiteral("Hello"), stream);
    if (stream)
        body.insert(u"stream_options", QJsonObject { { QStringLiteral("include_usage"), true } });
    const SimReply reply = client.chat(body);
    QCOMPARE(reply.status, 200);
    const QJsonObject tokens = server->stats().value(u"tokens").toObject();
    const qint64 generated = tokens.value(u"completion").toInteger() + tokens.value(u"reasoning").toInteger();
    QVERIFY(generated > 20);
    const qint64 expectedMs = generated * 1000 / 200;
    QVERIFY2(reply.elapsedMs >= expectedMs - 20 && reply.elapsedMs <= expectedMs + 400,
             qPrintable(QStringLiteral("%1 ms for %2 tokens").arg(reply.elapsedMs).arg(generated)));
}

void TestSimLatency::rejectionTiming_data()
{
    QTest::addColumn<QByteArray>("rejections");
    QTest::addColumn<int>("minMs");
    QTest::addColumn<int>("maxMs");
    QTest::newRow("default: a 429 waits as long as an answer") << QByteArray() << 1400 << 5000;
    QTest::newRow("after_latency, said") << QByteArray(R"(,"rejections":"after_latency")") << 1400 << 5000;
    QTest::newRow("at_admission, in network time")
        << QByteArray(R"(,"rejections":"at_admission","rejection_min_ms":20,"rejection_max_ms":80)") << 0
        << 900;
}

void TestSimLatency::rejectionTiming()
{
    QFETCH(QByteArray, rejections);
    QFETCH(int, minMs);
    QFETCH(int, maxMs);
    // One request per minute, every answer 1.5 s: the first is admitted, the second refused.
    const auto server = startServer(R"({"wording":"xai","limits":{"requests_per_minute":1,"burst":1},)"
                                    R"("latency":{"distribution":"fixed","ms":1500)"
                                    + rejections + "}}");
    SimTestClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server->port())));
    const SimReply admitted = client.chat(SimTestClient::simpleChat());
    QCOMPARE(admitted.status, 200);
    QVERIFY2(admitted.elapsedMs >= 1400, qPrintable(QString::number(admitted.elapsedMs)));
    const SimReply refused = client.chat(SimTestClient::simpleChat());
    QCOMPARE(refused.status, 429);
    QVERIFY2(refused.elapsedMs >= minMs && refused.elapsedMs <= maxMs,
             qPrintable(QStringLiteral("429 after %1 ms").arg(refused.elapsedMs)));
}

void TestSimLatency::peakInFlight()
{
    const auto server = startServer(R"({"latency":{"distribution":"fixed","ms":400}})");
    QNetworkAccessManager network; // at most 6 connections to one host: stay below that
    QList<QNetworkReply *> replies;
    const QByteArray body = QJsonDocument(SimTestClient::simpleChat()).toJson();
    for (int i = 0; i < 5; ++i) {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(server->port())));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer test-key");
        replies.append(network.post(request, body));
    }
    QTRY_COMPARE_WITH_TIMEOUT(server->stats().value(u"in_flight").toInt(), 5, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }),
        10000);
    QCOMPARE(server->stats().value(u"in_flight").toInt(), 0);
    QCOMPARE(server->stats().value(u"peak_in_flight").toInt(), 5);
    server->resetStats();
    QCOMPARE(server->stats().value(u"peak_in_flight").toInt(), 0);
    qDeleteAll(replies);
}

void TestSimLatency::arrivalsSlideOut()
{
    ArrivalCounter counter;
    counter.count(QStringLiteral("m"), 0);
    counter.count(QStringLiteral("m"), 950);
    counter.count(QStringLiteral("other"), 950);
    QCOMPARE(counter.counts(QStringLiteral("m"), 990).lastSecond, 2);
    QCOMPARE(counter.counts(QStringLiteral("m"), 1000).lastSecond, 1); // the first slot left the second
    QCOMPARE(counter.counts(QStringLiteral("m"), 1000).lastMinute, 2);
    QCOMPARE(counter.counts(QStringLiteral("m"), 60000).lastMinute, 1);
    QCOMPARE(counter.counts(QStringLiteral("m"), 61000).lastMinute, 0);
    QCOMPARE(counter.counts(QStringLiteral("nobody"), 0).lastMinute, 0);
}

QTEST_GUILESS_MAIN(TestSimLatency)
#include "tst_simlatency.moc"
