// The console's charts and headline numbers by client: with the traffic of two gateway clients
// and the console's own, picking one shows only its numbers; the split view stacks them.
#include "core/telemetry/clienthubs.h"
#include "core/telemetry/telemetry.h"
#include "sessionfixture.h"
#include "ui/charts/chartpanel.h"
#include "ui/charts/metricchart.h"
#include "ui/mainwindow.h"
#include "ui/statstrip.h"
#include "ui/stattile.h"

#include <QComboBox>
#include <QDateTime>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {

struct Job
{
    QString client;
    bool succeeds = true;
    qint64 durationMs = 200;
    qint64 promptTokens = 100;
};

// One finished job's events, 20 s ago (inside a whole 5 s bin and the 60 s tile window).
void feed(Telemetry &telemetry, quint64 id, const Job &job)
{
    Event e;
    e.jobId = id;
    e.client = job.client;
    e.model = u"grok-4-0709"_s;
    e.timeMs = QDateTime::currentMSecsSinceEpoch() - 20'000;
    e.kind = EventKind::Submitted;
    telemetry.record(e);
    e.kind = EventKind::AttemptFinished;
    e.attempt = 1;
    e.httpStatus = job.succeeds ? 200 : 500;
    e.errorClass = job.succeeds ? ErrorClass::None : ErrorClass::ServerError;
    e.ttfbMs = job.durationMs / 2;
    e.durationMs = job.durationMs;
    telemetry.record(e);
    e.kind = job.succeeds ? EventKind::Succeeded : EventKind::Failed;
    e.usage.promptTokens = job.succeeds ? job.promptTokens : 0;
    e.usage.completionTokens = job.succeeds ? 10 : 0;
    e.usage.totalTokens = e.usage.promptTokens + e.usage.completionTokens;
    telemetry.record(e);
}

MetricChart *chartById(ChartPanel *panel, const QString &id)
{
    for (int i = 0; i < panel->chartCount(); ++i)
        if (panel->chart(i)->spec().id == id)
            return panel->chart(i);
    return nullptr;
}

int pickerIndexOf(ChartPanel *panel, const QString &text)
{
    return panel->clientPicker()->findText(text);
}

} // namespace

class TestClientSplit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void pickerListsEveryClient();
    void pickingOneShowsOnlyItsNumbers_data();
    void pickingOneShowsOnlyItsNumbers();
    void splitViewStacksRequestsPerClient();
    void namedClientsAreBounded();

private:
    void pick(const QString &text);

    QTemporaryDir m_dir;
    std::unique_ptr<ConsoleSession> m_session;
    std::unique_ptr<MainWindow> m_window;
};

void TestClientSplit::init()
{
    m_session = test::startSession(m_dir, u"demo"_s);
    QVERIFY(m_session->telemetry());
    Telemetry &telemetry = *m_session->telemetry();
    quint64 id = 1000;
    for (int i = 0; i < 3; ++i) // alice: three fast answers
        feed(telemetry, ++id, { u"alice"_s, true, 200, 100 });
    feed(telemetry, ++id, { u"bob"_s, true, 4000, 1000 }); // bob: one slow answer, one failure
    feed(telemetry, ++id, { u"bob"_s, false, 1000, 0 });
    feed(telemetry, ++id, { QString(), true, 500, 10 }); // the console's own prompt
    m_window = std::make_unique<MainWindow>(m_session.get());
    m_window->resize(1280, 900);
    m_window->show();
    QVERIFY(m_window->setCurrentView(u"charts"_s));
    m_window->chartPanel()->refresh();
}

void TestClientSplit::cleanup()
{
    m_window.reset();
    m_session.reset();
}

void TestClientSplit::pick(const QString &text)
{
    ChartPanel *panel = m_window->chartPanel();
    const int index = pickerIndexOf(panel, text);
    QVERIFY2(index >= 0, qPrintable(text));
    panel->clientPicker()->setCurrentIndex(index);
    Q_EMIT panel->clientPicker()->activated(index); // what a click does
}

void TestClientSplit::pickerListsEveryClient()
{
    QComboBox *picker = m_window->chartPanel()->clientPicker();
    QStringList items;
    for (int i = 0; i < picker->count(); ++i)
        items.append(picker->itemText(i));
    QCOMPARE(items,
             QStringList(
                 { u"All traffic"_s, u"All, split by client"_s, u"This console"_s, u"alice"_s, u"bob"_s }));
}

void TestClientSplit::pickingOneShowsOnlyItsNumbers_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<int>("answered");
    QTest::addColumn<int>("failed");
    QTest::addColumn<int>("promptTokens");
    QTest::addColumn<QString>("errors");
    QTest::newRow("alice") << u"alice"_s << 3 << 0 << 300 << u"0 of 3 attempts"_s;
    QTest::newRow("bob") << u"bob"_s << 1 << 1 << 1000 << u"1 of 2 attempts"_s;
    QTest::newRow("console") << u"This console"_s << 1 << 0 << 10 << u"0 of 1 attempts"_s;
    QTest::newRow("all") << u"All traffic"_s << 5 << 1 << 1310 << u"1 of 6 attempts"_s;
}

void TestClientSplit::pickingOneShowsOnlyItsNumbers()
{
    QFETCH(QString, client);
    QFETCH(int, answered);
    QFETCH(int, failed);
    QFETCH(int, promptTokens);
    QFETCH(QString, errors);
    pick(client);
    ChartPanel *panel = m_window->chartPanel();
    MetricChart *throughput = chartById(panel, u"throughput"_s);
    QVERIFY(throughput);
    QCOMPARE(throughput->layerSum(0), double(answered));
    QCOMPARE(throughput->layerSum(1), double(failed));
    QCOMPARE(chartById(panel, u"tokens"_s)->layerSum(0), double(promptTokens));
    QCOMPARE(chartById(panel, u"failures"_s)->pointCount() > 0, failed > 0);

    StatStrip *strip = m_window->statStrip();
    strip->refresh();
    QCOMPARE(int(strip->stats().successes), answered);
    QCOMPARE(strip->tile(u"errors"_s)->detail(), errors);
    const bool one = client != u"All traffic"_s;
    QCOMPARE(strip->tile(u"throughput"_s)->title().endsWith(u" · "_s + client), one);
    QCOMPARE(chartById(panel, u"latency"_s)->chart()->title().contains(u" · "_s + client), one);
    QVERIFY(!chartById(panel, u"quota"_s)->chart()->title().contains(u"·"_s));
    // Shared by every client: the quota tiles say nobody's name.
    QVERIFY(!strip->tile(u"requests"_s)->title().contains(u"·"_s));
    if (client == u"alice"_s)
        QVERIFY2(*strip->stats().p95Ms < 1000.0, qPrintable(QString::number(*strip->stats().p95Ms)));
    if (client == u"bob"_s)
        QVERIFY2(*strip->stats().p95Ms > 3000.0, qPrintable(QString::number(*strip->stats().p95Ms)));
}

void TestClientSplit::splitViewStacksRequestsPerClient()
{
    ChartPanel *panel = m_window->chartPanel();
    QVERIFY(chartById(panel, u"throughput"_s));
    pick(u"All, split by client"_s);
    QCOMPARE(panel->chartCount(), 5);
    QVERIFY(!chartById(panel, u"throughput"_s));
    MetricChart *clients = chartById(panel, u"clients"_s);
    QVERIFY(clients);
    QVERIFY(clients->isVisible());
    // One column at full HD: the swapped-in chart takes no other chart's share of the height.
    m_window->resize(1920, 1080);
    panel->settle();
    QCOMPARE(panel->columns(), 1);
    for (int i = 1; i < panel->chartCount(); ++i)
        QVERIFY2(qAbs(panel->chart(i)->height() - panel->chart(0)->height()) <= 2,
                 qPrintable(panel->chart(i)->spec().id + u' ' + QString::number(panel->chart(i)->height())));
    const ClientHubs *hubs = m_session->telemetry()->clientHubs();
    const int alice = hubs->slotOf(u"alice"_s);
    const int bob = hubs->slotOf(u"bob"_s);
    QCOMPARE(clients->layerName(alice), u"alice"_s);
    QCOMPARE(clients->layerSum(alice), 3.0);
    QCOMPARE(clients->layerName(bob), u"bob"_s);
    QCOMPARE(clients->layerSum(bob), 2.0);
    QCOMPARE(clients->layerSum(ClientHubs::kOwnSlot), 1.0);
    QCOMPARE(clients->layerSum(ClientHubs::kOtherSlot), 0.0);
    // Tokens per client replace the token chart: billed tokens (prompt + completion) each.
    QVERIFY(!chartById(panel, u"tokens"_s));
    MetricChart *tokens = chartById(panel, u"client_tokens"_s);
    QVERIFY(tokens);
    QCOMPARE(tokens->layerName(alice), u"alice"_s);
    QCOMPARE(tokens->layerSum(alice), 3.0 * 110);
    QCOMPARE(tokens->layerSum(bob), 1010.0);
    QCOMPARE(tokens->layerSum(ClientHubs::kOwnSlot), 20.0);
    // The headline numbers stay everyone's in the split view.
    QCOMPARE(int(m_window->statStrip()->stats().successes), 5);
    pick(u"alice"_s);
    QVERIFY(chartById(panel, u"throughput"_s));
    QVERIFY(chartById(panel, u"tokens"_s));
    QVERIFY(!clients->isVisible());
    QVERIFY(!tokens->isVisible());
}

// Past the cap every new name shares "Other clients": the picker and the memory stay bounded.
void TestClientSplit::namedClientsAreBounded()
{
    Telemetry &telemetry = *m_session->telemetry();
    for (int i = 0; i < 20; ++i)
        feed(telemetry, 5000 + quint64(i), { u"tool-%1"_s.arg(i), true, 300, 1 });
    m_window->chartPanel()->refresh();
    const ClientHubs *hubs = telemetry.clientHubs();
    QCOMPARE(hubs->usedSlots().size(), ClientHubs::kSlotCount);
    QComboBox *picker = m_window->chartPanel()->clientPicker();
    QCOMPARE(picker->count(), 2 + ClientHubs::kSlotCount);
    QCOMPARE(picker->itemText(picker->count() - 1), u"Other clients"_s);
    pick(u"Other clients"_s);
    // alice and bob took two of the named slots: 20 - (8 - 2) tools fold into other.
    QCOMPARE(int(m_window->statStrip()->stats().successes), 20 - (ClientHubs::kMaxNamed - 2));
}

QTEST_MAIN(TestClientSplit)
#include "tst_clientsplit.moc"
