#include "core/pacing/scheduler.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace gp;

namespace {
PaceTicket ticket(quint64 id, Priority priority = Priority::Normal, qint64 tokens = 0)
{
    PaceTicket t;
    t.jobId = id;
    t.priority = priority;
    t.estimatedTokens = tokens;
    return t;
}

PaceFeedback done(quint64 id, int status = 200, std::optional<qint64> actualTokens = std::nullopt)
{
    PaceFeedback f;
    f.jobId = id;
    f.sent = true;
    f.httpStatus = status;
    f.actualTokens = actualTokens;
    f.errorClass = status == 429 ? ErrorClass::RateLimited : ErrorClass::None;
    return f;
}

PacingConfig quiet()
{
    PacingConfig c;
    c.probeFirst = false;
    c.stateThrottleMs = 0;
    return c;
}

quint64 admittedId(const QSignalSpy &spy, int i)
{
    return spy.at(i).at(0).value<quint64>();
}
} // namespace

class TestScheduler final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void neverAdmitsSynchronously();
    void prioritiesWithOneSlot_data();
    void prioritiesWithOneSlot();
    void refusals_data();
    void refusals();
    void deadlineRejectsQueuedTicket();
    void deadlineRejectsTicketBehindHead_data();
    void deadlineRejectsTicketBehindHead();
    void localRateWaitsOnPinnedClock();
    void serverQuotaStopsAdmissions();
    void settlementRefundsTokens();
    void interactiveReserveWhileBackgroundQueued();
    void learnsLimitWithoutHeaders();
    void probeFirstThenFanOut();
    void probeUnansweredEndsAfterItsTimeout();
    void startWindowBeforeFirstLoss();
    void cancelAndUnsentRelease();
    void stateChangedIsThrottled();
};

void TestScheduler::neverAdmitsSynchronously()
{
    Scheduler s(quiet());
    QSignalSpy spy(&s, &Pacer::admitted);
    QVERIFY(!s.enqueue(ticket(1)));
    QCOMPARE(spy.count(), 0);
    QVERIFY(spy.wait(1000));
    QCOMPARE(admittedId(spy, 0), quint64(1));
    QCOMPARE(s.state().inFlight, 1);
}

void TestScheduler::prioritiesWithOneSlot_data()
{
    QTest::addColumn<QList<int>>("priorities");
    QTest::addColumn<QList<quint64>>("order");
    QTest::newRow("by level") << QList<int> { 2, 1, 0, 1 } << QList<quint64> { 3, 2, 4, 1 };
    QTest::newRow("fifo") << QList<int> { 1, 1, 1 } << QList<quint64> { 1, 2, 3 };
}

void TestScheduler::prioritiesWithOneSlot()
{
    QFETCH(QList<int>, priorities);
    QFETCH(QList<quint64>, order);
    PacingConfig c = quiet();
    c.maxInFlight = 1;
    c.interactiveReserve = 0.0;
    Scheduler s(c);
    QSignalSpy spy(&s, &Pacer::admitted);
    for (int i = 0; i < priorities.size(); ++i)
        QVERIFY(!s.enqueue(ticket(quint64(i + 1), Priority(priorities[i]))));
    for (int i = 0; i < order.size(); ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), i + 1, 1000);
        QCOMPARE(admittedId(spy, i), order[i]);
        QCOMPARE(s.state().waitReason, i + 1 < order.size() ? QStringLiteral("concurrency") : QString());
        s.release(done(order[i]));
    }
}

void TestScheduler::refusals_data()
{
    QTest::addColumn<int>("maxQueued");
    QTest::addColumn<double>("tpm");
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<int>("expected");
    QTest::newRow("queue full") << 2 << 0.0 << qint64(10) << int(ErrorClass::QueueFull);
    QTest::newRow("too large for tpm") << 10 << 1000.0 << qint64(1001) << int(ErrorClass::RequestTooLarge);
    QTest::newRow("fits tpm") << 10 << 1000.0 << qint64(1000) << int(ErrorClass::None);
}

void TestScheduler::refusals()
{
    QFETCH(int, maxQueued);
    QFETCH(double, tpm);
    QFETCH(qint64, tokens);
    QFETCH(int, expected);
    PacingConfig c = quiet();
    c.maxQueued = maxQueued;
    c.tokensPerMinute = tpm;
    Scheduler s(c);
    QVERIFY(!s.enqueue(ticket(1)));
    QVERIFY(!s.enqueue(ticket(2)));
    const auto error = s.enqueue(ticket(3, Priority::Normal, tokens));
    QCOMPARE(int(error ? error->errorClass : ErrorClass::None), expected);
    if (error)
        QVERIFY(!error->message.isEmpty());
}

void TestScheduler::deadlineRejectsQueuedTicket()
{
    PacingConfig c = quiet();
    c.maxInFlight = 1;
    Scheduler s(c);
    QSignalSpy admitted(&s, &Pacer::admitted);
    QSignalSpy rejected(&s, &Pacer::rejected);
    QVERIFY(!s.enqueue(ticket(1)));
    QVERIFY(admitted.wait(1000));
    PaceTicket late = ticket(2);
    late.deadlineMs = QDeadlineTimer::current().deadline() + 30;
    QVERIFY(!s.enqueue(late));
    QVERIFY(rejected.wait(1000));
    QCOMPARE(rejected.at(0).at(0).value<quint64>(), quint64(2));
    QCOMPARE(rejected.at(0).at(1).value<Error>().errorClass, ErrorClass::DeadlineExceeded);
    QCOMPARE(s.state().queued[int(Priority::Normal)], 0);
}

void TestScheduler::deadlineRejectsTicketBehindHead_data()
{
    QTest::addColumn<int>("priority"); // of the ticket with the deadline; the head is Interactive
    QTest::addColumn<qint64>("notBeforeInMs"); // 0: due at once
    QTest::newRow("normal behind the head") << int(Priority::Normal) << qint64(0);
    QTest::newRow("background behind the head") << int(Priority::Background) << qint64(0);
    QTest::newRow("not due before its deadline") << int(Priority::Interactive) << qint64(5000);
}

void TestScheduler::deadlineRejectsTicketBehindHead()
{
    QFETCH(int, priority);
    QFETCH(qint64, notBeforeInMs);
    PacingConfig c = quiet();
    c.maxInFlight = 1;
    c.interactiveReserve = 0.0;
    Scheduler s(c);
    QSignalSpy admitted(&s, &Pacer::admitted);
    QSignalSpy rejected(&s, &Pacer::rejected);
    QVERIFY(!s.enqueue(ticket(1)));
    QVERIFY(admitted.wait(1000)); // 1 holds the only slot for the whole test
    QVERIFY(!s.enqueue(ticket(2, Priority::Interactive))); // the head: waits, no deadline
    const qint64 start = QDeadlineTimer::current(Qt::PreciseTimer).deadline();
    PaceTicket late = ticket(3, Priority(priority));
    late.deadlineMs = start + 60;
    late.notBeforeMs = notBeforeInMs > 0 ? start + notBeforeInMs : 0;
    QVERIFY(!s.enqueue(late));
    // Rejected at its deadline, not when it reaches the head (never, here).
    QTRY_COMPARE_WITH_TIMEOUT(rejected.count(), 1, 1000);
    const qint64 at = QDeadlineTimer::current(Qt::PreciseTimer).deadline();
    QVERIFY2(at >= start + 60 && at < start + 600, qPrintable(QString::number(at - start)));
    QCOMPARE(rejected.at(0).at(0).value<quint64>(), quint64(3));
    const Error error = rejected.at(0).at(1).value<Error>();
    QCOMPARE(error.errorClass, ErrorClass::DeadlineExceeded);
    QVERIFY2(error.message.contains(QStringLiteral("deadline passed while it was queued")),
             qPrintable(error.message));
    QCOMPARE(admitted.count(), 1);
    QCOMPARE(s.state().queued[int(Priority::Interactive)], 1); // the head still waits
}

void TestScheduler::localRateWaitsOnPinnedClock()
{
    qint64 now = 1000;
    PacingConfig c = quiet();
    c.requestsPerSecond = 20; // 50 ms apart
    c.requestBurst = 1;
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy spy(&s, &Pacer::admitted);
    s.enqueue(ticket(1));
    s.enqueue(ticket(2));
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(s.state().waitReason, QStringLiteral("rps"));
    now += 50; // the armed timer fires after 50 ms and sees the pinned clock moved
    QVERIFY(spy.wait(1000));
    QCOMPARE(admittedId(spy, 1), quint64(2));
}

void TestScheduler::serverQuotaStopsAdmissions()
{
    qint64 now = 0;
    Scheduler s(quiet());
    s.setClock([&] { return now; });
    QSignalSpy spy(&s, &Pacer::admitted);
    s.enqueue(ticket(1));
    QVERIFY(spy.wait(1000));
    PaceFeedback f = done(1);
    f.quota.requests.limit = 10;
    f.quota.requests.remaining = 0;
    f.quota.requests.resetInMs = 40;
    f.quota.requests.windowMs = 1000;
    s.release(f);
    s.enqueue(ticket(2));
    QTRY_COMPARE_WITH_TIMEOUT(s.state().waitReason, QStringLiteral("quota-requests"), 1000);
    QCOMPARE(s.state().requestsRemaining, qint64(0));
    QCOMPARE(s.state().requestLimit.value_or(-1), qint64(10));
    QCOMPARE(spy.count(), 1);
    now += 100;
    QVERIFY(spy.wait(1000));
}

void TestScheduler::settlementRefundsTokens()
{
    qint64 now = 0;
    PacingConfig c = quiet();
    c.tokensPerMinute = 600; // 10 tokens/s
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy spy(&s, &Pacer::admitted);
    s.enqueue(ticket(1, Priority::Normal, 600));
    s.enqueue(ticket(2, Priority::Normal, 500));
    QVERIFY(spy.wait(1000));
    QTRY_COMPARE_WITH_TIMEOUT(s.state().waitReason, QStringLiteral("tpm"), 1000);
    s.release(done(1, 200, 100)); // used 100 of 600: 500 back
    QVERIFY(spy.wait(1000));
    QCOMPARE(admittedId(spy, 1), quint64(2));
    QCOMPARE(s.state().tokensRemaining.value_or(-1), qint64(0));
}

void TestScheduler::interactiveReserveWhileBackgroundQueued()
{
    qint64 now = 0;
    PacingConfig c = quiet();
    c.requestsPerSecond = 1;
    c.requestBurst = 5; // 20% = 1 request held back for interactive work
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy spy(&s, &Pacer::admitted);
    for (quint64 id = 1; id <= 6; ++id)
        s.enqueue(ticket(id, Priority::Background));
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 4, 1000);
    s.enqueue(ticket(7, Priority::Interactive));
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 5, 1000);
    QCOMPARE(admittedId(spy, 4), quint64(7));
    QCOMPARE(s.state().queued[int(Priority::Background)], 2);
}

void TestScheduler::learnsLimitWithoutHeaders()
{
    qint64 now = 0;
    Scheduler s(quiet());
    s.setClock([&] { return now; });
    QSignalSpy spy(&s, &Pacer::admitted);
    QSignalSpy learned(&s, &Scheduler::limitLearned);
    for (quint64 id = 1; id <= 3; ++id)
        s.enqueue(ticket(id));
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 3, 1000);
    s.release(done(1));
    s.release(done(2, 429));
    QCOMPARE(learned.count(), 1);
    s.release(done(3, 429)); // same overload: counted once
    QCOMPARE(learned.count(), 1);
    QVERIFY(s.state().learnedRps.has_value());
    s.enqueue(ticket(4));
    QTRY_COMPARE_WITH_TIMEOUT(s.state().waitReason, QStringLiteral("hold-429"), 1000);
    now += 300;
    QVERIFY(spy.wait(1000));
}

void TestScheduler::probeFirstThenFanOut()
{
    PacingConfig c = quiet();
    c.probeFirst = true;
    Scheduler s(c);
    QSignalSpy spy(&s, &Pacer::admitted);
    for (quint64 id = 1; id <= 4; ++id)
        s.enqueue(ticket(id));
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.count(), 1);
    s.release(done(1));
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 4, 1000);
}

// At LLM latency the first answer can take seconds: an unanswered probe stops holding the rest
// after probeTimeoutMs (a limiter refusing at admission would have refused it by then).
void TestScheduler::probeUnansweredEndsAfterItsTimeout()
{
    qint64 now = 0;
    PacingConfig c = quiet();
    c.probeFirst = true;
    c.probeTimeoutMs = 200;
    c.adaptiveStartWindow = 0; // the probe alone holds
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy spy(&s, &Pacer::admitted);
    for (quint64 id = 1; id <= 20; ++id)
        s.enqueue(ticket(id));
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 1000); // the probe
    now = 150;
    s.enqueue(ticket(21)); // a pass at 150 ms: still probing, the rest wait for it
    QTRY_COMPARE_WITH_TIMEOUT(s.state().waitReason, QStringLiteral("concurrency"), 1000);
    QCOMPARE(spy.count(), 1);
    // Unanswered for its whole timeout: taken as an answer without quota headers, so the slow
    // start goes on without it, one by one, not the whole concurrency at once.
    now = 200;
    QTRY_VERIFY_WITH_TIMEOUT((now += 20, spy.count() >= 3), 3000);
    QVERIFY2(spy.count() <= 4, qPrintable(QString::number(spy.count())));
    QCOMPARE(s.state().inFlight, spy.count());
}

void TestScheduler::startWindowBeforeFirstLoss()
{
    qint64 now = 0;
    PacingConfig c = quiet();
    c.probeFirst = true;
    c.adaptiveStartWindow = 2;
    c.adaptiveWindowHorizonRtts = 0.0; // every attempt in flight counts, however old
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy spy(&s, &Pacer::admitted);
    for (quint64 id = 1; id <= 20; ++id)
        s.enqueue(ticket(id));
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 1000); // the probe
    s.release(done(admittedId(spy, 0))); // no headers: learning starts; one success: window 2 + 1
    QTRY_VERIFY_WITH_TIMEOUT((now += 100, spy.count() >= 4), 2000);
    now += 5000; // the rate's slow start is far above by now: only the window holds
    s.enqueue(ticket(21));
    QTRY_COMPARE_WITH_TIMEOUT(s.state().waitReason, QStringLiteral("start-window"), 1000);
    QCOMPARE(spy.count(), 4);
    s.release(done(admittedId(spy, 1))); // a second success: window 4, one slot freed: two go...
    QTRY_VERIFY_WITH_TIMEOUT((now += 100, spy.count() >= 6), 2000);
    QCOMPARE(spy.count(), 6);
    QCOMPARE(s.state().inFlight, 4);
    s.release(done(admittedId(spy, 2), 429)); // the first loss: the learned curve paces instead
    QTRY_VERIFY_WITH_TIMEOUT((now += 1000, spy.count() >= 8), 5000);
}

void TestScheduler::cancelAndUnsentRelease()
{
    qint64 now = 0;
    PacingConfig c = quiet();
    c.requestsPerSecond = 1;
    c.requestBurst = 1;
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy spy(&s, &Pacer::admitted);
    s.enqueue(ticket(1));
    s.enqueue(ticket(2));
    s.enqueue(ticket(3));
    QVERIFY(spy.wait(1000));
    s.cancel(2);
    QCOMPARE(s.state().queued[int(Priority::Normal)], 1);
    PaceFeedback unsent = done(1);
    unsent.sent = false; // cancelled before sending: its request goes back
    s.release(unsent);
    QVERIFY(spy.wait(1000));
    QCOMPARE(admittedId(spy, 1), quint64(3));
    s.release(done(99)); // unknown id: ignored
    QCOMPARE(s.state().inFlight, 1);
}

void TestScheduler::stateChangedIsThrottled()
{
    PacingConfig c = quiet();
    c.stateThrottleMs = 200;
    c.maxInFlight = 1;
    Scheduler s(c);
    QSignalSpy spy(&s, &Pacer::stateChanged);
    QSignalSpy admitted(&s, &Pacer::admitted);
    QElapsedTimer elapsed;
    elapsed.start();
    for (quint64 id = 1; id <= 20; ++id)
        s.enqueue(ticket(id));
    for (int i = 1; i <= 10; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), i, 1000);
        s.release(done(admittedId(admitted, i - 1)));
    }
    // 10 admissions and 10 releases changed the state 30 times; at most one emission per 200 ms.
    QVERIFY(spy.count() >= 1);
    QVERIFY2(spy.count() <= 1 + elapsed.elapsed() / 200, qPrintable(QString::number(spy.count())));
    QVERIFY(spy.count() < 10);
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= 2, 1000); // the held-back change is flushed
}

QTEST_MAIN(TestScheduler)
#include "tst_scheduler.moc"
