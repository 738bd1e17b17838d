// The Scheduler and what 429s teach it: limits stated in bodies (per model), every 429 as a
// loss, a 429's retry paced outside the retry budget; a model's own gates hold only that model.
#include "core/pacing/scheduler.h"

#include <QSignalSpy>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {
PaceTicket ticket(quint64 id, const QString &model, qint64 tokens = 0)
{
    PaceTicket t;
    t.jobId = id;
    t.model = model;
    t.estimatedTokens = tokens;
    return t;
}

PaceFeedback refused(quint64 id, const QString &model, ErrorClass cls, const QString &body = {})
{
    PaceFeedback f;
    f.jobId = id;
    f.model = model;
    f.sent = true;
    f.httpStatus = 429;
    f.errorClass = cls;
    f.statedLimits = parseStatedLimits(body);
    return f;
}

PaceFeedback ok(quint64 id, const QString &model)
{
    PaceFeedback f;
    f.jobId = id;
    f.model = model;
    f.sent = true;
    f.httpStatus = 200;
    return f;
}

PacingConfig quiet()
{
    PacingConfig c;
    c.probeFirst = false;
    c.stateThrottleMs = 0;
    return c;
}
} // namespace

class TestSchedulerStated final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statedLimitPacesItsModelOnly();
    void startWindowHoldsItsModelOnly();
    void startWindowCountsOnlyYoungAttempts();
    void learnedLimitHoldsItsModelOnly();
    void statedTokenLimitRefusesTooLarge();
    void every429IsALoss_data();
    void every429IsALoss();
    void loneOverloadIsNotALoss();
    void refusedRetryBypassesBudget_data();
    void refusedRetryBypassesBudget();
};

void TestSchedulerStated::statedLimitPacesItsModelOnly()
{
    qint64 now = 0;
    Scheduler s(quiet());
    s.setClock([&] { return now; });
    QSignalSpy admitted(&s, &Pacer::admitted);
    s.enqueue(ticket(1, u"grok-4-0709"_s));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 1, 1000);
    s.release(refused(
        1, u"grok-4-0709"_s, ErrorClass::RateLimited,
        u"Too many requests for team t and model grok-4-0709. Your team's rate limit is \u2014 Requests "
        "per Second (actual/limit): 3/2, Requests per Minute (actual/limit): 3/120."_s));
    const PacingState state = s.state();
    QCOMPARE(state.limitSource, LimitSource::StatedByServer);
    QCOMPARE(state.limitModel, u"grok-4-0709"_s);
    QCOMPARE(*state.limitRequestsPerSecond, 2.0);
    QCOMPARE(describeLimit(state.limitSource, state.limitModel, state.limitRequestsPerSecond,
                           state.limitTokensPerMinute),
             u"2 requests/s for grok-4-0709 (stated by server)"_s);
    // The refused model waits for its stated rate; another model goes at once.
    s.enqueue(ticket(2, u"grok-4-0709"_s));
    s.enqueue(ticket(3, u"grok-3-mini"_s));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 2, 1000);
    QCOMPARE(admitted.at(1).at(0).value<quint64>(), quint64(3));
    QCOMPARE(s.state().waitReason, u"stated-rps"_s);
    s.release(ok(3, u"grok-3-mini"_s));
    s.enqueue(ticket(4, u"grok-3-mini"_s)); // behind ticket 2 in the queue, not held by its limit
    now += 300; // the other model's slow start (no quota headers) allows one more by now
    QTRY_VERIFY_WITH_TIMEOUT(admitted.count() >= 3, 1000);
    QCOMPARE(admitted.at(2).at(0).value<quint64>(), quint64(4));
    for (int i = 0; i < admitted.count(); ++i)
        QVERIFY(admitted.at(i).at(0).value<quint64>() != 2);
    now += 300; // ...until its stated rate allows it (1/(2 x 0.99) s after the 429)
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(admitted.cbegin(), admitted.cend(),
                    [](const QList<QVariant> &a) { return a.at(0).value<quint64>() == 2; }),
        2000);
}

void TestSchedulerStated::startWindowHoldsItsModelOnly()
{
    qint64 now = 0;
    PacingConfig c = quiet();
    c.adaptiveStartWindow = 2;
    c.adaptiveWindowPerSuccess = 0.0; // the window stays 2 whatever succeeds
    c.adaptiveWindowHorizonRtts = 0.0; // and counts every attempt in flight, however old
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy admitted(&s, &Pacer::admitted);
    const QString a = u"grok-4-0709"_s;
    const QString b = u"grok-3-mini"_s;
    s.enqueue(ticket(1, a));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 1, 1000);
    s.release(ok(1, a)); // no quota headers: learning starts, and with it the start windows
    now += 10000; // the slow start's rate is far above by now: only the window holds
    for (quint64 id = 2; id <= 5; ++id)
        s.enqueue(ticket(id, a));
    QTRY_VERIFY_WITH_TIMEOUT((now += 10, admitted.count() >= 3), 1000); // 2 and 3 fill a's window
    QTRY_COMPARE_WITH_TIMEOUT(s.state().waitReason, u"start-window"_s, 1000);
    QCOMPARE(admitted.count(), 3);
    // Behind a's held tickets 4 and 5, a ticket of b goes at once (the clock stands still): a's
    // window is a's alone.
    s.enqueue(ticket(6, b));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 4, 1000);
    QCOMPARE(admitted.at(3).at(0).value<quint64>(), quint64(6));
    QCOMPARE(s.state().queued[int(Priority::Normal)], 2);
    // a's held tickets keep their place: a release of a lets the first of them go, in order.
    s.release(ok(2, a));
    QTRY_VERIFY_WITH_TIMEOUT((now += 10, admitted.count() >= 5), 1000);
    QCOMPARE(admitted.count(), 5);
    QCOMPARE(admitted.at(4).at(0).value<quint64>(), quint64(4));
    QCOMPARE(s.state().queued[int(Priority::Normal)], 1);
}

void TestSchedulerStated::startWindowCountsOnlyYoungAttempts()
{
    qint64 now = 0;
    PacingConfig c = quiet();
    c.adaptiveStartWindow = 2;
    c.adaptiveWindowPerSuccess = 0.0;
    c.adaptiveWindowHorizonRtts = 1.0;
    c.adaptiveWindowPacing = 0.0; // the horizon alone
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy admitted(&s, &Pacer::admitted);
    const QString a = u"grok-4-0709"_s;
    s.enqueue(ticket(1, a));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 1, 1000);
    now = 400;
    s.release(ok(1, a)); // no quota headers: learning starts; a round trip of 400 ms
    now = 10000; // the slow start's rate is far above by now: only the window holds
    for (quint64 id = 2; id <= 9; ++id)
        s.enqueue(ticket(id, a));
    QTRY_VERIFY_WITH_TIMEOUT((now += 5, admitted.count() >= 3), 1000); // 2 and 3 fill the window
    const qint64 filledAt = now;
    QTRY_COMPARE_WITH_TIMEOUT(s.state().waitReason, u"start-window"_s, 1000);
    now = filledAt + 350; // younger than a round trip, unanswered: still probes
    QTest::qWait(30);
    QCOMPARE(admitted.count(), 3);
    // Unanswered for a round trip, nothing released: a limiter that refuses before any work would
    // have refused them by now, so they leave the window and two more go.
    now = filledAt + 420;
    QTRY_VERIFY_WITH_TIMEOUT((now += 5, admitted.count() >= 5), 1000);
    QTest::qWait(30);
    QCOMPARE(admitted.count(), 5);
    QCOMPARE(s.state().inFlight, 4);
    QCOMPARE(s.state().waitReason, u"start-window"_s);
}

void TestSchedulerStated::learnedLimitHoldsItsModelOnly()
{
    qint64 now = 0;
    PacingConfig c = quiet();
    c.adaptiveStartWindow = 0; // the learned limit alone
    Scheduler s(c);
    s.setClock([&] { return now; });
    QSignalSpy admitted(&s, &Pacer::admitted);
    const QString a = u"grok-4-0709"_s;
    const QString b = u"grok-3-mini"_s;
    s.enqueue(ticket(1, a));
    s.enqueue(ticket(2, a));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 2, 1000);
    s.release(ok(1, a));
    s.release(refused(2, a, ErrorClass::Capacity)); // a loss: a pauses, then paces by what it learned
    s.enqueue(ticket(3, a));
    s.enqueue(ticket(4, b)); // behind a's held ticket; b's limit is b's own
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 3, 1000);
    QCOMPARE(admitted.at(2).at(0).value<quint64>(), quint64(4));
    QCOMPARE(s.state().waitReason, u"hold-429"_s);
    now += 1000;
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 4, 1000);
    QCOMPARE(admitted.at(3).at(0).value<quint64>(), quint64(3));
}

void TestSchedulerStated::statedTokenLimitRefusesTooLarge()
{
    Scheduler s(quiet());
    QSignalSpy admitted(&s, &Pacer::admitted);
    QVERIFY(!s.enqueue(ticket(1, u"grok-4-0709"_s, 200)));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 1, 1000);
    s.release(refused(
        1, u"grok-4-0709"_s, ErrorClass::RateLimited,
        u"Too many tokens for team t and model grok-4-0709. Your team's rate limit is \u2014 Tokens per "
        "Minute (actual/limit): 16100/16000."_s));
    const auto error = s.enqueue(ticket(2, u"grok-4-0709"_s, 65605));
    QVERIFY(error);
    QCOMPARE(error->errorClass, ErrorClass::RequestTooLarge);
    QVERIFY(!s.enqueue(ticket(3, u"grok-4-0709"_s, 17000))); // within the estimate's margin
    QVERIFY(!s.enqueue(ticket(4, u"grok-3-mini"_s, 65605))); // another model's limit is unknown
}

void TestSchedulerStated::every429IsALoss_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<bool>("loss");
    QTest::newRow("429 rate") << 429 << ErrorClass::RateLimited << true;
    QTest::newRow("429 capacity") << 429 << ErrorClass::Capacity << true;
    QTest::newRow("429 credits") << 429 << ErrorClass::CreditsExhausted << false;
    QTest::newRow("503") << 503 << ErrorClass::ServerError << false;
}

void TestSchedulerStated::every429IsALoss()
{
    QFETCH(int, status);
    QFETCH(ErrorClass, cls);
    QFETCH(bool, loss);
    Scheduler s(quiet());
    QSignalSpy admitted(&s, &Pacer::admitted);
    QSignalSpy learned(&s, &Scheduler::limitLearned);
    for (quint64 id = 1; id <= 2; ++id)
        s.enqueue(ticket(id, u"grok-4"_s));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 2, 1000);
    s.release(ok(1, u"grok-4"_s));
    PaceFeedback f = refused(2, u"grok-4"_s, cls, u"The service is temporarily at capacity."_s);
    f.httpStatus = status;
    s.release(f);
    QCOMPARE(learned.count(), loss ? 1 : 0);
    QCOMPARE(s.state().learnedRps.has_value(), loss);
}

void TestSchedulerStated::loneOverloadIsNotALoss()
{
    Scheduler s(quiet());
    QSignalSpy admitted(&s, &Pacer::admitted);
    QSignalSpy learned(&s, &Scheduler::limitLearned);
    for (quint64 id = 1; id <= 40; ++id)
        s.enqueue(ticket(id, u"grok-4"_s));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 16, 1000);
    PaceFeedback overloaded = ok(1, u"grok-4"_s);
    overloaded.httpStatus = 529;
    overloaded.errorClass = ErrorClass::Capacity;
    for (quint64 id = 2; id <= 16; ++id)
        s.release(ok(id, u"grok-4"_s));
    s.release(overloaded); // one 529 among 16 answers: a fault, not an overload
    QCOMPARE(learned.count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(admitted.count() >= 19, 10000); // the slow start paces these
    for (int i = 16; i < 19; ++i) { // three 529s in a row: they recur
        overloaded.jobId = admitted.at(i).at(0).value<quint64>();
        s.release(overloaded);
    }
    QCOMPARE(learned.count(), 1);
}

void TestSchedulerStated::refusedRetryBypassesBudget_data()
{
    QTest::addColumn<bool>("refusedBeforeWork");
    QTest::addColumn<int>("retriesAdmittedAtOnce");
    // No floor and no first tries: the budget allows no retry at all...
    QTest::newRow("5xx retries wait for the budget") << false << 0;
    // ...but a 429's retry is the pacer's to pace.
    QTest::newRow("429 retries are paced, not budgeted") << true << 5;
}

void TestSchedulerStated::refusedRetryBypassesBudget()
{
    QFETCH(bool, refusedBeforeWork);
    QFETCH(int, retriesAdmittedAtOnce);
    PacingConfig config = quiet();
    config.retryBudgetRatio = 0.0;
    config.retryBudgetMinPerSecond = 0.0;
    Scheduler s(config);
    QSignalSpy admitted(&s, &Pacer::admitted);
    for (quint64 id = 1; id <= 5; ++id) {
        PaceTicket t = ticket(id, u"grok-4"_s);
        t.isRetry = true;
        t.refusedBeforeWork = refusedBeforeWork;
        QVERIFY(!s.enqueue(t));
    }
    if (retriesAdmittedAtOnce > 0)
        QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), retriesAdmittedAtOnce, 1000);
    else
        QVERIFY(!admitted.wait(200)); // bounded: nothing may come
}

QTEST_GUILESS_MAIN(TestSchedulerStated)
#include "tst_scheduler_stated.moc"
