// What the gateway tells telemetry and where its upstream key comes from.
#include "app/gateway/gatewayoptions.h"
#include "app/gateway/gatewayserver.h"
#include "app/gateway/gatewaysession.h"
#include "app/gateway/gatewaytoken.h"
#include "app/gateway/upstreamcredential.h"
#include "core/client/client.h"
#include "core/sim/simserver.h"
#include "rawhttp.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace gp;
using namespace gp::test;

class TestGatewayEvents final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyEventOfAJobCarriesItsClient();
    void upstreamKeyFromTheEnvironmentFirst();
    void noKeyNamesEveryPlaceTried();
};

void TestGatewayEvents::everyEventOfAJobCarriesItsClient()
{
    QTemporaryDir dir;
    sim::SimServer sim;
    QJsonObject scenario = quietScenario();
    scenario.insert(u"headers"_s, u"openai"_s); // quota headers: QuotaUpdated events too
    QString error;
    QVERIFY2(sim.setScenarioJson(scenario, &error) && sim.listen(0), qPrintable(error));
    sim.setRequiredApiKey(QString::fromLatin1(UpstreamKey));
    // One 429 first: RetryScheduled and a second attempt belong to the same job.
    sim.enqueueFaults(QJsonArray { QJsonObject { { u"kind"_s, u"rate_limit"_s } } });
    qputenv(KeyEnv, UpstreamKey);
    GatewayOptions options;
    options.listenPort = 0;
    options.upstream = sim.baseUrl();
    options.apiKeyEnv = QString::fromLatin1(KeyEnv);
    options.useKeychain = false;
    options.tokenFile = dir.filePath(u"token"_s);
    options.quiet = true;
    GatewaySession gateway(options);
    QCOMPARE(gateway.start(&error), 0);
    bool created = false;
    const QByteArray token = *GatewayToken::loadOrCreate(options.tokenFile, &created, &error);

    QList<Event> events;
    connect(gateway.client(), &Client::eventEmitted, this, [&events](const Event &event) {
        if (event.jobId != 0)
            events.append(event);
    });
    const RawReply reply
        = exchange(gateway.port(), post(token, chatBody(true), "x-grokpulse-client: bob\r\n"));
    QCOMPARE(reply.status(), 200);
    QTRY_VERIFY(!events.isEmpty() && isTerminal(events.last().kind));
    QSet<EventKind> kinds;
    for (const Event &event : std::as_const(events)) {
        QCOMPARE(event.client, u"bob"_s);
        kinds.insert(event.kind);
    }
    for (const EventKind kind : { EventKind::Submitted, EventKind::AttemptStarted, EventKind::AttemptFinished,
                                  EventKind::RetryScheduled, EventKind::QuotaUpdated, EventKind::Succeeded })
        QVERIFY2(kinds.contains(kind), qPrintable(eventKindName(kind)));
}

void TestGatewayEvents::upstreamKeyFromTheEnvironmentFirst()
{
    qputenv("GP_TEST_CREDENTIAL", "  key-from-env  ");
    const UpstreamCredential::Result result = UpstreamCredential::resolve(u"GP_TEST_CREDENTIAL"_s, true);
    QCOMPARE(result.key, u"key-from-env"_s);
    QCOMPARE(result.source, u"GP_TEST_CREDENTIAL"_s);
    qunsetenv("GP_TEST_CREDENTIAL");
}

void TestGatewayEvents::noKeyNamesEveryPlaceTried()
{
    qunsetenv("GP_TEST_CREDENTIAL");
    const UpstreamCredential::Result envOnly = UpstreamCredential::resolve(u"GP_TEST_CREDENTIAL"_s, false);
    QVERIFY(envOnly.key.isEmpty());
    QVERIFY(envOnly.note.contains(u"GP_TEST_CREDENTIAL is empty or unset"_s));
    QVERIFY(!envOnly.note.contains(u"keychain"_s));
    // No session bus here, so no secret service: a clean note, at once, not a hang.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    QElapsedTimer timer;
    timer.start();
    const UpstreamCredential::Result both = UpstreamCredential::resolve(u"GP_TEST_CREDENTIAL"_s, true, 3000);
    QVERIFY(both.key.isEmpty());
    QVERIFY2(both.note.contains(u"keychain"_s), qPrintable(both.note));
    QVERIFY(timer.elapsed() < 3500);
}

QTEST_GUILESS_MAIN(TestGatewayEvents)
#include "tst_gatewayevents.moc"
