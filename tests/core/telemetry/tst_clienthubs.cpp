// ClientHubs: one MetricsHub per client from the same events, bounded; shared state everywhere.
#include "core/telemetry/clienthubs.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kT = 1'800'000'000'000;

Event jobEvent(EventKind kind, const QString &client, quint64 id = 1)
{
    Event e;
    e.timeMs = kT;
    e.jobId = id;
    e.kind = kind;
    e.client = client;
    e.model = u"grok-4-0709"_s;
    e.durationMs = 100;
    return e;
}

quint64 succeeded(const MetricsHub *hub)
{
    return hub ? hub->snapshot().outcomes[MetricsSnapshot::Succeeded] : 0;
}

} // namespace

class TestClientHubs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void routesEachJobToItsClient()
    {
        MetricsHub all;
        ClientHubs hubs;
        for (const QString &client : { u"alice"_s, u"alice"_s, u"bob"_s, QString() }) {
            const Event e = jobEvent(EventKind::Succeeded, client);
            all.record(e);
            hubs.record(e, all);
        }
        QCOMPARE(succeeded(&all), 4u);
        QCOMPARE(succeeded(hubs.hubFor(u"alice"_s)), 2u);
        QCOMPARE(succeeded(hubs.hubFor(u"bob"_s)), 1u);
        QCOMPARE(succeeded(hubs.hubFor(QString())), 1u);
        QCOMPARE(hubs.slotOf(QString()), ClientHubs::kOwnSlot);
        QCOMPARE(hubs.nameOf(hubs.slotOf(u"bob"_s)), u"bob"_s);
        QCOMPARE(hubs.hubFor(u"carol"_s), nullptr); // never seen: no hub, no memory
        QCOMPARE(hubs.usedSlots().size(), 3);
        QCOMPARE(hubs.generation(), 3);
    }

    void sharedStateReachesEveryHub()
    {
        MetricsHub all;
        ClientHubs hubs;
        hubs.record(jobEvent(EventKind::Submitted, u"alice"_s), all);
        Event open;
        open.timeMs = kT;
        open.kind = EventKind::BreakerOpened; // no job, no client: the one breaker
        all.record(open);
        hubs.record(open, all);
        QCOMPARE(hubs.hubFor(u"alice"_s)->snapshot().gauges.breaker, BreakerState::Open);
        // A client first seen later starts from what the whole traffic knows.
        hubs.record(jobEvent(EventKind::Submitted, u"bob"_s), all);
        QCOMPARE(hubs.hubFor(u"bob"_s)->snapshot().gauges.breaker, BreakerState::Open);
        // Alerts and warnings are everyone's: no hub is made for them.
        Event alert;
        alert.timeMs = kT;
        alert.kind = EventKind::AlertRaised;
        hubs.record(alert, all);
        QCOMPARE(hubs.hubFor(QString()), nullptr);
    }

    void pastTheCapClientsShareOther()
    {
        MetricsHub all;
        ClientHubs hubs;
        for (int i = 0; i < ClientHubs::kMaxNamed + 5; ++i)
            hubs.record(jobEvent(EventKind::Succeeded, u"tool-%1"_s.arg(i)), all);
        hubs.record(jobEvent(EventKind::Succeeded, u"xai-"_s + QString(40, u'k')), all); // looks like a key
        QCOMPARE(hubs.usedSlots().size(), ClientHubs::kMaxNamed + 1);
        QCOMPARE(hubs.nameOf(ClientHubs::kOtherSlot), ClientHubs::kOther);
        QCOMPARE(succeeded(hubs.hub(ClientHubs::kOtherSlot)), 6u);
        QCOMPARE(succeeded(hubs.hubFor(u"tool-0"_s)), 1u);
        QCOMPARE(hubs.hubFor(u"tool-%1"_s.arg(ClientHubs::kMaxNamed)), nullptr); // folded into other
        for (int slot : hubs.usedSlots())
            QVERIFY(!hubs.nameOf(slot).startsWith(u"xai-"_s));
    }
};

QTEST_GUILESS_MAIN(TestClientHubs)
#include "tst_clienthubs.moc"
