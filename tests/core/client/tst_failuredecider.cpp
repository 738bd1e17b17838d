// FailureDecider's backoff after an endpoint failure: capped while the endpoint answers most
// attempts (the breaker says so), the configured growth otherwise; 429s never capped.
#include "core/client/failuredecider.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestFailureDecider final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void healthyEndpointCapsTheBackoff_data();
    void healthyEndpointCapsTheBackoff();
};

void TestFailureDecider::healthyEndpointCapsTheBackoff_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("capMs");
    QTest::addColumn<qint64>("atMostMs");
    QTest::addColumn<qint64>("atLeastMs");
    // Full jitter with uniform01 = 0.999: the 4th retry draws ~4000 ms (500 × 2^3).
    QTest::newRow("503, no cap: the growth") << 503 << qint64(0) << qint64(4000) << qint64(3990);
    QTest::newRow("503, endpoint mostly answering") << 503 << qint64(1000) << qint64(1000) << qint64(1000);
    QTest::newRow("500, endpoint mostly answering") << 500 << qint64(1000) << qint64(1000) << qint64(1000);
    QTest::newRow("429 is pacing, not a fault: not capped")
        << 429 << qint64(1000) << qint64(4000) << qint64(3990);
}

void TestFailureDecider::healthyEndpointCapsTheBackoff()
{
    QFETCH(int, status);
    QFETCH(qint64, capMs);
    QFETCH(qint64, atMostMs);
    QFETCH(qint64, atLeastMs);
    Backoff backoff(JitterKind::Full, 500, 30000, 2.0, [] { return 0.999; });
    for (int i = 0; i < 3; ++i)
        backoff.nextBackOffMs(); // three retries before this one
    AttemptResult result;
    result.httpStatus = status;
    result.body = R"({"code":"unavailable","error":"try again"})"_ba;
    const Judgement judgement = AttemptJudge::judge(result, 0);
    FailureContext context;
    context.attempts = 4;
    context.maxAttempts = 6;
    context.healthyBackoffCapMs = capMs;
    const FailureVerdict verdict = FailureDecider::decide(result, judgement, context, backoff);
    QCOMPARE(verdict.action, FailureVerdict::Action::Retry);
    QVERIFY2(verdict.delayMs <= atMostMs && verdict.delayMs >= atLeastMs,
             qPrintable(QString::number(verdict.delayMs)));
}

QTEST_GUILESS_MAIN(TestFailureDecider)
#include "tst_failuredecider.moc"
