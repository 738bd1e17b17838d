// The charts gain points from live traffic, at every window, and do not redraw hidden.
#include "sessionfixture.h"
#include "ui/charts/chartpanel.h"
#include "ui/charts/metricchart.h"
#include "ui/demotraffic.h"
#include "ui/mainwindow.h"

#include <QTemporaryFile>

using namespace gp;

class TestChartPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gainsPoints_data();
    void gainsPoints();
    void hiddenPanelDoesNotRedraw();
    void savesPng();
};

void TestChartPanel::gainsPoints_data()
{
    QTest::addColumn<int>("span");
    QTest::newRow("5 min") << int(ChartPanel::Span::FiveMinutes);
    QTest::newRow("1 h") << int(ChartPanel::Span::OneHour);
    QTest::newRow("24 h") << int(ChartPanel::Span::OneDay);
}

void TestChartPanel::gainsPoints()
{
    QFETCH(int, span);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("flaky"));
    MainWindow window(session.get());
    window.setCurrentView(QStringLiteral("charts"));
    window.show();
    ChartPanel *charts = window.chartPanel();
    charts->setSpan(ChartPanel::Span(span));
    QCOMPARE(charts->chartCount(), 5);
    for (int i = 0; i < charts->chartCount(); ++i)
        QCOMPARE(charts->chart(i)->pointCount(), 0);
    window.demoTraffic()->setRate(40);
    window.demoTraffic()->start();
    // Latency (2), tokens (3) and quota (0) fill on success; flaky faults feed errors (4) and retries (1).
    for (int i : { 0, 2, 3, 4, 1 })
        QTRY_VERIFY2_WITH_TIMEOUT(charts->chart(i)->pointCount() > 0, qPrintable(charts->chart(i)->spec().id),
                                  15000);
    // At the newest point the tooltip has a value; "now" may fall in a second nothing completed in.
    const MetricChart *latency = charts->chart(2);
    QVERIFY(latency->lastPointTime() > 0);
    QVERIFY2(latency->describe(latency->lastPointTime()).contains(QStringLiteral("p50")),
             qPrintable(latency->describe(latency->lastPointTime())));
}

void TestChartPanel::hiddenPanelDoesNotRedraw()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.setCurrentView(QStringLiteral("prompt"));
    window.show();
    window.demoTraffic()->setRate(20);
    window.demoTraffic()->start();
    const int before = window.chartPanel()->refreshCount();
    QTRY_VERIFY_WITH_TIMEOUT(window.demoTraffic()->sent() > 20, 5000);
    QCOMPARE(window.chartPanel()->refreshCount(), before);
    window.setCurrentView(QStringLiteral("charts"));
    QTRY_VERIFY_WITH_TIMEOUT(window.chartPanel()->refreshCount() > before, 3000);
}

void TestChartPanel::savesPng()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.setCurrentView(QStringLiteral("charts"));
    window.show();
    const QString path = dir.filePath(QStringLiteral("charts.png"));
    QVERIFY(window.chartPanel()->savePng(path));
    QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(image.height() > 500);
}

QTEST_MAIN(TestChartPanel)
#include "tst_chartpanel.moc"
