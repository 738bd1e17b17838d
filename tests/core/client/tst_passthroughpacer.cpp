#include "core/client/passthroughpacer.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

using namespace gp;

class TestPassThroughPacer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void neverAdmitsSynchronously();
    void concurrencyCapAndRelease();
    void priorityOrder_data();
    void priorityOrder();
    void notBeforeIsHonoured();
    void retriesGoAheadOfFirstTries();
    void retryWaitsForBudget();
    void retryRejectedWhenBudgetMissesDeadline();
    void cancelRemovesTicket();
};

namespace {
qint64 now()
{
    return QDeadlineTimer::current(Qt::PreciseTimer).deadline();
}
PaceTicket ticket(quint64 id, Priority p = Priority::Normal)
{
    PaceTicket t;
    t.jobId = id;
    t.priority = p;
    return t;
}
QList<quint64> admittedIds(const QSignalSpy &spy)
{
    QList<quint64> ids;
    for (const auto &args : spy)
        ids.append(args.at(0).toULongLong());
    return ids;
}
} // namespace

void TestPassThroughPacer::neverAdmitsSynchronously()
{
    PassThroughPacer pacer(2);
    QSignalSpy admitted(&pacer, &Pacer::admitted);
    QVERIFY(!pacer.enqueue(ticket(1)).has_value());
    QCOMPARE(admitted.size(), 0);
    QVERIFY(admitted.wait(1000));
    QCOMPARE(admittedIds(admitted), QList<quint64> { 1 });
}

void TestPassThroughPacer::concurrencyCapAndRelease()
{
    PassThroughPacer pacer(2);
    QSignalSpy admitted(&pacer, &Pacer::admitted);
    for (quint64 id = 1; id <= 4; ++id)
        pacer.enqueue(ticket(id));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), 2, 1000);
    QCOMPARE(pacer.state().inFlight, 2);
    QCOMPARE(pacer.state().queued[int(Priority::Normal)], 2);
    PaceFeedback done;
    done.jobId = 1;
    done.sent = true;
    pacer.release(done);
    QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), 3, 1000);
    QCOMPARE(admittedIds(admitted), (QList<quint64> { 1, 2, 3 }));
}

void TestPassThroughPacer::priorityOrder_data()
{
    QTest::addColumn<QList<int>>("priorities");
    QTest::addColumn<QList<quint64>>("order");
    QTest::newRow("fifo") << QList<int> { 1, 1, 1 } << QList<quint64> { 1, 2, 3 };
    QTest::newRow("interactive first") << QList<int> { 2, 1, 0 } << QList<quint64> { 3, 2, 1 };
    QTest::newRow("stable within priority") << QList<int> { 1, 0, 1, 0 } << QList<quint64> { 2, 4, 1, 3 };
}

void TestPassThroughPacer::priorityOrder()
{
    QFETCH(QList<int>, priorities);
    QFETCH(QList<quint64>, order);
    PassThroughPacer pacer(1);
    QSignalSpy admitted(&pacer, &Pacer::admitted);
    for (int i = 0; i < priorities.size(); ++i)
        pacer.enqueue(ticket(quint64(i + 1), Priority(priorities[i])));
    for (int i = 0; i < order.size(); ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), i + 1, 1000);
        PaceFeedback done;
        done.jobId = admitted.last().at(0).toULongLong();
        pacer.release(done);
    }
    QCOMPARE(admittedIds(admitted), order);
}

void TestPassThroughPacer::notBeforeIsHonoured()
{
    PassThroughPacer pacer(4);
    QSignalSpy admitted(&pacer, &Pacer::admitted);
    PaceTicket later = ticket(1);
    const qint64 start = now();
    later.notBeforeMs = start + 80;
    pacer.enqueue(later);
    pacer.enqueue(ticket(2));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), 1, 1000);
    QCOMPARE(admitted.at(0).at(0).toULongLong(), quint64(2));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), 2, 2000);
    QVERIFY(now() - start >= 80);
}

void TestPassThroughPacer::retriesGoAheadOfFirstTries()
{
    // First tries 1..3, a retry after a 5xx (4), a 429's retry (5, paced like a first try), another
    // 5xx retry (6): the 5xx retries go first, in their order. The budget stays out of the way.
    PassThroughPacer pacer(1, RetryBudget(10.0, 1e6, 1000));
    QSignalSpy admitted(&pacer, &Pacer::admitted);
    for (quint64 id = 1; id <= 6; ++id) {
        PaceTicket t = ticket(id);
        t.isRetry = id >= 4;
        t.refusedBeforeWork = id == 5;
        pacer.enqueue(t);
    }
    for (int i = 0; i < 6; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), i + 1, 1000);
        PaceFeedback done;
        done.jobId = admitted.last().at(0).toULongLong();
        pacer.release(done);
    }
    QCOMPARE(admittedIds(admitted), (QList<quint64> { 4, 6, 1, 2, 3, 5 }));
}

void TestPassThroughPacer::retryWaitsForBudget()
{
    // Floor 20/s (one retry per 50 ms, two per 100 ms window), nothing proportional.
    PassThroughPacer pacer(100, RetryBudget(0.0, 20.0, 100));
    QSignalSpy admitted(&pacer, &Pacer::admitted);
    const qint64 start = now();
    for (quint64 id = 1; id <= 3; ++id) {
        PaceTicket t = ticket(id);
        t.isRetry = true;
        pacer.enqueue(t);
    }
    QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), 2, 1000);
    QCOMPARE(pacer.state().waitReason, QStringLiteral("retry budget"));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), 3, 2000);
    QVERIFY(now() - start >= 95); // the third had to wait for the first to leave the window
}

void TestPassThroughPacer::retryRejectedWhenBudgetMissesDeadline()
{
    PassThroughPacer pacer(100, RetryBudget(0.0, 10.0, 100)); // one retry per 100 ms
    QSignalSpy admitted(&pacer, &Pacer::admitted);
    QSignalSpy rejected(&pacer, &Pacer::rejected);
    PaceTicket first = ticket(1);
    first.isRetry = true;
    pacer.enqueue(first);
    PaceTicket second = ticket(2);
    second.isRetry = true;
    second.deadlineMs = now() + 30;
    pacer.enqueue(second);
    QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, 1000);
    QCOMPARE(rejected.at(0).at(0).toULongLong(), quint64(2));
    const auto error = rejected.at(0).at(1).value<Error>();
    QCOMPARE(error.errorClass, ErrorClass::RetryBudgetExhausted);
    QVERIFY(error.message.contains(QStringLiteral("retry budget exhausted")));
    QCOMPARE(admitted.size(), 1);
}

void TestPassThroughPacer::cancelRemovesTicket()
{
    PassThroughPacer pacer(1);
    QSignalSpy admitted(&pacer, &Pacer::admitted);
    pacer.enqueue(ticket(1));
    pacer.enqueue(ticket(2));
    pacer.cancel(2);
    QTRY_COMPARE_WITH_TIMEOUT(admitted.size(), 1, 1000);
    PaceFeedback done;
    done.jobId = 1;
    pacer.release(done);
    QVERIFY(!admitted.wait(100));
    QCOMPARE(pacer.state().queued[int(Priority::Normal)], 0);
    QCOMPARE(pacer.state().inFlight, 0);
}

QTEST_GUILESS_MAIN(TestPassThroughPacer)
#include "tst_passthroughpacer.moc"
