#include "core/pacing/tokenbucket.h"

#include <QTest>

using gp::TokenBucket;

class TestTokenBucket final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void waits_data();
    void waits();
    void unlimitedNeverWaits();
    void settlementDebtDelaysAdmission();
    void refundIsCappedAtCapacity();
    void clockSteppingBackDoesNotRefill();
    void reconfigureKeepsLevel();
};

void TestTokenBucket::waits_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("capacity");
    QTest::addColumn<int>("taken");
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<double>("amount");
    QTest::addColumn<double>("keep");
    QTest::addColumn<qint64>("expectedWait");

    QTest::newRow("full bucket admits") << 10.0 << 5.0 << 0 << qint64(0) << 1.0 << 0.0 << qint64(0);
    QTest::newRow("burst of five") << 10.0 << 5.0 << 4 << qint64(0) << 1.0 << 0.0 << qint64(0);
    QTest::newRow("sixth waits one interval") << 10.0 << 5.0 << 5 << qint64(0) << 1.0 << 0.0 << qint64(100);
    QTest::newRow("partly refilled") << 10.0 << 5.0 << 5 << qint64(40) << 1.0 << 0.0 << qint64(60);
    QTest::newRow("refilled") << 10.0 << 5.0 << 5 << qint64(100) << 1.0 << 0.0 << qint64(0);
    QTest::newRow("reserve kept back") << 10.0 << 5.0 << 3 << qint64(0) << 1.0 << 1.0 << qint64(0);
    QTest::newRow("reserve blocks") << 10.0 << 5.0 << 4 << qint64(0) << 1.0 << 1.0 << qint64(100);
    QTest::newRow("tokens per minute")
        << 100.0 << 6000.0 << 6000 << qint64(0) << 500.0 << 0.0 << qint64(5000);
    QTest::newRow("over capacity never") << 10.0 << 5.0 << 0 << qint64(0) << 6.0 << 0.0 << qint64(-1);
    QTest::newRow("no refill never") << 0.0 << 5.0 << 5 << qint64(1000) << 1.0 << 0.0 << qint64(-1);
}

void TestTokenBucket::waits()
{
    QFETCH(double, rate);
    QFETCH(double, capacity);
    QFETCH(int, taken);
    QFETCH(qint64, elapsedMs);
    QFETCH(double, amount);
    QFETCH(double, keep);
    QFETCH(qint64, expectedWait);
    TokenBucket bucket(rate, capacity, 1000);
    bucket.take(1000, double(taken));
    QCOMPARE(bucket.msUntil(1000 + elapsedMs, amount, keep), expectedWait);
}

void TestTokenBucket::unlimitedNeverWaits()
{
    TokenBucket bucket;
    bucket.take(0, 1e9);
    QVERIFY(!bucket.isLimited());
    QCOMPARE(bucket.msUntil(0, 1e9), qint64(0));
}

void TestTokenBucket::settlementDebtDelaysAdmission()
{
    TokenBucket bucket(100.0, 1000.0, 0); // 6000 per minute
    bucket.take(0, 1000.0);
    bucket.take(0, 500.0); // charged more than reserved
    QCOMPARE(bucket.level(0), -500.0);
    QCOMPARE(bucket.msUntil(0, 100.0), qint64(6000));
}

void TestTokenBucket::refundIsCappedAtCapacity()
{
    TokenBucket bucket(10.0, 5.0, 0);
    bucket.take(0, 2.0);
    bucket.give(0, 10.0);
    QCOMPARE(bucket.level(0), 5.0);
}

void TestTokenBucket::clockSteppingBackDoesNotRefill()
{
    TokenBucket bucket(10.0, 5.0, 1000);
    bucket.take(1000, 5.0);
    bucket.take(500, 0.0);
    QCOMPARE(bucket.level(1000), 0.0);
    QCOMPARE(bucket.msUntil(900, 1.0), qint64(100));
}

void TestTokenBucket::reconfigureKeepsLevel()
{
    TokenBucket bucket(10.0, 5.0, 0);
    bucket.take(0, 3.0);
    bucket.configure(20.0, 10.0, 0);
    QCOMPARE(bucket.level(0), 2.0);
    QCOMPARE(bucket.msUntil(0, 3.0), qint64(50));
    bucket.configure(20.0, 1.0, 0);
    QCOMPARE(bucket.level(0), 1.0);
}

QTEST_APPLESS_MAIN(TestTokenBucket)
#include "tst_tokenbucket.moc"
