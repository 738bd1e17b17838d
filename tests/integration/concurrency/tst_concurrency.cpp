// `--concurrency N` means N requests in flight to one host: the simulator, answering in 2 s,
// must see exactly N at once (not Qt 6.4's six connections per manager), and never more.
#include "core/client/client.h"
#include "core/sim/simserver.h"
#include "enginetestsupport.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestConcurrency final : public QObject
{
    Q_OBJECT

private slots:
    void inFlightReachesTheCap_data();
    void inFlightReachesTheCap();
};

void TestConcurrency::inFlightReachesTheCap_data()
{
    QTest::addColumn<int>("cap");
    QTest::newRow("6: one manager's worth") << 6;
    QTest::newRow("64") << 64;
    QTest::newRow("256") << 256;
}

void TestConcurrency::inFlightReachesTheCap()
{
    QFETCH(int, cap);
    sim::SimServer server;
    QString error;
    QJsonObject scenario = test::quietScenario();
    scenario.insert(u"latency"_s, QJsonObject { { u"distribution"_s, u"fixed"_s }, { u"ms"_s, 2000 } });
    QVERIFY2(server.setScenarioJson(scenario, &error), qPrintable(error));
    QVERIFY(server.listen(0));
    ClientConfig config = test::fastConfig(server.baseUrl());
    config.maxInFlight = cap;
    config.retry.maxAttempts = 1; // a lost connection must show, not be retried away
    config.timeouts.firstByteMs = 30000;
    Client client(config);
    QSignalSpy inFlight(&client, &Client::networkInFlightChanged);
    const int total = cap + cap / 4 + 1; // more than the cap: the cap must hold
    QList<RequestJob *> jobs;
    for (int i = 0; i < total; ++i)
        jobs.append(test::kept(client.submit(test::simpleRequest(u"request %1"_s.arg(i)))));
    QTRY_COMPARE_WITH_TIMEOUT(server.stats().value(u"in_flight"_s).toInt(), cap, 10000);
    QCOMPARE(client.networkInFlight(), cap);
    QCOMPARE(client.concurrencyCap(), cap);
    QVERIFY(!inFlight.isEmpty());
    QCOMPARE(inFlight.last().at(1).toInt(), cap);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(jobs.cbegin(), jobs.cend(), [](RequestJob *j) { return j->isFinished(); }), 30000);
    for (RequestJob *job : std::as_const(jobs))
        QVERIFY2(job->outcome().isSuccess(), qPrintable(job->outcome().error.message));
    const QJsonObject stats = server.stats();
    QCOMPARE(stats.value(u"peak_in_flight"_s).toInt(), cap);
    QCOMPARE(stats.value(u"requests"_s).toInt(), total); // one attempt each: nothing reset or resent
    QCOMPARE(client.networkInFlight(), 0);
}

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
