// The charts gain points from live traffic, at every window, and do not redraw hidden.
#include "sessionfixture.h"
#include "ui/charts/chartpanel.h"
#include "ui/charts/metricchart.h"
#include "ui/demotraffic.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QPalette>
#include <QTemporaryFile>
#include <QXYSeries>

#include <cmath>

using namespace gp;

class TestChartPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gainsPoints_data();
    void gainsPoints();
    void hiddenPanelDoesNotRedraw();
    void savesPng();
    void plotAreasShareX_data();
    void plotAreasShareX();
    void limitLegendIsDistinct_data();
    void limitLegendIsDistinct();
};

namespace {
// Empty when the plot areas of each column span the same x range (within 1 px), else what differs.
QString misalignment(const ChartPanel *charts)
{
    const QRectF first = charts->chart(0)->chart()->plotArea();
    if (first.width() < 100.0)
        return QStringLiteral("plot area too narrow: %1 px").arg(first.width());
    for (int i = 1; i < charts->chartCount(); ++i) {
        // In two columns the charts are equally wide, so the same plot rect means the same x per column.
        if (charts->chart(i)->width() != charts->chart(0)->width())
            return QStringLiteral("chart %1 is %2 px wide, chart 0 %3")
                .arg(i)
                .arg(charts->chart(i)->width())
                .arg(charts->chart(0)->width());
        const QRectF plot = charts->chart(i)->chart()->plotArea();
        if (std::abs(plot.left() - first.left()) > 1.0 || std::abs(plot.right() - first.right()) > 1.0)
            return QStringLiteral("%1: x %2..%3, %4: x %5..%6")
                .arg(charts->chart(0)->spec().id)
                .arg(first.left())
                .arg(first.right())
                .arg(charts->chart(i)->spec().id)
                .arg(plot.left())
                .arg(plot.right());
    }
    return {};
}

QXYSeries *seriesNamed(const MetricChart *chart, const QString &name)
{
    for (QAbstractSeries *series : chart->chart()->series())
        if (series->name() == name)
            return qobject_cast<QXYSeries *>(series);
    return nullptr;
}

double luminance(const QColor &c)
{
    const auto channel
        = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
} // namespace

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
    // Quota (0), latency (2), throughput (3) and tokens (4) fill on success; flaky faults feed failures (1).
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

void TestChartPanel::plotAreasShareX_data()
{
    QTest::addColumn<QSize>("first");
    QTest::addColumn<QSize>("second");
    QTest::newRow("grow") << QSize(900, 800) << QSize(1400, 1000);
    QTest::newRow("shrink") << QSize(1300, 900) << QSize(760, 700);
}

// Legends and y-axis labels differ in width per chart; the time axes must still line up.
void TestChartPanel::plotAreasShareX()
{
    QFETCH(QSize, first);
    QFETCH(QSize, second);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("flaky"));
    MainWindow window(session.get());
    window.setCurrentView(QStringLiteral("charts"));
    window.resize(first);
    window.show();
    ChartPanel *charts = window.chartPanel();
    QCOMPARE(charts->chartCount(), 5);
    QTRY_VERIFY2_WITH_TIMEOUT(misalignment(charts).isEmpty(), qPrintable(misalignment(charts)), 3000);

    // Traffic widens the labels (tokens in thousands, cost in dollars); still aligned.
    window.demoTraffic()->setRate(40);
    window.demoTraffic()->start();
    QTRY_VERIFY_WITH_TIMEOUT(charts->chart(4)->pointCount() > 0, 15000);
    charts->refresh();
    QTRY_VERIFY2_WITH_TIMEOUT(misalignment(charts).isEmpty(), qPrintable(misalignment(charts)), 3000);

    const qreal widthBefore = charts->chart(0)->chart()->plotArea().width();
    window.resize(second);
    QTRY_VERIFY_WITH_TIMEOUT(charts->chart(0)->chart()->plotArea().width() != widthBefore, 3000);
    QTRY_VERIFY2_WITH_TIMEOUT(misalignment(charts).isEmpty(), qPrintable(misalignment(charts)), 3000);
}

void TestChartPanel::limitLegendIsDistinct_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

// A limit's legend entry must not look like its quantity's: other colour, dashed segment.
void TestChartPanel::limitLegendIsDistinct()
{
    QFETCH(bool, dark);
    const QPalette original = QApplication::palette();
    QPalette palette = original;
    palette.setColor(QPalette::Window, dark ? QColor(0x20, 0x20, 0x20) : QColor(0xF0, 0xF0, 0xF0));
    palette.setColor(QPalette::Base, dark ? QColor(0x18, 0x18, 0x18) : QColor(0xFF, 0xFF, 0xFF));
    palette.setColor(QPalette::Text, dark ? QColor(0xEE, 0xEE, 0xEE) : QColor(0x10, 0x10, 0x10));
    QApplication::setPalette(palette);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.setCurrentView(QStringLiteral("charts"));
    window.show();
    const MetricChart *quota = window.chartPanel()->chart(0);
    QCOMPARE(quota->spec().id, QStringLiteral("quota"));
    const QColor background = palette.color(QPalette::Base);
    // One dashed "limit" line at 100%; the quotas are filled areas below it.
    QXYSeries *limit = seriesNamed(quota, QStringLiteral("limit"));
    QVERIFY(limit);
    const QList<QLegendMarker *> limitMarkers = quota->chart()->legend()->markers(limit);
    QCOMPARE(limitMarkers.size(), 1);
    const QLegendMarker *limitMarker = limitMarkers.first();
    QCOMPARE(limit->pen().style(), Qt::DashLine);
    QCOMPARE(limitMarker->shape(), QLegend::MarkerShapeFromSeries);
    QCOMPARE(limitMarker->pen().style(), Qt::DashLine);
    for (const QString &valueName : { QStringLiteral("requests left"), QStringLiteral("tokens left") }) {
        QAbstractSeries *value = nullptr;
        for (QAbstractSeries *series : quota->chart()->series())
            if (series->name() == valueName)
                value = series;
        QVERIFY2(value, qPrintable(valueName));
        const QList<QLegendMarker *> valueMarkers = quota->chart()->legend()->markers(value);
        QCOMPARE(valueMarkers.size(), 1);
        const QLegendMarker *valueMarker = valueMarkers.first();
        QVERIFY2(limitMarker->pen().color() != valueMarker->brush().color(), qPrintable(valueName));
        QVERIFY2(limitMarker->pen().color() != valueMarker->pen().color(), qPrintable(valueName));
    }
    // Readable on the chart's background: at least 3:1, what WCAG asks of graphics.
    const double ratio = contrast(limit->pen().color(), background);
    QVERIFY2(ratio >= 3.0, qPrintable(QStringLiteral("limit: contrast %1").arg(ratio)));
    QApplication::setPalette(original);
}

QTEST_MAIN(TestChartPanel)
#include "tst_chartpanel.moc"
