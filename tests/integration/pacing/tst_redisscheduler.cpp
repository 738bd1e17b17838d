// Schedulers sharing one quota through a real redis-server.
#include "core/wire/statedlimit.h"
#include "tests/integration/pacing/redisfixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace gp;
using namespace redistest;

// A Scheduler whose shared quota is a RedisLimiter, wired as the Engine wires them.
struct SharedScheduler
{
    explicit SharedScheduler(const PacingConfig &c)
        : redis(RedisLimiterConfig::fromPacing(c))
        , scheduler(c)
    {
        scheduler.setSharedLimiter(&redis);
        redis.start();
    }
    RedisLimiter redis; // outlives the scheduler
    Scheduler scheduler;
};

// Two instances on one quota.
struct SharedPair
{
    explicit SharedPair(const PacingConfig &c)
        : sharedA(c)
        , sharedB(c)
    { }
    bool connected() { return a.sharedLimiter()->isShared() && b.sharedLimiter()->isShared(); }
    SharedScheduler sharedA;
    SharedScheduler sharedB;
    Scheduler &a = sharedA.scheduler;
    Scheduler &b = sharedB.scheduler;
};

class TestRedisScheduler final : public QObject, public RedisFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fallsBackWhenDownAtStart();
    void schedulersShareOneQuota();
    void serverPaceFromOpenAiHeaders();
    void lossWithoutRetryAfterHoldsBriefly();
    void statedLimitPacesEveryInstance();

private:
    // On the test's redis-server, in a namespace of its own, no probe.
    PacingConfig sharedConfig() const;
};

PacingConfig TestRedisScheduler::sharedConfig() const
{
    PacingConfig c;
    c.redisUrl = m_redis.url();
    c.redisNamespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.probeFirst = false;
    return c;
}

void TestRedisScheduler::initTestCase()
{
    QVERIFY2(m_redis.start(), "redis-server did not start");
}

void TestRedisScheduler::fallsBackWhenDownAtStart()
{
    RedisProcess nowhere; // never started: nothing listens on its port
    PacingConfig c;
    c.redisUrl = nowhere.url();
    c.requestsPerSecond = 100;
    c.probeFirst = false;
    SharedScheduler shared(c);
    Scheduler &scheduler = shared.scheduler;
    QSignalSpy warnings(&scheduler, &Scheduler::warning);
    QSignalSpy admitted(&scheduler, &Pacer::admitted);
    for (quint64 id = 1; id <= 3; ++id)
        QVERIFY(!scheduler.enqueue(ticket(id)));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 3, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(warnings.count(), 1, 2000);
    QVERIFY(warnings.at(0).at(0).toString().contains(QStringLiteral("unreachable")));
    QVERIFY(!scheduler.sharedLimiter()->isShared());
}

void TestRedisScheduler::schedulersShareOneQuota()
{
    PacingConfig c = sharedConfig();
    c.requestsPerSecond = 10;
    c.requestBurst = 2;
    SharedPair pair(c);
    Scheduler &a = pair.a;
    Scheduler &b = pair.b;
    QTRY_VERIFY_WITH_TIMEOUT(pair.connected(), 2000);
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

void TestRedisScheduler::serverPaceFromOpenAiHeaders()
{
    // OpenAI-style headers name no window: the rate comes from limit, remaining and reset.
    PacingConfig c;
    c.redisUrl = m_redis.url();
    c.redisNamespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.probeFirst = false;
    c.adaptive = false;
    SharedScheduler sharedA(c);
    Scheduler &a = sharedA.scheduler;
    QTRY_VERIFY_WITH_TIMEOUT(a.sharedLimiter()->isShared(), 2000);
    QSignalSpy admitted(&a, &Pacer::admitted);
    QuotaSnapshot quota; // a 10 rps limit with a burst of 5, one request used
    quota.requests.limit = 10;
    quota.requests.remaining = 4;
    quota.requests.resetInMs = 100;
    const QByteArray prefix
        = c.redisNamespace.toUtf8() + ":" + c.redisModel.toUtf8() + ":"; // namespace + model
    for (quint64 id = 1; id <= 3; ++id) { // a rate is published from three samples on
        QVERIFY(!a.enqueue(ticket(id)));
        QVERIFY(admitted.wait(1000));
        QVERIFY(redisGet(m_redis.port(), prefix + "rate").isEmpty());
        a.release(response(id, 200, quota));
    }
    QTRY_VERIFY_WITH_TIMEOUT(!redisGet(m_redis.port(), prefix + "rate").isEmpty(), 2000);
    QVERIFY2(qAbs(redisGet(m_redis.port(), prefix + "rate").toDouble() - 9.9) < 0.01, // 1% under
             redisGet(m_redis.port(), prefix + "rate").constData());
    QCOMPARE(redisGet(m_redis.port(), prefix + "burst").toDouble(), 4.0); // one of the 5 kept in hand

    m_namespace = c.redisNamespace;
    RedisLimiterConfig otherConfig = config(0, 0); // told nothing: paces on what a published
    otherConfig.model = c.redisModel; // the same quota key
    RedisLimiter other(otherConfig);
    QVERIFY(other.start());
    QTRY_VERIFY_WITH_TIMEOUT(other.isShared(), 2000);
    for (quint64 id = 1; id <= 4; ++id)
        QVERIFY(ask(other, id, 0).granted);
    const Answer refused = ask(other, 5, 0);
    QVERIFY(!refused.granted);
    QVERIFY2(refused.waitMs > 0 && refused.waitMs <= 100, qPrintable(QString::number(refused.waitMs)));
}

void TestRedisScheduler::lossWithoutRetryAfterHoldsBriefly()
{
    // No quota headers, no Retry-After, nothing configured, a 429 before any success: a short
    // hold for every instance, then both go on (no tiny learned rate that parks them).
    PacingConfig c = sharedConfig();
    c.minHoldAfter429Ms = 250;
    SharedPair pair(c);
    Scheduler &a = pair.a;
    Scheduler &b = pair.b;
    QTRY_VERIFY_WITH_TIMEOUT(pair.connected(), 2000);
    QSignalSpy admittedA(&a, &Pacer::admitted);
    QSignalSpy admittedB(&b, &Pacer::admitted);
    QVERIFY(!a.enqueue(ticket(1)));
    QVERIFY(admittedA.wait(1000));
    QElapsedTimer clock;
    clock.start();
    a.release(response(1, 429)); // no hint
    for (quint64 id = 2; id <= 6; ++id) {
        QVERIFY(!a.enqueue(ticket(id)));
        QVERIFY(!b.enqueue(ticket(id)));
    }
    QTRY_VERIFY_WITH_TIMEOUT(admittedB.count() > 0, 1000);
    QVERIFY2(clock.elapsed() >= 150, qPrintable(QString::number(clock.elapsed()))); // b held too
    QTRY_COMPARE_WITH_TIMEOUT(admittedA.count() + admittedB.count(), 11, 2500);
    QVERIFY(!a.sharedLimiter()->learnedRps()); // nothing to learn a rate from
}

void TestRedisScheduler::statedLimitPacesEveryInstance()
{
    // No headers, nothing configured; one instance's 429 states the team's limit in xAI's words.
    // The other instance, never refused, paces by it too: the limit is the team's, not a's.
    const PacingConfig c = sharedConfig();
    SharedPair pair(c);
    Scheduler &a = pair.a;
    Scheduler &b = pair.b;
    QTRY_VERIFY_WITH_TIMEOUT(pair.connected(), 2000);
    QSignalSpy admittedA(&a, &Pacer::admitted);
    QSignalSpy admittedB(&b, &Pacer::admitted);
    QVERIFY(!a.enqueue(ticket(1)));
    QVERIFY(admittedA.wait(1000));
    PaceFeedback refused = response(1, 429);
    refused.model = ticket(1).model;
    refused.statedLimits = parseStatedLimits(
        u"Too many requests for team 0b1c and model grok-4. Your team's rate limit is \u2014 Requests "
        u"per Second (actual/limit): 6/4, Requests per Minute (actual/limit): 6/600.");
    QCOMPARE(refused.statedLimits.size(), 2);
    a.release(refused);
    const QByteArray prefix = c.redisNamespace.toUtf8() + ":" + c.redisModel.toUtf8() + ":";
    QTRY_VERIFY_WITH_TIMEOUT(!redisGet(m_redis.port(), prefix + "rate").isEmpty(), 2000);
    QCOMPARE(redisGet(m_redis.port(), prefix + "rate").toDouble(), 4.0);
    QElapsedTimer clock;
    clock.start();
    for (quint64 id = 10; id < 15; ++id) // b: five at 4 rps from one shared bucket
        QVERIFY(!b.enqueue(ticket(id)));
    QTRY_COMPARE_WITH_TIMEOUT(admittedB.count(), 5, 4000);
    QVERIFY2(clock.elapsed() >= 900, qPrintable(QString::number(clock.elapsed())));
}

QTEST_MAIN(TestRedisScheduler)
#include "tst_redisscheduler.moc"
