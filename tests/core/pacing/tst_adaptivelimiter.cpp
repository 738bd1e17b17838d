#include "core/pacing/adaptivelimiter.h"

#include <QTest>

using gp::AdaptiveLimiter;

class TestAdaptiveLimiter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unlimitedUntilFirstLoss();
    void slowStartDoubles();
    void startWindowGrowsPerSuccess();
    void startWindowHorizonIsARoundTrip();
    void startWindowIsPacedPerRoundTrip();
    void firstLossUsesWhatGotThrough();
    void refusedDoNotGetThrough();
    void lossesOfOneOverloadCountOnce();
    void nothingToLearnFromOnlyHolds();
    void longGapStartsANewCount();
    void holdHonoursRetryAfter_data();
    void holdHonoursRetryAfter();
    void cubicGrowth_data();
    void cubicGrowth();
    void convergesOnServerBucket_data();
    void convergesOnServerBucket();
};

void TestAdaptiveLimiter::slowStartDoubles()
{
    AdaptiveLimiter limiter;
    limiter.start(1000);
    limiter.start(5000); // idempotent
    QVERIFY(limiter.isLimiting());
    QCOMPARE(limiter.rateRps(1000), 4.0);
    QCOMPARE(limiter.rateRps(1500), 8.0);
    QCOMPARE(limiter.rateRps(2000), 16.0);
    QVERIFY(!limiter.learnedRps());
}

void TestAdaptiveLimiter::startWindowGrowsPerSuccess()
{
    AdaptiveLimiter limiter;
    limiter.recordSuccess(0); // the probe, before learning started
    QVERIFY(!limiter.startWindow());
    limiter.start(0);
    QCOMPARE(limiter.startWindow(), gp::cubic::StartWindow + 1);
    limiter.recordSuccess(100);
    limiter.recordSuccess(200);
    QCOMPARE(limiter.startWindow(), gp::cubic::StartWindow + 3); // one more in flight per success
    for (const qint64 at : { 100, 200, 250 })
        limiter.recordAdmission(at);
    QVERIFY(limiter.recordRateLimited(300, 250, 0));
    QVERIFY(!limiter.startWindow()); // after the first loss the curve paces, not the window
    AdaptiveLimiter::Params none;
    none.startWindow = 0;
    AdaptiveLimiter without(none);
    without.start(0);
    QVERIFY(!without.startWindow());
}

void TestAdaptiveLimiter::startWindowHorizonIsARoundTrip()
{
    AdaptiveLimiter limiter;
    limiter.start(0);
    QVERIFY(!limiter.startWindowHorizonMs()); // no round trip known: every attempt in flight counts
    limiter.recordSuccess(800, 800);
    QCOMPARE(limiter.startWindowHorizonMs(), qint64(800));
    limiter.recordSuccess(900, 1600); // smoothed: 800 + (1600 - 800) / 8
    QCOMPARE(limiter.startWindowHorizonMs(), qint64(900));
    for (const qint64 at : { 900, 950, 1000 })
        limiter.recordAdmission(at);
    QVERIFY(limiter.recordRateLimited(1050, 1000, 0));
    QVERIFY(!limiter.startWindowHorizonMs()); // no window after the first loss, no horizon either
    AdaptiveLimiter::Params half;
    half.windowHorizonRtts = 0.5;
    AdaptiveLimiter shorter(half);
    shorter.start(0);
    shorter.recordSuccess(800, 800);
    QCOMPARE(shorter.startWindowHorizonMs(), qint64(400));
    AdaptiveLimiter::Params none;
    none.windowHorizonRtts = 0.0;
    AdaptiveLimiter all(none);
    all.start(0);
    all.recordSuccess(800, 800);
    QVERIFY(all.startWindow());
    QVERIFY(!all.startWindowHorizonMs());
}

void TestAdaptiveLimiter::startWindowIsPacedPerRoundTrip()
{
    AdaptiveLimiter limiter;
    limiter.start(0);
    QCOMPARE(limiter.rateRps(3000), 256.0); // no round trip known: the slow start's rate alone
    limiter.recordSuccess(1000, 1000);
    // A window of 4 + 1 per 1 s round trip: at most 5 sent per second, however far the slow start is.
    QCOMPARE(limiter.rateRps(3000), 5.0);
    QCOMPARE(limiter.rateRps(100), gp::cubic::slowStartRate(100)); // below the window's pace
    AdaptiveLimiter::Params unpaced;
    unpaced.windowPacing = 0.0;
    AdaptiveLimiter free(unpaced);
    free.start(0);
    free.recordSuccess(1000, 1000);
    QCOMPARE(free.rateRps(3000), 256.0);
}

void TestAdaptiveLimiter::unlimitedUntilFirstLoss()
{
    AdaptiveLimiter limiter;
    limiter.recordSuccess(0);
    QVERIFY(!limiter.isLimiting());
    QCOMPARE(limiter.rateRps(0), 0.0);
    QVERIFY(!limiter.learnedRps());
    QCOMPARE(limiter.confidence(), 0.0);
}

void TestAdaptiveLimiter::firstLossUsesWhatGotThrough()
{
    AdaptiveLimiter limiter;
    for (int i = 0; i < 8; ++i)
        limiter.recordAdmission(100 * i); // 8 sent in 0.8 s, none answered yet...
    limiter.recordAdmission(790); // ...and a ninth, refused
    QVERIFY(limiter.recordRateLimited(800, 790, 0));
    QVERIFY(limiter.isLimiting());
    QCOMPARE(limiter.learnedRps().value_or(0), 10.0);
    QCOMPARE(limiter.holdUntilMs(), qint64(800 + 200)); // two sends' worth at 10 rps
    QVERIFY(qAbs(limiter.rateRps(1000) - 10.0 * 0.85) < 1e-6); // beta x Wmax right after the hold
}

// Counted by admission: an attempt refused later (an answer that came after the loss) did not get
// through, and what was sent after the refused attempt is not in its measure.
void TestAdaptiveLimiter::refusedDoNotGetThrough()
{
    AdaptiveLimiter limiter;
    for (int i = 0; i < 10; ++i)
        limiter.recordAdmission(100 * i); // 0..900 ms
    for (int i = 0; i < 20; ++i)
        limiter.recordAdmission(1000 + 10 * i); // after the refused attempt's slot: not measured
    // Admitted at 900, refused at 1200; the one admitted at 800 is refused too, answered later.
    QVERIFY(limiter.recordRateLimited(1200, 900, 0));
    QCOMPARE(limiter.learnedRps().value_or(0), 9.0 * 1000.0 / 999.0); // 9 got through by 999 ms
    QVERIFY(!limiter.recordRateLimited(1300, 800, 0)); // the same overload: counted, not learned again
    QCOMPARE(limiter.lossEvents(), 1);
}

void TestAdaptiveLimiter::lossesOfOneOverloadCountOnce()
{
    AdaptiveLimiter limiter;
    limiter.recordAdmission(0);
    limiter.recordAdmission(90);
    QVERIFY(limiter.recordRateLimited(100, 90, 0));
    QVERIFY(!limiter.recordRateLimited(105, 95, 0)); // sent before the decrease
    QVERIFY(limiter.recordRateLimited(5000, 4000, 0));
    QCOMPARE(limiter.lossEvents(), 2);
}

void TestAdaptiveLimiter::nothingToLearnFromOnlyHolds()
{
    // A 429 before any success (the first answer, or every answer still in flight): the slow
    // start goes on after a short hold instead of a tiny learned rate that parks the queue.
    AdaptiveLimiter limiter;
    limiter.start(0);
    limiter.recordAdmission(990);
    QVERIFY(!limiter.recordRateLimited(1000, 990, 0)); // the only attempt sent, refused
    QCOMPARE(limiter.lossEvents(), 0);
    QVERIFY(!limiter.learnedRps());
    QCOMPARE(limiter.holdUntilMs(), qint64(1250));
    QCOMPARE(limiter.rateRps(1500), 32.0); // the slow start, three doublings on
    // Once something got through, the next loss learns (no more than the slow start's rate).
    limiter.recordAdmission(1600);
    limiter.recordAdmission(1690);
    QVERIFY(limiter.recordRateLimited(1700, 1690, 0));
    QCOMPARE(limiter.learnedRps().value_or(0), 1000.0 / 710.0); // one, over the 710 ms since the first sent
}

void TestAdaptiveLimiter::longGapStartsANewCount()
{
    AdaptiveLimiter limiter;
    for (int i = 0; i < 10; ++i)
        limiter.recordAdmission(100 * i);
    // 11 s later: two sent 100 ms apart measure over the floor, not since the first ever.
    for (const qint64 at : { 12000, 12100, 12190 })
        limiter.recordAdmission(at);
    QVERIFY(limiter.recordRateLimited(12200, 12190, 0));
    QCOMPARE(limiter.learnedRps().value_or(0), 8.0); // 2 got through / 250 ms
}

void TestAdaptiveLimiter::holdHonoursRetryAfter_data()
{
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<qint64>("holdUntil");
    QTest::newRow("no hint: minimum hold") << qint64(0) << qint64(1250);
    QTest::newRow("short hint: minimum hold") << qint64(100) << qint64(1250);
    QTest::newRow("hint longer than hold") << qint64(400) << qint64(1400);
    QTest::newRow("server hint") << qint64(2000) << qint64(3000);
}

void TestAdaptiveLimiter::holdHonoursRetryAfter()
{
    QFETCH(qint64, retryAfterMs);
    QFETCH(qint64, holdUntil);
    AdaptiveLimiter limiter;
    limiter.recordRateLimited(1000, 990, retryAfterMs);
    QCOMPARE(limiter.holdUntilMs(), holdUntil);
}

void TestAdaptiveLimiter::cubicGrowth_data()
{
    QTest::addColumn<qint64>("afterHoldMs");
    QTest::addColumn<double>("minRate");
    QTest::addColumn<double>("maxRate");
    // Wmax 10, beta 0.85, C 0.4: K = cbrt(10 * 0.15 / 0.4) = 1.55 s.
    QTest::newRow("just decreased") << qint64(0) << 8.49 << 8.51;
    QTest::newRow("climbing") << qint64(800) << 9.5 << 9.95;
    QTest::newRow("plateau at Wmax") << qint64(1554) << 9.99 << 10.01;
    QTest::newRow("probing beyond") << qint64(3000) << 10.5 << 11.5;
}

void TestAdaptiveLimiter::cubicGrowth()
{
    QFETCH(qint64, afterHoldMs);
    QFETCH(double, minRate);
    QFETCH(double, maxRate);
    AdaptiveLimiter limiter;
    for (int i = 0; i <= 10; ++i)
        limiter.recordAdmission(100 * i); // the last one is refused: 10 got through in 1 s
    limiter.recordRateLimited(1000, 1000, 0);
    const double rate = limiter.rateRps(limiter.holdUntilMs() + afterHoldMs);
    QVERIFY2(rate >= minRate && rate <= maxRate, qPrintable(QString::number(rate)));
}

void TestAdaptiveLimiter::convergesOnServerBucket_data()
{
    QTest::addColumn<double>("serverRps");
    QTest::addColumn<double>("maxRefused"); // slow limits fit fewer requests in a probing cycle
    QTest::addColumn<double>("tolerance"); // the burst inflates the estimate of slow limits
    QTest::newRow("2 rps") << 2.0 << 0.08 << 0.5;
    QTest::newRow("10 rps") << 10.0 << 0.05 << 0.2;
    QTest::newRow("40 rps") << 40.0 << 0.05 << 0.2;
}

// Drives the limiter against a modelled server bucket (burst 5) for 60 s of pinned time.
void TestAdaptiveLimiter::convergesOnServerBucket()
{
    QFETCH(double, serverRps);
    QFETCH(double, maxRefused);
    QFETCH(double, tolerance);
    AdaptiveLimiter limiter;
    limiter.start(0); // as the Scheduler does after a first response without headers
    double level = 5.0;
    qint64 last = 0;
    int ok = 0;
    int refused = 0;
    double nextSend = 0;
    for (qint64 now = 0; now < 60000; ++now) {
        level = std::min(5.0, level + double(now - last) * serverRps / 1000.0);
        last = now;
        const double rate = limiter.rateRps(now);
        if (now < limiter.holdUntilMs() || (rate > 0 && double(now) < nextSend))
            continue;
        nextSend = double(now) + (rate > 0 ? 1000.0 / rate : 0.0);
        limiter.recordAdmission(now);
        if (level >= 1.0) {
            level -= 1.0;
            limiter.recordSuccess(now);
            if (now >= 10000)
                ++ok;
        } else {
            limiter.recordRateLimited(now, now, 0);
            if (now >= 10000)
                ++refused;
        }
    }
    const double utilization = double(ok) / (serverRps * 50.0);
    const double refusedShare = double(refused) / double(ok + refused);
    QVERIFY2(utilization > 0.9, qPrintable(QString::number(utilization)));
    QVERIFY2(refusedShare < maxRefused, qPrintable(QString::number(refusedShare)));
    QVERIFY2(qAbs(limiter.learnedRps().value_or(0) - serverRps) < serverRps * tolerance,
             qPrintable(QString::number(limiter.learnedRps().value_or(0))));
    QVERIFY(limiter.confidence() > 0.5);
}

QTEST_APPLESS_MAIN(TestAdaptiveLimiter)
#include "tst_adaptivelimiter.moc"
