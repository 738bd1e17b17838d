#include "core/telemetry/alertmonitor.h"
#include "core/telemetry/metricshub.h"

#include <QTest>

using namespace gp;

namespace {

constexpr qint64 T0 = 1'790'000'000'000;

struct Fixture
{
    MetricsHub hub;
    AlertMonitor monitor { hub };
    QList<Event> alerts;

    // Each second in [fromS, toS): `attempts` attempts, the first `failed` of them with errorClass;
    // evaluate() at the end of every second.
    void traffic(int fromS, int toS, int attempts, int failed,
                 ErrorClass errorClass = ErrorClass::ServerError, qint64 latencyMs = -1)
    {
        for (int s = fromS; s < toS; ++s) {
            for (int i = 0; i < attempts; ++i) {
                Event e;
                e.timeMs = T0 + s * 1000LL + i;
                e.kind = EventKind::AttemptFinished;
                e.errorClass = i < failed ? errorClass : ErrorClass::None;
                hub.record(e);
                if (latencyMs >= 0) {
                    e.kind = EventKind::Succeeded;
                    e.durationMs = latencyMs;
                    hub.record(e);
                }
            }
            alerts += monitor.evaluate(T0 + s * 1000LL + 999);
        }
    }
    void event(EventKind kind, int s, const QuotaSnapshot &quota = {})
    {
        Event e;
        e.timeMs = T0 + s * 1000LL;
        e.kind = kind;
        e.quota = quota;
        hub.record(e);
        alerts += monitor.evaluate(e.timeMs);
    }
    int count(EventKind kind, const QString &id) const
    {
        int n = 0;
        for (const Event &e : alerts)
            n += e.kind == kind && e.alertId == id;
        return n;
    }
};

QuotaSnapshot quota(qint64 requestsLeft, qint64 requestLimit, qint64 tokensLeft, qint64 tokenLimit,
                    qint64 resetInMs = 60'000)
{
    QuotaSnapshot q;
    q.requests.remaining = requestsLeft;
    q.requests.limit = requestLimit;
    q.tokens.remaining = tokensLeft;
    q.tokens.limit = tokenLimit;
    q.tokens.resetInMs = resetInMs;
    return q;
}

// The spike rule alone: the failure-rate rule would otherwise speak first and the spike stay quiet.
AlertConfig spikeOnly()
{
    AlertConfig c;
    c.failureRateEnabled = false;
    return c;
}

} // namespace

class TestAlertMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorSpikeRaisesOnceAndClearsOnce();
    void errorSpikeNeedsSampleSizeAndMinimumRate_data();
    void errorSpikeNeedsSampleSizeAndMinimumRate();
    void sustained429WithHysteresis();
    void causeIsNamed_data();
    void causeIsNamed();
    void failureRateNamesTheCauses();
    void raisedSentenceFollowsTheWindow();
    void breakerOpen();
    void quotaLow_data();
    void quotaLow();
    void quotaClearsAtReset();
    void quotaClearsAtItsOwnReset();
    void latencyP95WithHysteresis();
    void disabledRuleStaysQuiet();
};

void TestAlertMonitor::errorSpikeRaisesOnceAndClearsOnce()
{
    Fixture f;
    f.monitor.setConfig(spikeOnly());
    f.traffic(0, 300, 2, 0); // healthy: 0% errors, baseline ~0
    f.traffic(300, 320, 2, 0);
    QCOMPARE(f.alerts.size(), 0);
    f.traffic(320, 440, 2, 1); // 50% of attempts fail for two minutes
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("error_spike")), 1);
    QVERIFY(f.monitor.isRaised(AlertMonitor::ErrorSpike));
    const Event raised = f.alerts.first();
    QVERIFY(raised.message.startsWith(QStringLiteral("Error spike:")));
    QVERIFY(raised.message.contains(QStringLiteral("attempts failed")));
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("error_spike")), 0); // no flapping while high
    f.traffic(440, 600, 2, 0);
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("error_spike")), 1);
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("error_spike")), 1);
    QVERIFY(!f.monitor.isRaised(AlertMonitor::ErrorSpike));
}

void TestAlertMonitor::errorSpikeNeedsSampleSizeAndMinimumRate_data()
{
    QTest::addColumn<int>("attemptsPerTenSeconds");
    QTest::addColumn<int>("baselineFailedPer100");
    QTest::addColumn<int>("spikeFailedPer100");
    QTest::addColumn<bool>("raises");
    QTest::newRow("19 attempts a minute: too few") << 3 << 0 << 100 << false;
    QTest::newRow("baseline 3%, spike 9%: below 10%") << 100 << 3 << 9 << false;
    QTest::newRow("baseline 10%, spike 25%: under 3x") << 100 << 10 << 25 << false;
    QTest::newRow("baseline 2%, spike 30%") << 100 << 2 << 30 << true;
}

void TestAlertMonitor::errorSpikeNeedsSampleSizeAndMinimumRate()
{
    QFETCH(int, attemptsPerTenSeconds);
    QFETCH(int, baselineFailedPer100);
    QFETCH(int, spikeFailedPer100);
    QFETCH(bool, raises);
    Fixture f;
    f.monitor.setConfig(spikeOnly());
    // Attempts only in every tenth second, so small counts per minute are possible.
    const auto phase = [&](int from, int to, int per100) {
        for (int s = from; s < to; s += 10) {
            const int failed = attemptsPerTenSeconds * per100 / 100;
            f.traffic(s, s + 1, attemptsPerTenSeconds, failed);
            f.traffic(s + 1, s + 10, 0, 0);
        }
    };
    phase(0, 600, baselineFailedPer100);
    phase(600, 720, spikeFailedPer100);
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("error_spike")), raises ? 1 : 0);
}

void TestAlertMonitor::sustained429WithHysteresis()
{
    Fixture f;
    f.traffic(0, 60, 20, 2, ErrorClass::RateLimited); // 10% 429s
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("sustained_429")), 1);
    f.traffic(60, 180, 25, 1, ErrorClass::RateLimited); // 4%: between clear (2.5%) and raise (5%)
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("sustained_429")), 0);
    f.traffic(180, 300, 50, 1, ErrorClass::RateLimited); // 2%
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("sustained_429")), 1);
    f.traffic(300, 400, 50, 1, ErrorClass::RateLimited);
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("sustained_429")), 1);
}

void TestAlertMonitor::causeIsNamed_data()
{
    QTest::addColumn<int>("errorClass");
    QTest::addColumn<QString>("raisedId");
    QTest::addColumn<QString>("wording");
    QTest::addColumn<QStringList>("quietIds");
    // 10% of attempts fail with one class: only the alert of that cause rises (plus the failure rate).
    QTest::newRow("quota 429") << int(ErrorClass::RateLimited) << QStringLiteral("sustained_429")
                               << QStringLiteral("429 for our quota")
                               << QStringList { QStringLiteral("server_overloaded") };
    QTest::newRow("529 overloaded") << int(ErrorClass::Capacity) << QStringLiteral("server_overloaded")
                                    << QStringLiteral("529")
                                    << QStringList { QStringLiteral("sustained_429") };
    QTest::newRow("503 server errors")
        << int(ErrorClass::ServerError) << QStringLiteral("failure_rate")
        << QStringLiteral("server errors (5xx)")
        << QStringList { QStringLiteral("sustained_429"), QStringLiteral("server_overloaded") };
    QTest::newRow("connection resets")
        << int(ErrorClass::Network) << QStringLiteral("failure_rate") << QStringLiteral("network")
        << QStringList { QStringLiteral("sustained_429"), QStringLiteral("server_overloaded") };
}

void TestAlertMonitor::causeIsNamed()
{
    QFETCH(int, errorClass);
    QFETCH(QString, raisedId);
    QFETCH(QString, wording);
    QFETCH(QStringList, quietIds);
    Fixture f;
    f.traffic(0, 90, 20, 3, ErrorClass(errorClass)); // 15% of attempts fail
    QCOMPARE(f.count(EventKind::AlertRaised, raisedId), 1);
    for (const QString &quiet : std::as_const(quietIds))
        QCOMPARE(f.count(EventKind::AlertRaised, quiet), 0);
    for (const Event &e : std::as_const(f.alerts)) {
        if (e.alertId == raisedId)
            QVERIFY2(e.message.contains(wording), qPrintable(e.message));
        QVERIFY2(!e.message.contains(QStringLiteral("429")) || errorClass == int(ErrorClass::RateLimited)
                     || errorClass == int(ErrorClass::Capacity),
                 qPrintable(e.message));
    }
}

void TestAlertMonitor::failureRateNamesTheCauses()
{
    // The flaky mix: no 429 at all; 503s, 500s, 529s and resets, ~20% of attempts.
    Fixture f;
    for (int s = 0; s < 120; ++s) {
        f.traffic(s, s + 1, 10, 1, ErrorClass::ServerError);
        if (s % 2 == 0)
            f.traffic(s, s + 1, 1, 1, ErrorClass::Capacity);
        if (s % 3 == 0)
            f.traffic(s, s + 1, 1, 1, ErrorClass::Network);
    }
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("sustained_429")), 0);
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("failure_rate")), 1);
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("error_spike")), 0); // said once, not twice
    for (const Event &e : std::as_const(f.alerts)) {
        if (e.alertId != QStringLiteral("failure_rate"))
            continue;
        QVERIFY2(e.message.startsWith(QStringLiteral("High failure rate: ")), qPrintable(e.message));
        const qsizetype server = e.message.indexOf(QStringLiteral("server errors (5xx)"));
        const qsizetype overload = e.message.indexOf(QStringLiteral("overloaded (529/capacity)"));
        const qsizetype network = e.message.indexOf(QStringLiteral("network"));
        QVERIFY2(server > 0 && overload > server && network > overload, qPrintable(e.message));
    }
    f.traffic(120, 240, 20, 0);
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("failure_rate")), 1);
}

// A raised alert's sentence is recomputed with the window's counts, without a second event;
// cleared, it has none.
void TestAlertMonitor::raisedSentenceFollowsTheWindow()
{
    Fixture f;
    f.traffic(0, 5, 10, 3); // 30% failing: raised in the first seconds
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("failure_rate")), 1);
    const QString raisedWith = f.monitor.sentence(AlertMonitor::FailureRate);
    QVERIFY2(raisedWith.startsWith(QStringLiteral("High failure rate: ")), qPrintable(raisedWith));
    f.traffic(5, 6, 10, 3);
    QCOMPARE(f.monitor.updatedSentences().size(), 1);
    QCOMPARE(f.monitor.updatedSentences().first().first, QStringLiteral("failure_rate"));
    const QString now = f.monitor.updatedSentences().first().second;
    QVERIFY2(now.startsWith(QStringLiteral("High failure rate: 18 of 60 attempts (30.0%)")), qPrintable(now));
    QCOMPARE(f.monitor.sentence(AlertMonitor::FailureRate), now);
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("failure_rate")), 1); // not raised again
    f.traffic(6, 80, 20, 0);
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("failure_rate")), 1);
    QVERIFY(f.monitor.sentence(AlertMonitor::FailureRate).isEmpty());
    QVERIFY(f.monitor.updatedSentences().isEmpty());
}

void TestAlertMonitor::breakerOpen()
{
    Fixture f;
    f.event(EventKind::BreakerOpened, 1);
    f.event(EventKind::BreakerHalfOpen, 31);
    f.event(EventKind::BreakerOpened, 32);
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("breaker_open")), 1);
    f.event(EventKind::BreakerClosed, 70);
    f.event(EventKind::BreakerClosed, 71);
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("breaker_open")), 1);
    QCOMPARE(f.alerts.size(), 2);
}

void TestAlertMonitor::quotaLow_data()
{
    QTest::addColumn<bool>("tokens");
    QTest::newRow("requests") << false;
    QTest::newRow("tokens") << true;
}

void TestAlertMonitor::quotaLow()
{
    QFETCH(bool, tokens);
    const QString id = tokens ? QStringLiteral("quota_low_tokens") : QStringLiteral("quota_low_requests");
    const auto q = [tokens](qint64 left) {
        return tokens ? quota(90, 100, left, 1000) : quota(left / 10, 100, 900, 1000);
    };
    Fixture f;
    f.event(EventKind::QuotaUpdated, 1, q(500));
    QCOMPARE(f.alerts.size(), 0);
    f.event(EventKind::QuotaUpdated, 2, q(90)); // 9%
    f.event(EventKind::QuotaUpdated, 3, q(50));
    QCOMPARE(f.count(EventKind::AlertRaised, id), 1);
    QVERIFY(f.alerts.first().message.contains(tokens ? QStringLiteral("tokens left")
                                                     : QStringLiteral("requests left")));
    f.event(EventKind::QuotaUpdated, 4, q(120)); // 12%: inside the hysteresis band
    QCOMPARE(f.count(EventKind::AlertCleared, id), 0);
    f.event(EventKind::QuotaUpdated, 5, q(200));
    QCOMPARE(f.count(EventKind::AlertCleared, id), 1);
    QCOMPARE(f.alerts.size(), 2);
}

void TestAlertMonitor::quotaClearsAtReset()
{
    Fixture f;
    f.event(EventKind::QuotaUpdated, 1, quota(90, 100, 10, 1000, 5000));
    QVERIFY(f.monitor.isRaised(AlertMonitor::QuotaLowTokens));
    f.alerts += f.monitor.evaluate(T0 + 5000);
    QVERIFY(f.monitor.isRaised(AlertMonitor::QuotaLowTokens));
    f.alerts += f.monitor.evaluate(T0 + 6000);
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("quota_low_tokens")), 1);
}

// A requests quota low with its reset a minute away does not clear when the tokens quota resets.
void TestAlertMonitor::quotaClearsAtItsOwnReset()
{
    Fixture f;
    QuotaSnapshot q = quota(5, 100, 900, 1000, 2000);
    q.requests.resetInMs = 60'000;
    f.event(EventKind::QuotaUpdated, 1, q);
    QVERIFY(f.monitor.isRaised(AlertMonitor::QuotaLowRequests));
    f.alerts += f.monitor.evaluate(T0 + 10'000);
    QVERIFY(f.monitor.isRaised(AlertMonitor::QuotaLowRequests));
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("quota_low_requests")), 0);
    f.alerts += f.monitor.evaluate(T0 + 61'000);
    QVERIFY(!f.monitor.isRaised(AlertMonitor::QuotaLowRequests));
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("quota_low_requests")), 1);
}

void TestAlertMonitor::latencyP95WithHysteresis()
{
    Fixture f;
    f.traffic(0, 10, 1, 0, ErrorClass::None, 40'000); // 10 slow requests: under the sample size
    QCOMPARE(f.alerts.size(), 0);
    f.traffic(10, 30, 1, 0, ErrorClass::None, 40'000);
    QCOMPARE(f.count(EventKind::AlertRaised, QStringLiteral("latency_p95")), 1);
    f.traffic(30, 150, 1, 0, ErrorClass::None, 27'000); // under 30 s but over 24 s
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("latency_p95")), 0);
    f.traffic(150, 250, 1, 0, ErrorClass::None, 2'000);
    QCOMPARE(f.count(EventKind::AlertCleared, QStringLiteral("latency_p95")), 1);
    QCOMPARE(f.alerts.size(), 2);
}

void TestAlertMonitor::disabledRuleStaysQuiet()
{
    Fixture f;
    AlertConfig c;
    c.breakerEnabled = false;
    f.monitor.setConfig(c);
    f.event(EventKind::BreakerOpened, 1);
    QCOMPARE(f.alerts.size(), 0);
}

QTEST_APPLESS_MAIN(TestAlertMonitor)
#include "tst_alertmonitor.moc"
