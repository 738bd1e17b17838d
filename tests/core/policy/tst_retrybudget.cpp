#include "core/policy/retrybudget.h"

#include <QTest>

using namespace gp;

class TestRetryBudget final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allowance_data();
    void allowance();
    void waitsForOldRetriesToLeave();
    void twentyPercentFailuresLoseNothing();
    void deadServerGetsOnlyTheTrickle();
};

void TestRetryBudget::allowance_data()
{
    QTest::addColumn<int>("firstAttempts");
    QTest::addColumn<int>("retries");
    QTest::addColumn<bool>("canRetry");
    // ratio 0.2, min 1/s over a 10 s window => floor of 10 retries
    QTest::newRow("empty") << 0 << 0 << true;
    QTest::newRow("floor not reached") << 5 << 9 << true;
    QTest::newRow("floor reached") << 5 << 10 << false;
    QTest::newRow("ratio allows") << 100 << 20 << true; // 120 attempts * 0.2 = 24
    QTest::newRow("ratio at limit") << 100 << 24 << false; // 124 * 0.2 = 24.8 < 25
    QTest::newRow("ratio over") << 100 << 30 << false;
}

void TestRetryBudget::allowance()
{
    QFETCH(int, firstAttempts);
    QFETCH(int, retries);
    QFETCH(bool, canRetry);
    RetryBudget budget(0.2, 1.0, 10000);
    for (int i = 0; i < firstAttempts; ++i)
        budget.recordAttempt(100, false);
    for (int i = 0; i < retries; ++i)
        budget.recordAttempt(100, true);
    QCOMPARE(budget.canRetry(200), canRetry);
    QCOMPARE(budget.msUntilRetryAllowed(200) == 0, canRetry);
}

void TestRetryBudget::waitsForOldRetriesToLeave()
{
    RetryBudget budget(0.0, 0.5, 10000); // 5 retries per window, nothing proportional
    for (int i = 0; i < 5; ++i)
        budget.recordAttempt(1000 + i * 100, true);
    QVERIFY(!budget.canRetry(2000));
    QCOMPARE(budget.msUntilRetryAllowed(2000), 9000); // the first retry leaves at 11000
    QVERIFY(!budget.canRetry(10999));
    QVERIFY(budget.canRetry(11000));
    QCOMPARE(budget.retriesInWindow(11000), 4);
}

void TestRetryBudget::twentyPercentFailuresLoseNothing()
{
    // 100 requests/s for 30 s, one attempt in five fails: all retries fit the budget.
    RetryBudget budget(0.2, 3.0, 10000);
    int denied = 0;
    int retries = 0;
    for (qint64 t = 0; t < 30000; t += 10) {
        budget.recordAttempt(t, false);
        if ((t / 10) % 5 == 0) { // this one failed
            if (budget.canRetry(t)) {
                budget.recordAttempt(t, true);
                ++retries;
            } else {
                ++denied;
            }
        }
    }
    QCOMPARE(denied, 0);
    QCOMPARE(retries, 600);
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
    // floor 3/s plus 20% of the few first attempts
    QVERIFY2(retries <= 60 * 3 * 1.3 + 30, qPrintable(QString::number(retries)));
    QVERIFY(retries >= 60 * 3);
}

QTEST_GUILESS_MAIN(TestRetryBudget)
#include "tst_retrybudget.moc"
