#include "core/pacing/quotatracker.h"

#include <QTest>

using gp::QuotaSnapshot;
using gp::QuotaTracker;
using gp::QuotaWindow;

namespace {
QuotaWindow window(std::optional<qint64> limit, std::optional<qint64> remaining,
                   std::optional<qint64> resetInMs, std::optional<qint64> windowMs = std::nullopt)
{
    QuotaWindow w;
    w.limit = limit;
    w.remaining = remaining;
    w.resetInMs = resetInMs;
    w.windowMs = windowMs;
    return w;
}

QuotaSnapshot requestsOnly(const QuotaWindow &w)
{
    QuotaSnapshot s;
    s.requests = w;
    s.style = gp::QuotaHeaderStyle::OpenAI;
    return s;
}
} // namespace

class TestQuotaTracker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void impliedRate_data();
    void impliedRate();
    void pacesOnServerBucket_data();
    void pacesOnServerBucket();
    void refillsSinceTheStamp_data();
    void refillsSinceTheStamp();
    void unseenAdmissionsCount();
    void windowWithoutRateWaitsForReset();
    void tokensSettle();
    void reserveShareHoldsBack();
    void unknownQuotaNeverWaits();
};

void TestQuotaTracker::impliedRate_data()
{
    QTest::addColumn<QuotaWindow>("w");
    QTest::addColumn<double>("rate"); // -1: none

    QTest::newRow("policy window") << window(10, 3, 900, 1000) << 10.0;
    QTest::newRow("tokens per minute window") << window(6000, 0, 1000, 60000) << 100.0;
    QTest::newRow("bucket full at reset") << window(60, 30, 30000) << 1.0;
    QTest::newRow("empty bucket") << window(5, 0, 500) << 10.0;
    QTest::newRow("full bucket says nothing") << window(5, 5, 0) << -1.0;
    QTest::newRow("remaining over reset") << window(std::nullopt, 20, 2000) << 10.0;
    QTest::newRow("nothing to go on") << window(10, std::nullopt, std::nullopt) << -1.0;
    QTest::newRow("zero reset") << window(10, 3, 0) << -1.0;
}

void TestQuotaTracker::impliedRate()
{
    QFETCH(QuotaWindow, w);
    QFETCH(double, rate);
    const auto implied = QuotaTracker::impliedRatePerSecond(w);
    if (rate < 0)
        QVERIFY(!implied);
    else
        QCOMPARE(implied.value_or(-1.0), rate);
}

void TestQuotaTracker::pacesOnServerBucket_data()
{
    QTest::addColumn<int>("admissions");
    QTest::addColumn<qint64>("atMs");
    QTest::addColumn<qint64>("expectedWait");

    // The server said: limit 10 per second, 4 of a burst of 5 left, full again in 100 ms.
    // Admissions at 0 ms; the 4 left are spread at 40/s (25 ms apart, half a gap of slack), and
    // one request stays in the server's bucket as a cushion.
    QTest::newRow("remaining admits") << 0 << qint64(0) << qint64(0);
    QTest::newRow("spread, not burst") << 1 << qint64(0) << qint64(13);
    QTest::newRow("next slot") << 1 << qint64(13) << qint64(0);
    QTest::newRow("the cushion stays") << 3 << qint64(0) << qint64(100);
    QTest::newRow("one refilled is the cushion") << 4 << qint64(100) << qint64(100);
    QTest::newRow("two refilled") << 4 << qint64(200) << qint64(0);
    QTest::newRow("overdrawn") << 5 << qint64(100) << qint64(200);
}

void TestQuotaTracker::pacesOnServerBucket()
{
    QFETCH(int, admissions);
    QFETCH(qint64, atMs);
    QFETCH(qint64, expectedWait);
    QuotaTracker tracker;
    tracker.update(requestsOnly(window(10, 4, 100)), 0, 0, 0);
    QCOMPARE(tracker.requestRatePerSecond(), 10.0);
    for (int i = 0; i < admissions; ++i)
        tracker.recordAdmission(0, 0);
    QCOMPARE(tracker.msUntilAdmissible(atMs, 0, 0.0, nullptr), expectedWait);
}

void TestQuotaTracker::refillsSinceTheStamp_data()
{
    QTest::addColumn<qint64>("stampedMs");
    QTest::addColumn<qint64>("minWait");
    QTest::addColumn<qint64>("maxWait");
    // Sent at 10/s for 1.5 s; the first one's answer comes back at 1500 ms saying "0 left".
    // The server counted that at 0 ms and refilled one per 100 ms since, while each later send
    // took one: one is left now, and the cushion keeps it. Read as if stamped now, the 14 sent
    // since would look unpaid and stall the queue for 1.5 s.
    QTest::newRow("stamped when sent") << qint64(0) << qint64(100) << qint64(100);
    QTest::newRow("stamped on arrival") << qint64(-1) << qint64(1400) << qint64(1600);
}

void TestQuotaTracker::refillsSinceTheStamp()
{
    QFETCH(qint64, stampedMs);
    QFETCH(qint64, minWait);
    QFETCH(qint64, maxWait);
    QuotaTracker tracker;
    tracker.update(requestsOnly(window(10, 4, 100)), 0, 0, 0); // a burst of 5 at 10/s
    for (qint64 t = 0; t < 1500; t += 100)
        tracker.recordAdmission(t, 0);
    tracker.update(requestsOnly(window(10, 0, 500)), 1500, 14, 0, stampedMs);
    QCOMPARE(tracker.requestRatePerSecond(), 10.0);
    const qint64 wait = tracker.msUntilAdmissible(1500, 0, 0.0, nullptr);
    QVERIFY2(wait >= minWait && wait <= maxWait, qPrintable(QString::number(wait)));
}

void TestQuotaTracker::unseenAdmissionsCount()
{
    QuotaTracker tracker;
    tracker.update(requestsOnly(window(10, 3, 200)), 0, 3, 0); // three sent since: none left
    QString reason;
    QCOMPARE(tracker.requestsRemaining(0), qint64(0));
    QVERIFY(tracker.msUntilAdmissible(0, 0, 0.0, &reason) > 0);
    QCOMPARE(reason, QStringLiteral("quota-requests"));
}

void TestQuotaTracker::windowWithoutRateWaitsForReset()
{
    QuotaTracker tracker;
    tracker.update(requestsOnly(window(std::nullopt, 0, 2000)), 1000, 0, 0);
    QCOMPARE(tracker.msUntilAdmissible(1000, 0, 0.0, nullptr), qint64(2000));
    QCOMPARE(tracker.nextResetMs(1000), qint64(3000));
    QCOMPARE(tracker.msUntilAdmissible(3000, 0, 0.0, nullptr), qint64(0));
}

void TestQuotaTracker::tokensSettle()
{
    QuotaTracker tracker;
    QuotaSnapshot s;
    s.tokens = window(6000, 1000, 50000, 60000); // 100 tokens/s
    tracker.update(s, 0, 0, 0);
    QCOMPARE(tracker.msUntilAdmissible(0, 1000, 0.0, nullptr), qint64(0));
    tracker.recordAdmission(0, 1000);
    QCOMPARE(tracker.msUntilAdmissible(0, 500, 0.0, nullptr), qint64(5000));
    tracker.settleTokens(0, -400); // used 600 of the 1000 reserved
    QCOMPARE(tracker.msUntilAdmissible(0, 500, 0.0, nullptr), qint64(1000));
    QCOMPARE(tracker.tokensRemaining(0), qint64(400));
}

void TestQuotaTracker::reserveShareHoldsBack()
{
    QuotaTracker tracker;
    QuotaSnapshot s;
    s.tokens = window(1000, 300, 7000, 10000); // 100 tokens/s
    tracker.update(s, 0, 0, 0);
    QCOMPARE(tracker.msUntilAdmissible(0, 100, 0.0, nullptr), qint64(0));
    QCOMPARE(tracker.msUntilAdmissible(0, 100, 0.2, nullptr), qint64(0));
    QCOMPARE(tracker.msUntilAdmissible(0, 200, 0.2, nullptr), qint64(1000)); // 200 must stay
}

void TestQuotaTracker::unknownQuotaNeverWaits()
{
    QuotaTracker tracker;
    tracker.update(QuotaSnapshot {}, 0, 5, 5);
    QVERIFY(!tracker.knowsRequests());
    QCOMPARE(tracker.msUntilAdmissible(0, 1e9, 0.2, nullptr), qint64(0));
    QVERIFY(!tracker.requestsRemaining(0));
}

QTEST_APPLESS_MAIN(TestQuotaTracker)
#include "tst_quotatracker.moc"
