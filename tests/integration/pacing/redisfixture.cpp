#include "tests/integration/pacing/redisfixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace gp;

namespace redistest {

PaceTicket ticket(quint64 id)
{
    PaceTicket t;
    t.jobId = id;
    return t;
}

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

PaceFeedback response(quint64 id, int status, const QuotaSnapshot &quota)
{
    PaceFeedback f;
    f.jobId = id;
    f.sent = true;
    f.httpStatus = status;
    f.errorClass = status == 429 ? ErrorClass::RateLimited : ErrorClass::None;
    f.quota = quota;
    return f;
}

RedisLimiterConfig RedisFixture::config(double rps, double burst, double tpm) const
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

Answer RedisFixture::ask(RedisLimiter &limiter, quint64 ticket, qint64 tokens)
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
Answer RedisFixture::askUntilGranted(RedisLimiter &limiter, quint64 ticket, qint64 boundMs, int *asks)
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

} // namespace redistest
