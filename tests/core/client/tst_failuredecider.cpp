// FailureDecider's backoff after an endpoint failure: capped while the endpoint answers most
// attempts (the breaker says so), the configured growth otherwise; 429s never capped.
#include "core/client/failuredecider.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {

// An attempt answered with `status`: a quota 429 in xAI's words, else a plain server error body.
AttemptResult failedWith(int status)
{
    AttemptResult result;
    result.httpStatus = status;
    result.body = status == 429
        ? QByteArrayLiteral("{\"code\":\"resource-exhausted\",\"error\":\"Too many requests for team t "
                            "and model grok-4. Your team's rate limit is \xe2\x80\x94 Requests per "
                            "Second (actual/limit): 6/5.\"}")
        : QByteArrayLiteral("{\"code\":\"unavailable\",\"error\":\"try again\"}");
    return result;
}

} // namespace

class TestFailureDecider final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void healthyEndpointCapsTheBackoff_data();
    void healthyEndpointCapsTheBackoff();
    void chanceFailuresStretchTheAttempts_data();
    void chanceFailuresStretchTheAttempts();
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
    QTest::newRow("529 overloaded, endpoint mostly answering")
        << 529 << qint64(1000) << qint64(1000) << qint64(1000);
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
    const AttemptResult result = failedWith(status);
    const Judgement judgement = AttemptJudge::judge(result, 0);
    QCOMPARE(judgement.classification.errorClass == ErrorClass::RateLimited, status == 429);
    FailureContext context;
    context.attempts = 4;
    context.maxAttempts = 6;
    context.healthyBackoffCapMs = capMs;
    const FailureVerdict verdict = FailureDecider::decide(result, judgement, context, backoff);
    QCOMPARE(verdict.action, FailureVerdict::Action::Retry);
    QVERIFY2(verdict.delayMs <= atMostMs && verdict.delayMs >= atLeastMs,
             qPrintable(QString::number(verdict.delayMs)));
}

void TestFailureDecider::chanceFailuresStretchTheAttempts_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("attempts"); // made so far, the failed one included
    QTest::addColumn<int>("whileAnswering");
    QTest::addColumn<bool>("retries");
    QTest::newRow("503, 5 of 5, no stretch: fails") << 503 << 5 << 0 << false;
    QTest::newRow("503, 5 of 5, the endpoint answers (8): retries") << 503 << 5 << 8 << true;
    QTest::newRow("502, 7 of a stretch to 8: retries") << 502 << 7 << 8 << true;
    QTest::newRow("503, 8, stretch 8: fails") << 503 << 8 << 8 << false;
    QTest::newRow("529 overloaded, 5 of a stretch to 8: retries") << 529 << 5 << 8 << true;
    QTest::newRow("a quota 429 is pacing's: 5 of 5 fails") << 429 << 5 << 8 << false;
    QTest::newRow("a stretch below the limit changes nothing") << 503 << 4 << 3 << true;
}

// An endpoint failure while the endpoint mostly answers ends the job only after the run the
// breaker's window makes rare; a quota 429 (pacing's business) is not stretched.
void TestFailureDecider::chanceFailuresStretchTheAttempts()
{
    QFETCH(int, status);
    QFETCH(int, attempts);
    QFETCH(int, whileAnswering);
    QFETCH(bool, retries);
    Backoff backoff(JitterKind::Full, 500, 30000, 2.0, [] { return 0.5; });
    const AttemptResult result = failedWith(status);
    const Judgement judgement = AttemptJudge::judge(result, 0);
    QCOMPARE(judgement.classification.errorClass == ErrorClass::RateLimited, status == 429);
    FailureContext context;
    context.attempts = attempts;
    context.maxAttempts = 5;
    context.attemptsWhileAnswering = whileAnswering;
    const FailureVerdict verdict = FailureDecider::decide(result, judgement, context, backoff);
    QCOMPARE(verdict.action, retries ? FailureVerdict::Action::Retry : FailureVerdict::Action::Fail);
    if (!retries)
        QVERIFY2(verdict.error.message.contains(u"gave up after "_s + QString::number(attempts)),
                 qPrintable(verdict.error.message));
}

QTEST_GUILESS_MAIN(TestFailureDecider)
#include "tst_failuredecider.moc"
