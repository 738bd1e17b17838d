#include "core/pacing/priorityqueue.h"

#include <QTest>

using gp::PaceTicket;
using gp::Priority;
using gp::PriorityQueue;

namespace {
PaceTicket ticket(quint64 id, Priority priority, qint64 enqueuedMs, qint64 notBeforeMs = 0,
                  qint64 deadlineMs = 0)
{
    PaceTicket t;
    t.jobId = id;
    t.priority = priority;
    t.enqueuedMs = enqueuedMs;
    t.notBeforeMs = notBeforeMs;
    t.deadlineMs = deadlineMs;
    return t;
}

QList<quint64> drain(PriorityQueue &queue, qint64 nowMs)
{
    QList<quint64> order;
    while (const auto head = queue.peek(nowMs)) {
        order.append(head->jobId);
        queue.take(head->jobId);
    }
    return order;
}
} // namespace

class TestPriorityQueue final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void order_data();
    void order();
    void boundedNeverDrops();
    void notBeforeWaitsAside();
    void skippedKeepTheirPlace();
    void retriesGoAheadOfFirstTries();
    void deadlines();
    void takeAnywhere();
};

void TestPriorityQueue::order_data()
{
    QTest::addColumn<QList<int>>("priorities"); // ids 1..n
    QTest::addColumn<QList<qint64>>("enqueuedMs");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<QList<quint64>>("expected");

    QTest::newRow("levels first") << QList<int> { 2, 1, 0 } << QList<qint64> { 0, 1, 2 } << qint64(10)
                                  << QList<quint64> { 3, 2, 1 };
    QTest::newRow("fifo within a level")
        << QList<int> { 1, 1, 1 } << QList<qint64> { 0, 1, 2 } << qint64(10) << QList<quint64> { 1, 2, 3 };
    QTest::newRow("mixed") << QList<int> { 2, 0, 1, 0, 2 } << QList<qint64> { 0, 1, 2, 3, 4 } << qint64(10)
                           << QList<quint64> { 2, 4, 3, 1, 5 };
    // 10 s of waiting lifts a ticket one level; a tie keeps the higher priority.
    QTest::newRow("aged tie keeps priority")
        << QList<int> { 2, 1 } << QList<qint64> { 0, 9000 } << qint64(10000) << QList<quint64> { 2, 1 };
    QTest::newRow("aged past younger normal")
        << QList<int> { 2, 1 } << QList<qint64> { 0, 15000 } << qint64(20000) << QList<quint64> { 1, 2 };
    QTest::newRow("aged past interactive")
        << QList<int> { 2, 0 } << QList<qint64> { 0, 29000 } << qint64(30000) << QList<quint64> { 1, 2 };
}

void TestPriorityQueue::order()
{
    QFETCH(QList<int>, priorities);
    QFETCH(QList<qint64>, enqueuedMs);
    QFETCH(qint64, nowMs);
    QFETCH(QList<quint64>, expected);
    PriorityQueue queue(100, 10000);
    for (int i = 0; i < priorities.size(); ++i)
        QVERIFY(queue.push(ticket(quint64(i + 1), Priority(priorities[i]), enqueuedMs[i])));
    QCOMPARE(drain(queue, nowMs), expected);
}

void TestPriorityQueue::boundedNeverDrops()
{
    PriorityQueue queue(2);
    QVERIFY(queue.push(ticket(1, Priority::Normal, 0)));
    QVERIFY(queue.push(ticket(2, Priority::Background, 0, 500)));
    QVERIFY(queue.isFull());
    QVERIFY(!queue.push(ticket(3, Priority::Interactive, 0)));
    QCOMPARE(queue.size(), 2);
    QCOMPARE(queue.size(Priority::Background), 1);
}

void TestPriorityQueue::notBeforeWaitsAside()
{
    PriorityQueue queue;
    queue.push(ticket(1, Priority::Interactive, 0, 1000));
    queue.push(ticket(2, Priority::Background, 0));
    QCOMPARE(queue.peek(500)->jobId, quint64(2)); // a delayed retry does not block the queue
    QCOMPARE(queue.nextDueMs(), qint64(1000));
    QCOMPARE(queue.peek(1000)->jobId, quint64(1));
    QVERIFY(!queue.nextDueMs());
}

void TestPriorityQueue::skippedKeepTheirPlace()
{
    PriorityQueue queue;
    PaceTicket a1 = ticket(1, Priority::Normal, 0);
    a1.model = QStringLiteral("a");
    PaceTicket a2 = ticket(2, Priority::Normal, 1);
    a2.model = QStringLiteral("a");
    PaceTicket b = ticket(3, Priority::Normal, 2);
    b.model = QStringLiteral("b");
    PaceTicket aLow = ticket(4, Priority::Background, 0);
    aLow.model = QStringLiteral("a");
    for (const PaceTicket &t : { a1, a2, b, aLow })
        queue.push(t);
    const auto skipA = [](const PaceTicket &t) { return t.model == QStringLiteral("a"); };
    QCOMPARE(queue.peek(10, skipA)->jobId, quint64(3)); // past a's two, in the same level
    QCOMPARE(queue.take(3)->jobId, quint64(3));
    QVERIFY(!queue.peek(10, skipA)); // only a's left, in both levels
    QCOMPARE(queue.peek(10)->jobId, quint64(1)); // a's first is still first
}

void TestPriorityQueue::deadlines()
{
    PriorityQueue queue;
    queue.push(ticket(1, Priority::Normal, 0, 0, 900));
    queue.push(ticket(2, Priority::Normal, 0, 2000, 500));
    queue.push(ticket(3, Priority::Normal, 0));
    QCOMPARE(queue.earliestDeadlineMs(), qint64(500));
    QCOMPARE(queue.deadlinesBefore(600), QList<quint64> { 2 });
    QCOMPARE(queue.deadlinesBefore(1000).size(), 2);
}

void TestPriorityQueue::takeAnywhere()
{
    PriorityQueue queue;
    queue.push(ticket(1, Priority::Normal, 0));
    queue.push(ticket(2, Priority::Normal, 0, 100));
    QVERIFY(queue.contains(2));
    QCOMPARE(queue.take(2)->jobId, quint64(2));
    QVERIFY(!queue.take(2));
    QVERIFY(!queue.contains(2));
    QCOMPARE(queue.size(), 1);
}

void TestPriorityQueue::retriesGoAheadOfFirstTries()
{
    // First tries 1..3 wait; 4 and 5 are retries after a 5xx (their backoff ends at 100 and 50),
    // 6 a retry after a 429 (paced like a first try), 7 a retry with no backoff, 8 a background retry.
    PriorityQueue queue(100, 10000);
    for (quint64 id = 1; id <= 3; ++id)
        QVERIFY(queue.push(ticket(id, Priority::Normal, 0)));
    const auto retry
        = [](quint64 id, qint64 notBeforeMs, bool refusedBeforeWork, Priority p = Priority::Normal) {
              PaceTicket t = ticket(id, p, 10, notBeforeMs);
              t.isRetry = true;
              t.refusedBeforeWork = refusedBeforeWork;
              return t;
          };
    QVERIFY(queue.push(retry(4, 100, false)));
    QVERIFY(queue.push(retry(5, 50, false)));
    QVERIFY(queue.push(retry(6, 60, true)));
    QCOMPARE(queue.peek(20)->jobId, quint64(1)); // not due yet: the first tries go
    QVERIFY(queue.push(retry(7, 0, false)));
    QVERIFY(queue.push(retry(8, 0, false, Priority::Background)));
    QCOMPARE(queue.peek(20)->jobId, quint64(7));
    // Due retries in the order they became due, then the first tries, then the 429's retry;
    // priority levels still come first.
    QCOMPARE(drain(queue, 200), (QList<quint64> { 7, 5, 4, 1, 2, 3, 6, 8 }));
}

QTEST_APPLESS_MAIN(TestPriorityQueue)
#include "tst_priorityqueue.moc"
