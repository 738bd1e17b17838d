// Demo traffic recycles a bounded set of custom ids, so an all-day demo holds memory flat
// (the simulator keeps a request count per id).
#include "sessionfixture.h"
#include "ui/demotraffic.h"
#include "ui/mainwindow.h"

#include <QJsonObject>

using namespace gp;

class TestDemoTraffic : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void customIdsCycle_data();
    void customIdsCycle();
    void simulatorSeesTheIds();
};

void TestDemoTraffic::customIdsCycle_data()
{
    QTest::addColumn<int>("sequence");
    QTest::addColumn<QString>("id");
    QTest::newRow("first") << 1 << QStringLiteral("demo-1");
    QTest::newRow("second") << 2 << QStringLiteral("demo-2");
    QTest::newRow("last of the cycle") << DemoTraffic::kDistinctIds << QStringLiteral("demo-1000");
    QTest::newRow("wraps") << DemoTraffic::kDistinctIds + 1 << QStringLiteral("demo-1");
    QTest::newRow("far along") << 60'000 << QStringLiteral("demo-1000");
    QTest::newRow("near int max") << 2'147'483'647 << QStringLiteral("demo-647");
    QTest::newRow("zero is clamped") << 0 << QStringLiteral("demo-1");
}

void TestDemoTraffic::customIdsCycle()
{
    QFETCH(int, sequence);
    QFETCH(QString, id);
    QCOMPARE(DemoTraffic::customIdFor(sequence), id);
}

void TestDemoTraffic::simulatorSeesTheIds()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.demoTraffic()->setRate(50);
    window.demoTraffic()->start();
    QTRY_VERIFY_WITH_TIMEOUT(window.demoTraffic()->sent() >= 10, 5000);
    window.demoTraffic()->stop();
    const auto ids
        = [&session] { return session->simulator()->stats().value(QStringLiteral("custom_ids")).toObject(); };
    QTRY_VERIFY_WITH_TIMEOUT(ids().contains(QStringLiteral("demo-10")), 5000);
    const QJsonObject seen = ids();
    QVERIFY(seen.size() <= DemoTraffic::kDistinctIds);
    for (auto it = seen.begin(); it != seen.end(); ++it)
        QVERIFY2(it.key().startsWith(QStringLiteral("demo-")), qPrintable(it.key()));
}

QTEST_MAIN(TestDemoTraffic)
#include "tst_demotraffic.moc"
