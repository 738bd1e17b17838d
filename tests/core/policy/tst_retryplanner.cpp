#include "core/policy/retryplanner.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestRetryPlanner final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plan_data();
    void plan();
    void messagesSayTheWait();
    void formatDuration_data();
    void formatDuration();
};

namespace {
QuotaSnapshot exhausted(qint64 requestResetMs, qint64 tokenResetMs, bool tokensExhausted)
{
    QuotaSnapshot q;
    q.requests.remaining = 0;
    q.requests.resetInMs = requestResetMs;
    q.tokens.remaining = tokensExhausted ? 0 : 500;
    q.tokens.resetInMs = tokenResetMs;
    return q;
}
} // namespace

void TestRetryPlanner::plan_data()
{
    QTest::addColumn<bool>("retriable");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<RetryHint>("hint");
    QTest::addColumn<QuotaSnapshot>("quota");
    QTest::addColumn<qint64>("deadline"); // relative to now = 1000, 0 none
    QTest::addColumn<bool>("retry");
    QTest::addColumn<qint64>("delay");
    QTest::addColumn<RetryHintSource>("source");
    QTest::addColumn<ErrorClass>("failClass");

    const RetryHint noHint;
    const QuotaSnapshot noQuota;
    const RetryHint ms { 1500, RetryHintSource::RetryAfterMs };
    const RetryHint secs { 3000, RetryHintSource::RetryAfter };
    // backoff is always 250 in this table
    QTest::newRow("backoff") << true << 1 << noHint << noQuota << qint64(0) << true << qint64(250)
                             << RetryHintSource::None << ErrorClass::None;
    QTest::newRow("retry-after-ms wins") << true << 1 << ms << exhausted(9000, 0, false) << qint64(0) << true
                                         << qint64(1500) << RetryHintSource::RetryAfterMs << ErrorClass::None;
    QTest::newRow("Retry-After wins over reset")
        << true << 1 << secs << exhausted(9000, 0, false) << qint64(0) << true << qint64(3000)
        << RetryHintSource::RetryAfter << ErrorClass::None;
    QTest::newRow("reset of exhausted requests")
        << true << 1 << noHint << exhausted(4000, 60000, false) << qint64(0) << true << qint64(4000)
        << RetryHintSource::RateLimitReset << ErrorClass::None;
    QTest::newRow("both exhausted: later reset")
        << true << 1 << noHint << exhausted(4000, 7000, true) << qint64(0) << true << qint64(7000)
        << RetryHintSource::RateLimitReset << ErrorClass::None;
    QuotaSnapshot notExhausted;
    notExhausted.requests.remaining = 3;
    notExhausted.requests.resetInMs = 5000;
    QTest::newRow("quota left: backoff") << true << 1 << noHint << notExhausted << qint64(0) << true
                                         << qint64(250) << RetryHintSource::None << ErrorClass::None;
    QTest::newRow("hint zero") << true << 1 << RetryHint { 0, RetryHintSource::RetryAfter } << noQuota
                               << qint64(0) << true << qint64(0) << RetryHintSource::RetryAfter
                               << ErrorClass::None;
    QTest::newRow("hint over ceiling")
        << true << 1 << RetryHint { 200000, RetryHintSource::RetryAfter } << noQuota << qint64(0) << false
        << qint64(0) << RetryHintSource::None << ErrorClass::RetryHintTooLong;
    QTest::newRow("hint at ceiling") << true << 1 << RetryHint { 120000, RetryHintSource::RetryAfter }
                                     << noQuota << qint64(0) << true << qint64(120000)
                                     << RetryHintSource::RetryAfter << ErrorClass::None;
    QTest::newRow("hint past deadline") << true << 1 << secs << noQuota << qint64(2000) << false << qint64(0)
                                        << RetryHintSource::None << ErrorClass::DeadlineExceeded;
    QTest::newRow("hint fits deadline") << true << 1 << ms << noQuota << qint64(2000) << true << qint64(1500)
                                        << RetryHintSource::RetryAfterMs << ErrorClass::None;
    QTest::newRow("backoff past deadline")
        << true << 1 << noHint << noQuota << qint64(100) << false << qint64(0) << RetryHintSource::None
        << ErrorClass::DeadlineExceeded;
    QTest::newRow("not retriable") << false << 1 << ms << noQuota << qint64(0) << false << qint64(0)
                                   << RetryHintSource::None << ErrorClass::None;
    QTest::newRow("attempts used up") << true << 5 << noHint << noQuota << qint64(0) << false << qint64(0)
                                      << RetryHintSource::None << ErrorClass::None;
    QTest::newRow("ceiling checked before deadline")
        << true << 1 << RetryHint { 500000, RetryHintSource::RetryAfterMs } << noQuota << qint64(1000)
        << false << qint64(0) << RetryHintSource::None << ErrorClass::RetryHintTooLong;
}

void TestRetryPlanner::plan()
{
    QFETCH(bool, retriable);
    QFETCH(int, attempt);
    QFETCH(RetryHint, hint);
    QFETCH(QuotaSnapshot, quota);
    QFETCH(qint64, deadline);
    QFETCH(bool, retry);
    QFETCH(qint64, delay);
    QFETCH(RetryHintSource, source);
    QFETCH(ErrorClass, failClass);

    RetryPlanInput in;
    in.errorClass = ErrorClass::RateLimited;
    in.retriable = retriable;
    in.attempt = attempt;
    in.maxAttempts = 5;
    in.hint = hint;
    in.quota = quota;
    in.backoffMs = 250;
    in.nowMs = 1000;
    in.deadlineMs = deadline > 0 ? 1000 + deadline : 0;
    in.hintCeilingMs = 120000;
    const RetryPlan plan = RetryPlanner::planRetry(in);
    QCOMPARE(plan.retry, retry);
    QCOMPARE(plan.failClass, failClass);
    QVERIFY(!plan.message.isEmpty());
    if (retry) {
        QCOMPARE(plan.delayMs, delay);
        QCOMPARE(plan.source, source);
    }
}

void TestRetryPlanner::messagesSayTheWait()
{
    RetryPlanInput in;
    in.retriable = true;
    in.hint = RetryHint { 300000, RetryHintSource::RetryAfter };
    RetryPlan plan = RetryPlanner::planRetry(in);
    QVERIFY2(plan.message.contains(u"5 min"), qPrintable(plan.message));
    QVERIFY2(plan.message.contains(u"Retry-After"), qPrintable(plan.message));

    in.hint = RetryHint { 30000, RetryHintSource::RetryAfterMs };
    in.nowMs = 0;
    in.deadlineMs = 10000;
    plan = RetryPlanner::planRetry(in);
    QCOMPARE(plan.failClass, ErrorClass::DeadlineExceeded);
    QVERIFY2(plan.message.contains(u"30 s"), qPrintable(plan.message));
    QVERIFY2(plan.message.contains(u"10 s"), qPrintable(plan.message));
}

void TestRetryPlanner::formatDuration_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("ms") << qint64(250) << u"250 ms"_s;
    QTest::newRow("s") << qint64(1500) << u"1.5 s"_s;
    QTest::newRow("min") << qint64(125000) << u"2 min 5 s"_s;
    QTest::newRow("whole min") << qint64(120000) << u"2 min"_s;
}

void TestRetryPlanner::formatDuration()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(RetryPlanner::formatDuration(ms), text);
}

QTEST_GUILESS_MAIN(TestRetryPlanner)
#include "tst_retryplanner.moc"
