// The failures panel separates final from retried, shades breaker-open time and names its
// alert markers; the throughput panel reads as a success rate; a crosshair reads every chart.
#include "core/telemetry/metricshub.h"
#include "sessionfixture.h"
#include "ui/charts/chartpanel.h"
#include "ui/charts/metricchart.h"
#include "ui/mainwindow.h"

#include <QAreaSeries>
#include <QDateTime>
#include <QLabel>
#include <QLineSeries>
#include <QScrollArea>

using namespace gp;

namespace {

QAreaSeries *areaNamed(const MetricChart &chart, const QString &name)
{
    for (QAbstractSeries *series : chart.chart()->series())
        if (series->name() == name)
            return qobject_cast<QAreaSeries *>(series);
    return nullptr;
}

// The top of an area's upper line over the bin starting at x (step outline: the bin before
// ends at x too, so the last corner at x is this bin's).
double topAt(const QAreaSeries *area, double x)
{
    double top = -1.0;
    for (const QPointF &p : area->upperSeries()->points())
        if (p.x() == x)
            top = p.y();
    return top;
}

Event makeEvent(EventKind kind, qint64 timeMs, ErrorClass errorClass = ErrorClass::None)
{
    Event e;
    e.kind = kind;
    e.timeMs = timeMs;
    e.errorClass = errorClass;
    e.attempt = 1;
    return e;
}

MetricChart::Window fiveMinutes(qint64 nowMs)
{
    return { nowMs, 300'000, 5000, QStringLiteral("5 s") };
}

} // namespace

class TestFailuresPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void finalBelowRetried_data();
    void finalBelowRetried();
    void breakerOpenIsShaded();
    void alertMarkersAreNamed();
    void successRate();
    void crosshairOnEveryChart();
};

void TestFailuresPanel::finalBelowRetried_data()
{
    QTest::addColumn<int>("failed");
    QTest::addColumn<int>("retried");
    QTest::newRow("3 failed, 2 retried: 1 final") << 3 << 2;
    QTest::newRow("all retried: no final") << 4 << 4;
    QTest::newRow("none retried: all final") << 2 << 0;
}

void TestFailuresPanel::finalBelowRetried()
{
    QFETCH(int, failed);
    QFETCH(int, retried);
    const qint64 now = QDateTime::currentMSecsSinceEpoch() / 5000 * 5000 + 2000;
    const qint64 at = now - 12'000; // a complete 5 s bin, not the one still filling
    MetricsHub hub;
    for (int i = 0; i < failed; ++i)
        hub.record(makeEvent(EventKind::AttemptFinished, at, ErrorClass::ServerError));
    for (int i = 0; i < retried; ++i)
        hub.record(makeEvent(EventKind::RetryScheduled, at, ErrorClass::ServerError));
    MetricChart chart(ChartSpec::failures());
    chart.update(hub, fiveMinutes(now), {});
    const double bin = double(at / 5000 * 5000);
    QAreaSeries *finalArea = areaNamed(chart, QStringLiteral("final: 5xx"));
    QAreaSeries *retriedArea = areaNamed(chart, QStringLiteral("retried: 5xx"));
    QVERIFY(finalArea && retriedArea);
    QCOMPARE(finalArea->isVisible(), failed > retried);
    QCOMPARE(retriedArea->isVisible(), retried > 0);
    if (failed > retried)
        QCOMPARE(topAt(finalArea, bin), double(failed - retried));
    if (retried > 0) // stacked on the final ones: the top is every failed attempt
        QCOMPARE(topAt(retriedArea, bin), double(failed));
    const QString said = chart.describe(qint64(bin));
    QCOMPARE(said.contains(QStringLiteral("final: 5xx: %1 per 5 s").arg(failed - retried)), failed > retried);
    QCOMPARE(said.contains(QStringLiteral("retried: 5xx: %1 per 5 s").arg(retried)), retried > 0);
}

void TestFailuresPanel::breakerOpenIsShaded()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    MetricsHub hub;
    hub.record(makeEvent(EventKind::AttemptFinished, now - 90'000));
    hub.record(makeEvent(EventKind::BreakerOpened, now - 60'000));
    hub.record(makeEvent(EventKind::BreakerHalfOpen, now - 40'000));
    hub.record(makeEvent(EventKind::BreakerClosed, now - 30'000));
    MetricChart chart(ChartSpec::failures());
    chart.update(hub, fiveMinutes(now), {});
    const QList<ChartSeries::Span> spans = chart.overlay().breakerSpans();
    QCOMPARE(spans.size(), 1);
    QVERIFY(qAbs(spans[0].fromMs - (now - 60'000)) <= 1000); // second buckets
    QVERIFY(qAbs(spans[0].toMs - (now - 30'000)) <= 1000);
    QVERIFY(chart.overlay().breakerSeries()->isVisible());
    QVERIFY(chart.describe(now - 45'000).contains(QStringLiteral("circuit breaker open")));
    QVERIFY(!chart.describe(now - 20'000).contains(QStringLiteral("circuit breaker open")));
}

void TestFailuresPanel::alertMarkersAreNamed()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    MetricsHub hub;
    hub.record(makeEvent(EventKind::AttemptFinished, now - 20'000, ErrorClass::ServerError));
    MetricChart chart(ChartSpec::failures());
    chart.resize(900, 240);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QString sentence
        = QStringLiteral("High failure rate: 6 of 40 attempts (15.0%) failed in the last 60 s");
    const QList<ChartMarker> markers { { now - 20'000, QStringLiteral("failure rate"), sentence },
                                       { now - 900'000, QStringLiteral("old"),
                                         QStringLiteral("out of the window") } };
    QTRY_VERIFY(!chart.chart()->plotArea().isEmpty());
    chart.update(hub, fiveMinutes(now), markers);
    QCOMPARE(chart.overlay().labelCount(), 1); // the one in the window
    QVERIFY2(chart.describe(now - 20'000).contains(sentence), qPrintable(chart.describe(now - 20'000)));
    QVERIFY(!chart.describe(now - 120'000).contains(sentence));
}

void TestFailuresPanel::successRate()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch() / 5000 * 5000 + 2000;
    const qint64 at = now - 12'000;
    MetricsHub hub;
    for (int i = 0; i < 3; ++i)
        hub.record(makeEvent(EventKind::Succeeded, at));
    hub.record(makeEvent(EventKind::Failed, at, ErrorClass::ServerError));
    MetricChart chart(ChartSpec::throughput());
    chart.update(hub, fiveMinutes(now), {});
    const QString said = chart.describe(at / 5000 * 5000);
    QVERIFY2(said.contains(QStringLiteral("answered: 3 per 5 s")), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("not answered: 1 per 5 s")), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("success rate: 3 of 4 (75.0%)")), qPrintable(said));
}

void TestFailuresPanel::crosshairOnEveryChart()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.resize(1024, 700);
    window.setCurrentView(QStringLiteral("charts"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ChartPanel *charts = window.chartPanel();
    QCOMPARE(charts->columns(), 2); // five short charts read better side by side
    // Every chart is in view at 1024x700, none scrolled away.
    const QWidget *viewport = charts->findChild<QScrollArea *>()->viewport();
    for (int i = 0; i < charts->chartCount(); ++i) {
        const QRect inViewport(charts->chart(i)->mapTo(viewport, QPoint(0, 0)), charts->chart(i)->size());
        QVERIFY2(viewport->rect().contains(inViewport), qPrintable(charts->chart(i)->spec().id));
    }
    MetricChart *latency = charts->chart(2);
    QTRY_VERIFY(!latency->chart()->plotArea().isEmpty());
    charts->refresh();
    const QPoint middle
        = latency->mapFromScene(latency->chart()->mapToScene(latency->chart()->plotArea().center()));
    QTest::mouseMove(latency->viewport(), middle);
    QTRY_VERIFY(latency->crosshairTime() > 0);
    const qint64 x = latency->crosshairTime();
    for (int i = 0; i < charts->chartCount(); ++i)
        QCOMPARE(charts->chart(i)->crosshairTime(), x);
    QVERIFY(qAbs(x - (QDateTime::currentMSecsSinceEpoch() - 150'000)) < 20'000); // the middle of 5 min
    charts->hoverAt(0);
    for (int i = 0; i < charts->chartCount(); ++i)
        QCOMPARE(charts->chart(i)->crosshairTime(), 0);
    QVERIFY(charts->readoutLabel()->text().startsWith(QStringLiteral("Point at a chart")));
}

QTEST_MAIN(TestFailuresPanel)
#include "tst_failurespanel.moc"
