#include "core/policy/retrybudget.h"

#include <QTest>

#include <cmath>
#include <deque>

using namespace gp;

class TestRetryBudget final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allowance_data();
    void allowance();
    void ratioFreesWhenOldRetriesLeave();
    void floorIsPacedEvenly_data();
    void floorIsPacedEvenly();
    void twentyPercentFailuresLoseNothing();
    void deadServerGetsOnlyTheTrickle();
};

void TestRetryBudget::allowance_data()
{
    QTest::addColumn<int>("firstAttempts");
    QTest::addColumn<int>("retries");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<bool>("canRetry");
    QTest::addColumn<qint64>("waitMs");
    // ratio 0.2, floor 1/s (one retry per 1000 ms); all attempts recorded at t = 100
    QTest::newRow("empty") << 0 << 0 << qint64(200) << true << qint64(0);
    QTest::newRow("floor: last retry 100 ms ago") << 5 << 1 << qint64(200) << false << qint64(900);
    QTest::newRow("floor: last retry 999 ms ago") << 5 << 1 << qint64(1099) << false << qint64(1);
    QTest::newRow("floor: last retry 1 s ago") << 5 << 1 << qint64(1100) << true << qint64(0);
    QTest::newRow("ratio allows") << 100 << 20 << qint64(200) << true << qint64(0); // 120 * 0.2 = 24
    QTest::newRow("ratio at limit, floor spacing not passed")
        << 100 << 24 << qint64(200) << false << qint64(900); // 124 * 0.2 = 24.8 < 25
    QTest::newRow("ratio over, floor spacing passed") << 100 << 30 << qint64(1100) << true << qint64(0);
}

void TestRetryBudget::allowance()
{
    QFETCH(int, firstAttempts);
    QFETCH(int, retries);
    QFETCH(qint64, nowMs);
    QFETCH(bool, canRetry);
    QFETCH(qint64, waitMs);
    RetryBudget budget(0.2, 1.0, 10000);
    for (int i = 0; i < firstAttempts; ++i)
        budget.recordAttempt(100, false);
    for (int i = 0; i < retries; ++i)
        budget.recordAttempt(100, true);
    QCOMPARE(budget.canRetry(nowMs), canRetry);
    QCOMPARE(budget.msUntilRetryAllowed(nowMs), waitMs);
}

void TestRetryBudget::ratioFreesWhenOldRetriesLeave()
{
    RetryBudget budget(0.4, 0.0, 10000); // proportional only
    budget.recordAttempt(1000, true);
    budget.recordAttempt(1100, true);
    for (int i = 0; i < 4; ++i)
        budget.recordAttempt(5000, false);
    QVERIFY(!budget.canRetry(6000)); // 3 retries > 0.4 * 6 attempts
    QCOMPARE(budget.msUntilRetryAllowed(6000), 5000); // the first retry leaves at 11000
    QVERIFY(!budget.canRetry(10999));
    QVERIFY(budget.canRetry(11000)); // 2 retries <= 0.4 * 5
    QCOMPARE(budget.retriesInWindow(11000), 1);
}

void TestRetryBudget::floorIsPacedEvenly_data()
{
    QTest::addColumn<double>("ratio");
    QTest::addColumn<double>("minPerSecond");
    QTest::addColumn<qint64>("windowMs");
    QTest::addColumn<qint64>("durationMs");
    QTest::newRow("defaults: 20%, 3/s, 10 s") << 0.2 << 3.0 << qint64(10000) << qint64(60000);
    QTest::newRow("1/s, 10 s") << 0.2 << 1.0 << qint64(10000) << qint64(60000);
    QTest::newRow("floor only, 10/s, 300 ms") << 0.0 << 10.0 << qint64(300) << qint64(10000);
    QTest::newRow("floor only, 0.5/s, 10 s") << 0.0 << 0.5 << qint64(10000) << qint64(120000);
    QTest::newRow("interval past the window, 0.05/s") << 0.0 << 0.05 << qint64(10000) << qint64(600000);
}

// A dead server: one new request a second, every attempt fails, and a retry is always
// waiting. The clock jumps by msUntilRetryAllowed(), as the pacers' timers do.
void TestRetryBudget::floorIsPacedEvenly()
{
    QFETCH(double, ratio);
    QFETCH(double, minPerSecond);
    QFETCH(qint64, windowMs);
    QFETCH(qint64, durationMs);
    RetryBudget budget(ratio, minPerSecond, windowMs);
    const double intervalMs = 1000.0 / minPerSecond;
    QList<qint64> retryTimes;
    qint64 nextFirst = 0;
    for (qint64 t = 0; t < durationMs;) {
        if (t == nextFirst) {
            budget.recordAttempt(t, false);
            nextFirst += 1000;
        }
        const qint64 wait = budget.msUntilRetryAllowed(t);
        QCOMPARE(wait == 0, budget.canRetry(t));
        if (wait == 0) {
            budget.recordAttempt(t, true);
            retryTimes.append(t);
            continue; // another retry is waiting: ask again at the same moment
        }
        QVERIFY2(wait <= qint64(std::ceil(intervalMs)), qPrintable(QString::number(wait)));
        t = std::min(t + wait, nextFirst);
    }
    const double expected = double(durationMs) / intervalMs;
    QVERIFY2(
        retryTimes.size() >= qint64(expected) && retryTimes.size() <= qint64(expected) + 1,
        qPrintable(QStringLiteral("%1 retries, expected about %2").arg(retryTimes.size()).arg(expected)));
    for (qsizetype i = 1; i < retryTimes.size(); ++i) {
        const qint64 gap = retryTimes[i] - retryTimes[i - 1];
        QVERIFY2(gap >= qint64(std::floor(intervalMs)) && gap <= qint64(std::ceil(intervalMs)),
                 qPrintable(QStringLiteral("retry %1 came %2 ms after the previous one").arg(i).arg(gap)));
    }
}

void TestRetryBudget::twentyPercentFailuresLoseNothing()
{
    // 100 requests/s for 30 s, one attempt in five fails. A retry the budget does not allow
    // yet waits (as in the pacers); none waits longer than the floor's spacing, none is lost.
    RetryBudget budget(0.2, 3.0, 10000);
    std::deque<qint64> waiting; // failure times of retries not yet sent
    int retries = 0;
    qint64 longestWait = 0;
    for (qint64 t = 0; t < 30000 || !waiting.empty(); t += 10) {
        if (t < 30000) {
            budget.recordAttempt(t, false);
            if ((t / 10) % 5 == 0) // this one failed
                waiting.push_back(t);
        }
        while (!waiting.empty() && budget.canRetry(t)) {
            longestWait = std::max(longestWait, t - waiting.front());
            waiting.pop_front();
            budget.recordAttempt(t, true);
            ++retries;
        }
    }
    QCOMPARE(retries, 600);
    QVERIFY2(longestWait <= 340, qPrintable(QString::number(longestWait)));
}

void TestRetryBudget::deadServerGetsOnlyTheTrickle()
{
    // Every attempt fails and is retried as soon as the budget allows.
    RetryBudget budget(0.2, 3.0, 10000);
    int retries = 0;
    for (qint64 t = 0; t < 60000; t += 5) {
        if (t % 1000 == 0)
            budget.recordAttempt(t, false); // 1 new request per second
        if (budget.canRetry(t)) {
            budget.recordAttempt(t, true);
            ++retries;
        }
    }
    // the floor's 3/s (spaced 335 ms on this 5 ms grid); the 20% never covers the retries
    QVERIFY2(retries <= 60 * 3 + 1, qPrintable(QString::number(retries)));
    QVERIFY2(retries >= 60 * 3 - 2, qPrintable(QString::number(retries)));
}

QTEST_GUILESS_MAIN(TestRetryBudget)
#include "tst_retrybudget.moc"
