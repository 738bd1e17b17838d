// RedisLimiter on a real redis-server: admission arithmetic, holds, instances, reconnects.
#include "tests/integration/pacing/redisfixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace gp;
using namespace redistest;

class TestRedisLimiter final : public QObject, public RedisFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void admissionArithmetic_data();
    void admissionArithmetic();
    void tokenSettlement();
    void holdSlowsEveryInstance();
    void heartbeatsCountInstances();
    void reconnectsAfterRestart();
    void burstLearnedOrSmall_data();
    void burstLearnedOrSmall();
    void serverRateKeepsTheLeast();
    void holdIsBounded();
    void lossLearnsFromEveryInstance();
};

void TestRedisLimiter::initTestCase()
{
    QVERIFY2(m_redis.start(), "redis-server did not start");
}

void TestRedisLimiter::admissionArithmetic_data()
{
    QTest::addColumn<double>("rps");
    QTest::addColumn<double>("burst");
    QTest::addColumn<double>("tpm");
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<int>("grantedInARow");
    QTest::addColumn<qint64>("maxWaitMs");

    // Slow rates: the asks in a row must not outlast one interval even on a loaded machine.
    QTest::newRow("burst of two at 2 rps") << 2.0 << 2.0 << 0.0 << qint64(0) << 2 << qint64(500);
    QTest::newRow("burst of five at 2 rps") << 2.0 << 5.0 << 0.0 << qint64(0) << 5 << qint64(500);
    QTest::newRow("one per second") << 1.0 << 1.0 << 0.0 << qint64(0) << 1 << qint64(1000);
    QTest::newRow("tokens: three of 200 in 600") << 0.0 << 0.0 << 600.0 << qint64(200) << 3 << qint64(20000);
}

void TestRedisLimiter::admissionArithmetic()
{
    QFETCH(double, rps);
    QFETCH(double, burst);
    QFETCH(double, tpm);
    QFETCH(qint64, tokens);
    QFETCH(int, grantedInARow);
    QFETCH(qint64, maxWaitMs);
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiter limiter(config(rps, burst, tpm));
    QVERIFY(limiter.start());
    QTRY_VERIFY_WITH_TIMEOUT(limiter.isShared(), 2000);
    for (int i = 0; i < grantedInARow; ++i)
        QVERIFY2(ask(limiter, quint64(i + 1), tokens).granted, qPrintable(QString::number(i)));
    const Answer refused = ask(limiter, 99, tokens);
    QVERIFY(!refused.granted);
    QVERIFY2(refused.waitMs > 0 && refused.waitMs <= maxWaitMs, qPrintable(QString::number(refused.waitMs)));
}

void TestRedisLimiter::tokenSettlement()
{
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiter limiter(config(0, 0, 600)); // 10 tokens/s
    QVERIFY(limiter.start());
    QTRY_VERIFY_WITH_TIMEOUT(limiter.isShared(), 2000);
    QVERIFY(ask(limiter, 1, 600).granted);
    const Answer waiting = ask(limiter, 2, 100);
    QVERIFY(!waiting.granted);
    QVERIFY(waiting.waitMs > 9000 && waiting.waitMs <= 10000);
    limiter.settleTokens(-500); // used 100 of the 600 reserved
    QVERIFY(ask(limiter, 3, 100).granted);
    QVERIFY(!ask(limiter, 4, 500).granted);
    limiter.settleTokens(+600); // a charge beyond the level puts the bucket in debt
    const Answer debt = ask(limiter, 5, 1);
    QVERIFY2(debt.waitMs > 19000, qPrintable(QString::number(debt.waitMs)));
}

void TestRedisLimiter::holdSlowsEveryInstance()
{
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiter a(config(100, 1));
    RedisLimiter b(config(100, 1));
    QVERIFY(a.start() && b.start());
    QTRY_VERIFY_WITH_TIMEOUT(a.isShared() && b.isShared(), 2000);
    QVERIFY(ask(b, 1, 0).granted);
    a.publishHold(800); // a saw a 429
    const Answer held = ask(b, 2, 0);
    QVERIFY(!held.granted);
    QVERIFY2(held.waitMs > 500 && held.waitMs <= 800, qPrintable(QString::number(held.waitMs)));
    a.publishLearnedRps(1.0); // a learned 1 rps: b is capped too
    const Answer after = ask(b, 3, 0);
    QVERIFY2(after.granted || after.waitMs <= 800, qPrintable(QString::number(after.waitMs)));
    Answer later = after;
    const bool grantedLater = QTest::qWaitFor([&] { return (later = ask(b, 3, 0)).granted; }, 2000);
    QVERIFY2(grantedLater, qPrintable(QString::number(later.waitMs)));
    const Answer capped = ask(b, 4, 0);
    QVERIFY(!capped.granted);
    QVERIFY2(capped.waitMs > 900 && capped.waitMs <= 1000, qPrintable(QString::number(capped.waitMs)));
}

void TestRedisLimiter::heartbeatsCountInstances()
{
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiter a(config(10, 5));
    RedisLimiter b(config(10, 5));
    RedisLimiter c(config(10, 5));
    QVERIFY(a.start() && b.start() && c.start());
    QTRY_COMPARE_WITH_TIMEOUT(a.instanceCount(), 3, 3000);
    QCOMPARE(a.fallbackShare(), 1.0 / 3.0);
    QVERIFY(a.instanceId() != b.instanceId());
}

void TestRedisLimiter::reconnectsAfterRestart()
{
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiter limiter(config(10, 5));
    QSignalSpy changed(&limiter, &SharedLimiter::sharedChanged);
    QSignalSpy warnings(&limiter, &SharedLimiter::warning);
    QVERIFY(limiter.start());
    QTRY_VERIFY_WITH_TIMEOUT(limiter.isShared(), 2000);
    m_redis.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!limiter.isShared(), 3000);
    QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 3, 2000); // up, down, and failed reconnects
    QCOMPARE(warnings.count(), 1); // one warning per outage
    QVERIFY(!ask(limiter, 1, 0).granted); // asked while down: deferred, no hang
    QVERIFY(m_redis.start());
    QTRY_VERIFY_WITH_TIMEOUT(limiter.isShared(), 3000);
    QCOMPARE(warnings.count(), 2); // "back"
    QVERIFY(ask(limiter, 2, 0).granted); // scripts reloaded on the new server
}

void TestRedisLimiter::burstLearnedOrSmall_data()
{
    QTest::addColumn<double>("toldBurst"); // 0: not told
    QTest::addColumn<QList<double>>("learned"); // bursts published from quota headers, in order
    QTest::addColumn<int>("grantedInARow");
    QTest::newRow("unknown: one") << 0.0 << QList<double> {} << 1;
    QTest::newRow("learned") << 0.0 << QList<double> { 4.0 } << 4;
    QTest::newRow("largest learned stays") << 0.0 << QList<double> { 4.0, 2.0 } << 4;
    QTest::newRow("told") << 5.0 << QList<double> {} << 5;
    QTest::newRow("learned below told") << 5.0 << QList<double> { 3.0 } << 3;
}

void TestRedisLimiter::burstLearnedOrSmall()
{
    QFETCH(double, toldBurst);
    QFETCH(QList<double>, learned);
    QFETCH(int, grantedInARow);
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiter limiter(config(2, toldBurst)); // slow: the asks in a row outlast no interval
    QVERIFY(limiter.start());
    QTRY_VERIFY_WITH_TIMEOUT(limiter.isShared(), 2000);
    for (const double burst : learned)
        limiter.publishServerPace(0, burst); // same connection: in Redis before the asks below
    for (int i = 0; i < grantedInARow; ++i)
        QVERIFY2(ask(limiter, quint64(i + 1), 0).granted, qPrintable(QString::number(i)));
    const Answer refused = ask(limiter, 99, 0);
    QVERIFY(!refused.granted);
    QVERIFY2(refused.waitMs > 0 && refused.waitMs <= 500, qPrintable(QString::number(refused.waitMs)));
}

void TestRedisLimiter::serverRateKeepsTheLeast()
{
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiterConfig c = config(0, 0);
    c.paceRefreshMs = 300;
    RedisLimiter a(c);
    RedisLimiter b(c);
    QVERIFY(a.start() && b.start());
    QTRY_VERIFY_WITH_TIMEOUT(a.isShared() && b.isShared(), 2000);
    const QByteArray rateKey = m_namespace.toUtf8() + ":default:rate";
    a.publishServerPace(12.5, 0); // from few samples: a loose upper bound
    QTRY_COMPARE_WITH_TIMEOUT(redisGet(m_redis.port(), rateKey), QByteArray("12.5"), 1000);
    b.publishServerPace(10, 0);
    QTRY_COMPARE_WITH_TIMEOUT(redisGet(m_redis.port(), rateKey), QByteArray("10"), 1000);
    a.publishServerPace(11, 0); // higher, within the refresh period: the least stands
    ask(a, 1, 0); // a round trip on a's connection: the publish has been handled
    QCOMPARE(redisGet(m_redis.port(), rateKey), QByteArray("10"));
    // After the refresh period the next one stands, so the rate can rise again.
    QTRY_VERIFY_WITH_TIMEOUT((a.publishServerPace(11, 0), redisGet(m_redis.port(), rateKey) == "11"), 2000);
}

void TestRedisLimiter::holdIsBounded()
{
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiterConfig bounded = config(100, 1);
    bounded.maxHoldMs = 300;
    RedisLimiter a(bounded);
    RedisLimiter b(config(100, 1));
    QVERIFY(a.start() && b.start());
    QTRY_VERIFY_WITH_TIMEOUT(a.isShared() && b.isShared(), 2000);
    a.publishHold(600000); // a far-off hint
    const QByteArray holdKey = m_namespace.toUtf8() + ":default:hold";
    QTRY_VERIFY_WITH_TIMEOUT(!redisGet(m_redis.port(), holdKey).isEmpty(), 1000); // no ask spent
    const Answer held = ask(b, 2, 0);
    QVERIFY(!held.granted);
    QVERIFY2(held.waitMs > 0 && held.waitMs <= 300, qPrintable(QString::number(held.waitMs)));
    // Every instance resumes once the bounded hold is over, and the wait each answer names is
    // honest: following it leads to the grant in a few asks, not a stream of small waits.
    int asks = 0;
    const Answer resumed = askUntilGranted(b, 3, 10000, &asks);
    QVERIFY2(resumed.granted,
             qPrintable(
                 QStringLiteral("last answer: wait %1 ms, shared %2").arg(resumed.waitMs).arg(b.isShared())));
    QVERIFY2(asks <= 4, qPrintable(QString::number(asks)));
}

void TestRedisLimiter::lossLearnsFromEveryInstance()
{
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiterConfig learning = config(0, 0);
    learning.adaptive = true;
    RedisLimiter a(learning);
    // b is told a rate, so its asks start no slow start (whose rate would cap what is learned).
    RedisLimiterConfig told = config(1000, 1000);
    told.adaptive = true;
    RedisLimiter b(told);
    QVERIFY(a.start() && b.start());
    QTRY_VERIFY_WITH_TIMEOUT(a.isShared() && b.isShared(), 2000);
    for (int i = 0; i < 10; ++i) {
        a.recordAdmission();
        b.recordAdmission();
    }
    QVERIFY(ask(b, 1, 0).granted); // b's connection has counted its sends
    a.recordLoss(0, 1000);
    // 20 sent within the shortest window (250 ms), one of them refused: 76 rps for both together.
    QTRY_VERIFY_WITH_TIMEOUT(a.learnedRps().has_value(), 1000);
    QVERIFY2(*a.learnedRps() > 60 && *a.learnedRps() <= 80.5, qPrintable(QString::number(*a.learnedRps())));
    // Refused by the 1 s hold, which every instance honours.
    const Answer held = ask(b, 2, 0);
    QVERIFY2(!held.granted && held.waitMs <= 1000, qPrintable(QString::number(held.waitMs)));
    QVERIFY(askUntilGranted(b, 3, 3000).granted);
    const double learned = *a.learnedRps();
    a.recordLoss(60000, 0); // admitted before the drop: the same overload, no second drop
    ask(a, 5, 0); // a round trip on a's connection: the loss's answer has arrived
    QCOMPARE(*a.learnedRps(), learned);
}

QTEST_MAIN(TestRedisLimiter)
#include "tst_redislimiter.moc"
