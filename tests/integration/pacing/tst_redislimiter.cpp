#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "tests/integration/pacing/redisprocess.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace gp;

namespace {
PaceTicket ticket(quint64 id)
{
    PaceTicket t;
    t.jobId = id;
    return t;
}

struct Answer
{
    bool granted = false;
    qint64 waitMs = 0;
};
} // namespace

class TestRedisLimiter final : public QObject
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
    void fallsBackWhenDownAtStart();
    void schedulersShareOneQuota();

private:
    RedisLimiterConfig config(double rps, double burst, double tpm = 0) const;
    static Answer ask(RedisLimiter &limiter, quint64 ticket, qint64 tokens);
    RedisProcess m_redis;
    QString m_namespace;
};

void TestRedisLimiter::initTestCase()
{
    QVERIFY2(m_redis.start(), "redis-server did not start");
}

RedisLimiterConfig TestRedisLimiter::config(double rps, double burst, double tpm) const
{
    RedisLimiterConfig c;
    c.url = m_redis.url();
    c.keyNamespace = m_namespace;
    c.requestsPerSecond = rps;
    c.requestBurst = burst;
    c.tokensPerMinute = tpm;
    c.reconnectMinMs = 50;
    c.reconnectMaxMs = 200;
    c.heartbeatMs = 100;
    c.instanceTtlMs = 1000;
    return c;
}

Answer TestRedisLimiter::ask(RedisLimiter &limiter, quint64 ticket, qint64 tokens)
{
    QSignalSpy granted(&limiter, &SharedLimiter::permitGranted);
    QSignalSpy deferred(&limiter, &SharedLimiter::permitDeferred);
    limiter.requestPermit(ticket, tokens);
    if (!QTest::qWaitFor([&] { return granted.count() + deferred.count() > 0; }, 2000))
        return { false, -1 };
    if (granted.count() > 0)
        return { granted.at(0).at(0).value<quint64>() == ticket, 0 };
    return { false, deferred.at(0).at(1).value<qint64>() };
}

void TestRedisLimiter::admissionArithmetic_data()
{
    QTest::addColumn<double>("rps");
    QTest::addColumn<double>("burst");
    QTest::addColumn<double>("tpm");
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<int>("grantedInARow");
    QTest::addColumn<qint64>("maxWaitMs");

    QTest::newRow("burst of two at 10 rps") << 10.0 << 2.0 << 0.0 << qint64(0) << 2 << qint64(100);
    QTest::newRow("burst of five at 10 rps") << 10.0 << 5.0 << 0.0 << qint64(0) << 5 << qint64(100);
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

void TestRedisLimiter::fallsBackWhenDownAtStart()
{
    RedisProcess nowhere; // never started: nothing listens on its port
    PacingConfig c;
    c.redisUrl = nowhere.url();
    c.requestsPerSecond = 100;
    c.probeFirst = false;
    Scheduler scheduler(c);
    QSignalSpy warnings(&scheduler, &Scheduler::warning);
    QSignalSpy admitted(&scheduler, &Pacer::admitted);
    for (quint64 id = 1; id <= 3; ++id)
        QVERIFY(!scheduler.enqueue(ticket(id)));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 3, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(warnings.count(), 1, 2000);
    QVERIFY(warnings.at(0).at(0).toString().contains(QStringLiteral("unreachable")));
    QVERIFY(!scheduler.sharedLimiter()->isShared());
}

void TestRedisLimiter::schedulersShareOneQuota()
{
    PacingConfig c;
    c.redisUrl = m_redis.url();
    c.redisNamespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.requestsPerSecond = 10;
    c.requestBurst = 2;
    c.probeFirst = false;
    Scheduler a(c);
    Scheduler b(c);
    QTRY_VERIFY_WITH_TIMEOUT(a.sharedLimiter()->isShared() && b.sharedLimiter()->isShared(), 2000);
    QSignalSpy admittedA(&a, &Pacer::admitted);
    QSignalSpy admittedB(&b, &Pacer::admitted);
    QElapsedTimer clock;
    clock.start();
    for (quint64 id = 1; id <= 4; ++id) {
        QVERIFY(!a.enqueue(ticket(id)));
        QVERIFY(!b.enqueue(ticket(id)));
    }
    // 8 admissions at 10 rps with a burst of 2 take at least 600 ms between both instances.
    QTRY_COMPARE_WITH_TIMEOUT(admittedA.count() + admittedB.count(), 8, 3000);
    QVERIFY2(clock.elapsed() >= 550, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(admittedA.count() > 0 && admittedB.count() > 0);
}

QTEST_MAIN(TestRedisLimiter)
#include "tst_redislimiter.moc"
