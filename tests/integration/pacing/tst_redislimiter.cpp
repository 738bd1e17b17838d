#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "tests/integration/pacing/redisprocess.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
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

// GET of one key over a separate connection (RESP by hand); empty when missing or on error.
QByteArray redisGet(quint16 port, const QByteArray &key)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(1000))
        return {};
    socket.write("*2\r\n$3\r\nGET\r\n$" + QByteArray::number(key.size()) + "\r\n" + key + "\r\n");
    QByteArray reply;
    while (!(reply.startsWith("$-1") || (reply.count("\r\n") >= 2)) && socket.waitForReadyRead(1000))
        reply += socket.readAll();
    if (!reply.startsWith('$') || reply.startsWith("$-1"))
        return {};
    return reply.split('\n').value(1).trimmed();
}

PaceFeedback response(quint64 id, int status, const QuotaSnapshot &quota = {})
{
    PaceFeedback f;
    f.jobId = id;
    f.sent = true;
    f.httpStatus = status;
    f.errorClass = status == 429 ? ErrorClass::RateLimited : ErrorClass::None;
    f.quota = quota;
    return f;
}
} // namespace

// A Scheduler whose shared quota is a RedisLimiter, wired as the Engine wires them.
struct SharedScheduler
{
    explicit SharedScheduler(const PacingConfig &c)
        : redis(gp::RedisLimiterConfig::fromPacing(c))
        , scheduler(c)
    {
        scheduler.setSharedLimiter(&redis);
        redis.start();
    }
    gp::RedisLimiter redis; // outlives the scheduler
    gp::Scheduler scheduler;
};

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
    void burstLearnedOrSmall_data();
    void burstLearnedOrSmall();
    void serverPaceFromOpenAiHeaders();
    void serverRateKeepsTheLeast();
    void holdIsBounded();
    void lossWithoutRetryAfterHoldsBriefly();
    void lossLearnsFromEveryInstance();

private:
    RedisLimiterConfig config(double rps, double burst, double tpm = 0) const;
    static Answer ask(RedisLimiter &limiter, quint64 ticket, qint64 tokens);
    static Answer askUntilGranted(RedisLimiter &limiter, quint64 ticket, qint64 boundMs, int *asks = nullptr);
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
    c.adaptive = false; // exact arithmetic: no slow start where no rate is set
    c.commandTimeoutMs = 5000; // a slow answer on a busy machine is not an outage here
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

// Asks until granted, honouring each answer's wait as the Scheduler does (a timer for the ms
// the limiter names, then ask again), for at most boundMs. ask() never goes inside QTRY_*: the
// macros evaluate their expression again after it first holds (the "timeout too short" check,
// then the final QVERIFY), every evaluation takes a permit, and the last one is then refused
// by the interval the one before started ("wait 3 ms" at 100 rps) although the grant came.
Answer TestRedisLimiter::askUntilGranted(RedisLimiter &limiter, quint64 ticket, qint64 boundMs, int *asks)
{
    QElapsedTimer clock;
    clock.start();
    Answer last { false, -1 };
    int count = 0;
    while (clock.elapsed() < boundMs) {
        last = ask(limiter, ticket, 0);
        ++count;
        if (last.granted || last.waitMs < 0)
            break;
        QTimer pause;
        pause.setSingleShot(true);
        pause.setTimerType(Qt::PreciseTimer);
        QSignalSpy fired(&pause, &QTimer::timeout);
        pause.start(int(last.waitMs));
        if (!fired.wait(int(last.waitMs) + 5000))
            break;
    }
    if (asks)
        *asks = count;
    return last;
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

void TestRedisLimiter::fallsBackWhenDownAtStart()
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

void TestRedisLimiter::schedulersShareOneQuota()
{
    PacingConfig c;
    c.redisUrl = m_redis.url();
    c.redisNamespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.requestsPerSecond = 10;
    c.requestBurst = 2;
    c.probeFirst = false;
    SharedScheduler sharedA(c);
    SharedScheduler sharedB(c);
    Scheduler &a = sharedA.scheduler;
    Scheduler &b = sharedB.scheduler;
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

void TestRedisLimiter::serverPaceFromOpenAiHeaders()
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

void TestRedisLimiter::lossWithoutRetryAfterHoldsBriefly()
{
    // No quota headers, no Retry-After, nothing configured, a 429 before any success: a short
    // hold for every instance, then both go on (no tiny learned rate that parks them).
    PacingConfig c;
    c.redisUrl = m_redis.url();
    c.redisNamespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.probeFirst = false;
    c.minHoldAfter429Ms = 250;
    SharedScheduler sharedA(c);
    SharedScheduler sharedB(c);
    Scheduler &a = sharedA.scheduler;
    Scheduler &b = sharedB.scheduler;
    QTRY_VERIFY_WITH_TIMEOUT(a.sharedLimiter()->isShared() && b.sharedLimiter()->isShared(), 2000);
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

void TestRedisLimiter::lossLearnsFromEveryInstance()
{
    m_namespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    RedisLimiterConfig learning = config(0, 0);
    learning.adaptive = true;
    RedisLimiter a(learning);
    RedisLimiter b(learning);
    QVERIFY(a.start() && b.start());
    QTRY_VERIFY_WITH_TIMEOUT(a.isShared() && b.isShared(), 2000);
    for (int i = 0; i < 10; ++i) {
        a.recordSuccess();
        b.recordSuccess();
    }
    QVERIFY(ask(b, 1, 0).granted); // b's connection has counted its successes
    a.recordLoss(0, 100);
    // 20 successes within the shortest window (250 ms): 80 rps for both together.
    QTRY_VERIFY_WITH_TIMEOUT(a.learnedRps().has_value(), 1000);
    QVERIFY2(*a.learnedRps() > 60 && *a.learnedRps() <= 80.5, qPrintable(QString::number(*a.learnedRps())));
    // Refused by the 100 ms hold, or (on a busy machine, once the hold is over) by the 250 ms
    // interval b's first grant took at the slow start's 4 rps; never longer.
    const Answer held = ask(b, 2, 0);
    QVERIFY2(!held.granted && held.waitMs <= 250, qPrintable(QString::number(held.waitMs)));
    QVERIFY(askUntilGranted(b, 3, 3000).granted);
    const double learned = *a.learnedRps();
    a.recordLoss(60000, 0); // admitted before the drop: the same overload, no second drop
    ask(a, 5, 0); // a round trip on a's connection: the loss's answer has arrived
    QCOMPARE(*a.learnedRps(), learned);
}

QTEST_MAIN(TestRedisLimiter)
#include "tst_redislimiter.moc"
