// The Scheduler and limits remembered from an earlier run: they pace like stated ones, a 429 of
// this run or quota headers override them, they expire, and they never refuse a request as too
// large (a tier may have been upgraded since).
#include "core/pacing/scheduler.h"

#include <QSignalSpy>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {

const QString Model = u"grok-4-0709"_s;
constexpr qint64 Hour = 3600 * 1000;

PaceTicket ticket(quint64 id, qint64 tokens = 200)
{
    PaceTicket t;
    t.jobId = id;
    t.model = Model;
    t.estimatedTokens = tokens;
    return t;
}

PaceFeedback answered(quint64 id, int status)
{
    PaceFeedback f;
    f.jobId = id;
    f.model = Model;
    f.sent = true;
    f.httpStatus = status;
    return f;
}

PacingConfig quiet()
{
    PacingConfig c;
    c.probeFirst = false;
    c.stateThrottleMs = 0;
    return c;
}

QList<StatedLimit> tpm(int limit)
{
    return parseStatedLimits(u"Tokens per Minute (actual/limit): %1/%1"_s.arg(limit));
}

} // namespace

class TestSchedulerRemembered final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pacesAndShowsItsAge();
    void a429OfThisRunOverrides();
    void quotaHeadersReplaceIt();
    void expiresWhileRunning();
};

void TestSchedulerRemembered::pacesAndShowsItsAge()
{
    qint64 now = 0;
    Scheduler s(quiet());
    s.setClock([&] { return now; });
    s.rememberStatedLimits(Model, tpm(6000), 2 * Hour, 4 * Hour);
    PacingState state = s.state();
    QCOMPARE(state.limitSource, LimitSource::StatedByServer);
    QCOMPARE(state.limitModel, Model);
    QCOMPARE(state.limitRememberedAgoMs, 2 * Hour);
    QCOMPARE(state.limitTokensPerMinute.value_or(0.0), 6000.0);
    // A request above the remembered limit is not refused: only a limit stated in this run does that.
    QVERIFY(!s.enqueue(ticket(1, 20000)));
    s.cancel(1);
    now += 10;
    QCOMPARE(s.state().limitRememberedAgoMs, 2 * Hour + 10);
}

void TestSchedulerRemembered::a429OfThisRunOverrides()
{
    qint64 now = 0;
    Scheduler s(quiet());
    s.setClock([&] { return now; });
    QSignalSpy admitted(&s, &Pacer::admitted);
    QSignalSpy stated(&s, &Scheduler::limitStated);
    s.rememberStatedLimits(Model, tpm(6000), Hour, Hour);
    s.enqueue(ticket(1));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 1, 1000);
    PaceFeedback refused = answered(1, 429);
    refused.errorClass = ErrorClass::RateLimited;
    refused.statedLimits = tpm(16000);
    s.release(refused);
    QCOMPARE(stated.count(), 1); // what the keeper writes back
    QCOMPARE(stated[0][0].toString(), Model);
    const PacingState state = s.state();
    QVERIFY(!state.limitRememberedAgoMs);
    QCOMPARE(state.limitTokensPerMinute.value_or(0.0), 16000.0);
    // Told in this run: a memory read later does not replace it, and the limit now refuses too large.
    s.rememberStatedLimits(Model, tpm(6000), 0, Hour);
    QCOMPARE(s.state().limitTokensPerMinute.value_or(0.0), 16000.0);
    QVERIFY(s.enqueue(ticket(2, 20000)));
}

void TestSchedulerRemembered::quotaHeadersReplaceIt()
{
    qint64 now = 0;
    Scheduler s(quiet());
    s.setClock([&] { return now; });
    QSignalSpy admitted(&s, &Pacer::admitted);
    s.rememberStatedLimits(Model, tpm(6000), Hour, Hour);
    s.enqueue(ticket(1));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 1, 1000);
    PaceFeedback withHeaders = answered(1, 200);
    withHeaders.quota.tokens.limit = 16000;
    withHeaders.quota.tokens.remaining = 15800;
    withHeaders.quota.tokens.resetInMs = 60000;
    s.release(withHeaders);
    const PacingState state = s.state();
    QVERIFY(!state.limitRememberedAgoMs);
    QVERIFY(state.limitSource != LimitSource::StatedByServer);
}

void TestSchedulerRemembered::expiresWhileRunning()
{
    qint64 now = 0;
    Scheduler s(quiet());
    s.setClock([&] { return now; });
    QSignalSpy admitted(&s, &Pacer::admitted);
    s.rememberStatedLimits(Model, tpm(6000), 5 * Hour, Hour);
    QCOMPARE(s.state().limitSource, LimitSource::StatedByServer);
    now += Hour; // six hours after the server stated it
    s.enqueue(ticket(1));
    QTRY_COMPARE_WITH_TIMEOUT(admitted.count(), 1, 1000);
    QCOMPARE(s.state().limitSource, LimitSource::None); // blind again: a tier upgrade can be found
    s.rememberStatedLimits(Model, tpm(6000), 0, 0); // nothing left to keep: ignored
    QCOMPARE(s.state().limitSource, LimitSource::None);
}

QTEST_GUILESS_MAIN(TestSchedulerRemembered)
#include "tst_scheduler_remembered.moc"
