#include "core/telemetry/journalreader.h"
#include "core/telemetry/telemetry.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;

namespace {
constexpr qint64 T0 = 1'790'000'040'000;

// Stands in for gp::Client: anything with an eventEmitted(const gp::Event &) signal.
class FakeSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
Q_SIGNALS:
    void eventEmitted(const gp::Event &event);
};

// Stands in for a gp::Pacer implementation: stateChanged() + state().
class FakePacer : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    PacingState current;
    PacingState state() const { return current; }
Q_SIGNALS:
    void stateChanged();
};

} // namespace

class TestTelemetry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eventsFlowToHubJournalAndAlerts();
    void pacerGaugesReachTheHub();
};

void TestTelemetry::eventsFlowToHubJournalAndAlerts()
{
    QTemporaryDir dir;
    qint64 now = T0;
    Telemetry telemetry;
    telemetry.setClock([&now] { return now; });
    JournalConfig config;
    config.path = dir.filePath(QStringLiteral("t.sqlite"));
    QVERIFY(telemetry.openJournal(config));
    FakeSource source;
    telemetry.attach(&source);
    QSignalSpy raised(&telemetry, &Telemetry::alertRaised);
    QSignalSpy cleared(&telemetry, &Telemetry::alertCleared);

    Event e;
    e.timeMs = now;
    e.kind = EventKind::BreakerOpened;
    Q_EMIT source.eventEmitted(e);
    telemetry.evaluateAlerts();
    telemetry.evaluateAlerts();
    QCOMPARE(raised.size(), 1);
    QCOMPARE(raised.first().first().value<Event>().alertId, QStringLiteral("breaker_open"));
    now += 30'000;
    e.timeMs = now;
    e.kind = EventKind::BreakerClosed;
    Q_EMIT source.eventEmitted(e);
    telemetry.evaluateAlerts();
    QCOMPARE(cleared.size(), 1);
    QVERIFY(telemetry.alerts().activeAlertIds().isEmpty());
    QCOMPARE(telemetry.hub().snapshot().gauges.breaker, BreakerState::Closed);

    QVERIFY(telemetry.journal()->flush());
    JournalReader reader;
    QVERIFY(reader.open(config.path));
    EventQuery alerts;
    alerts.kinds = { EventKind::AlertRaised, EventKind::AlertCleared };
    const auto journaled = reader.events(alerts);
    QCOMPARE(journaled->size(), 2);
    QVERIFY(journaled->at(0).message.contains(QStringLiteral("breaker")));
    QCOMPARE(reader.countEvents({}).value_or(0), qint64(4));
}

void TestTelemetry::pacerGaugesReachTheHub()
{
    Telemetry telemetry;
    telemetry.setClock([] { return T0; });
    FakePacer pacer;
    telemetry.attachPacer(&pacer);
    pacer.current.queued[2] = 7;
    pacer.current.inFlight = 3;
    pacer.current.tokensRemaining = 1200;
    pacer.current.tokenLimit = 16000;
    Q_EMIT pacer.stateChanged();
    const MetricGauges &g = telemetry.hub().snapshot().gauges;
    QCOMPARE(g.queued[2], 7);
    QCOMPARE(g.inFlight, 3);
    QCOMPARE(g.tokensRemaining, qint64(1200));
    QList<QPointF> out;
    QCOMPARE(telemetry.hub().series(Resolution::Second, T0, T0, MetricField::QueueDepth, out), 1);
    QCOMPARE(out.first().y(), 7.0);
}

QTEST_GUILESS_MAIN(TestTelemetry)
#include "tst_telemetry.moc"
