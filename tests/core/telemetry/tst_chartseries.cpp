#include "core/telemetry/chartseries.h"

#include <QTest>

#include <cmath>

using namespace gp;

namespace {

constexpr qint64 T0 = 1'790'000'000'000;

QList<QPointF> pts(const QList<std::pair<double, double>> &xy)
{
    QList<QPointF> out;
    for (const auto &[x, y] : xy)
        out.append(QPointF(x, y));
    return out;
}

} // namespace

using Runs = QList<ChartSeries::Run>;
using Points = QList<QPointF>;

class TestChartSeries final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runs_data();
    void runs();
    void sumPerBin_data();
    void sumPerBin();
    void percentOfLimit_data();
    void percentOfLimit();
    void latencyGapsStayGaps();
    void densePerBin_data();
    void densePerBin();
    void difference_data();
    void difference();
    void sharePercent_data();
    void sharePercent();
    void stackStep();
    void spansAtLeast_data();
    void spansAtLeast();
    void niceMax_data();
    void niceMax();
    void valueAt_data();
    void valueAt();
};

using Spans = QList<ChartSeries::Span>;
Q_DECLARE_METATYPE(Spans)

void TestChartSeries::runs_data()
{
    QTest::addColumn<Points>("points");
    QTest::addColumn<Runs>("expected");
    QTest::newRow("empty") << Points {} << Runs {};
    QTest::newRow("one") << pts({ { 0, 1 } }) << Runs { { 0, 1 } };
    QTest::newRow("contiguous") << pts({ { 0, 1 }, { 5, 2 }, { 10, 3 } }) << Runs { { 0, 3 } };
    QTest::newRow("gap in the middle")
        << pts({ { 0, 1 }, { 5, 2 }, { 30, 3 }, { 35, 4 } }) << Runs { { 0, 2 }, { 2, 2 } };
    QTest::newRow("every point alone")
        << pts({ { 0, 1 }, { 10, 2 }, { 20, 3 } }) << Runs { { 0, 1 }, { 1, 1 }, { 2, 1 } };
}

void TestChartSeries::runs()
{
    QFETCH(Points, points);
    QFETCH(Runs, expected);
    Runs out;
    ChartSeries::runs(points, 5, out);
    QCOMPARE(out, expected);
}

void TestChartSeries::sumPerBin_data()
{
    QTest::addColumn<Points>("perBucket");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<bool>("dropFilling");
    QTest::addColumn<Points>("expected");
    // Bins of 10 from 0: [0,10) [10,20) [20,30) [30,40).
    const Points buckets = pts({ { 0, 1 }, { 5, 2 }, { 20, 4 }, { 31, 8 } });
    QTest::newRow("absent bin stays absent")
        << buckets << qint64(40) << true << pts({ { 0, 3 }, { 20, 4 }, { 30, 8 } });
    QTest::newRow("filling bin dropped") << buckets << qint64(35) << true << pts({ { 0, 3 }, { 20, 4 } });
    QTest::newRow("filling bin kept")
        << buckets << qint64(35) << false << pts({ { 0, 3 }, { 20, 4 }, { 30, 8 } });
    QTest::newRow("zeros are values, not gaps")
        << pts({ { 0, 0 }, { 10, 0 } }) << qint64(40) << true << pts({ { 0, 0 }, { 10, 0 } });
    QTest::newRow("before the window ignored")
        << pts({ { -5, 9 }, { 0, 1 } }) << qint64(40) << true << pts({ { 0, 1 } });
}

void TestChartSeries::sumPerBin()
{
    QFETCH(Points, perBucket);
    QFETCH(qint64, nowMs);
    QFETCH(bool, dropFilling);
    QFETCH(Points, expected);
    ChartSeries::Bins bins { 0, 10, 4, nowMs };
    Points out;
    ChartSeries::sumPerBin(perBucket, bins, dropFilling, out);
    QCOMPARE(out, expected);
}

void TestChartSeries::percentOfLimit_data()
{
    QTest::addColumn<Points>("left");
    QTest::addColumn<Points>("limit");
    QTest::addColumn<Points>("expected");
    QTest::newRow("498 of 500 is 99.6%, not the limit line")
        << pts({ { 0, 498 } }) << pts({ { 0, 500 } }) << pts({ { 0, 99.6 } });
    QTest::newRow("limit missing for one x")
        << pts({ { 0, 5 }, { 1, 2 } }) << pts({ { 1, 10 } }) << pts({ { 1, 20 } });
    QTest::newRow("zero limit skipped") << pts({ { 0, 5 } }) << pts({ { 0, 0 } }) << Points {};
    QTest::newRow("clamped") << pts({ { 0, 12 }, { 1, -1 } }) << pts({ { 0, 10 }, { 1, 10 } })
                             << pts({ { 0, 100 }, { 1, 0 } });
}

void TestChartSeries::percentOfLimit()
{
    QFETCH(Points, left);
    QFETCH(Points, limit);
    QFETCH(Points, expected);
    Points out;
    ChartSeries::percentOfLimit(left, limit, out);
    QCOMPARE(out.size(), expected.size());
    for (qsizetype i = 0; i < out.size(); ++i) {
        QCOMPARE(out[i].x(), expected[i].x());
        QVERIFY(qAbs(out[i].y() - expected[i].y()) < 1e-9);
    }
}

void TestChartSeries::latencyGapsStayGaps()
{
    // Requests in the first and the third 5 s bin only (an outage between): the middle bin is
    // absent, not a 0 joined by diagonals.
    MetricsHub hub;
    for (const auto &[atMs, durationMs] : { std::pair { 1000, 400 }, { 2000, 600 }, { 11000, 12000 } }) {
        Event e;
        e.timeMs = T0 + atMs;
        e.kind = EventKind::Succeeded;
        e.durationMs = durationMs;
        hub.record(e);
    }
    ChartSeries::Bins bins { T0, 5000, 3, T0 + 15000 };
    std::array<QList<QPointF>, 3> out;
    ChartSeries::latencyPerBin(hub, Resolution::Second, bins, { 0.5, 0.95, 0.99 }, out);
    QCOMPARE(out[1].size(), 2);
    QCOMPARE(qint64(out[1][0].x()), T0);
    QCOMPARE(qint64(out[1][1].x()), T0 + 10000);
    QVERIFY(qAbs(out[1][1].y() - 12000) < 12000 * 0.05);
    QVERIFY(out[0][0].y() <= out[1][0].y());
    Runs runs;
    ChartSeries::runs(out[1], bins.binMs, runs);
    QCOMPARE(runs.size(), 2);
}

void TestChartSeries::densePerBin_data()
{
    QTest::addColumn<Points>("perBucket");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<Points>("expected");
    QTest::addColumn<double>("filling");
    const Points buckets = pts({ { 0, 1 }, { 5, 2 }, { 20, 4 }, { 31, 8 } });
    QTest::newRow("every bin, 0 where nothing")
        << buckets << qint64(40) << pts({ { 0, 3 }, { 10, 0 }, { 20, 4 }, { 30, 8 } }) << 0.0;
    QTest::newRow("filling bin returned, drawn as 0")
        << buckets << qint64(35) << pts({ { 0, 3 }, { 10, 0 }, { 20, 4 }, { 30, 0 } }) << 8.0;
    QTest::newRow("NaN and out of window ignored")
        << pts({ { -1, 5 }, { 0, qQNaN() }, { 12, 1 }, { 45, 9 } }) << qint64(40)
        << pts({ { 0, 0 }, { 10, 1 }, { 20, 0 }, { 30, 0 } }) << 0.0;
}

void TestChartSeries::densePerBin()
{
    QFETCH(Points, perBucket);
    QFETCH(qint64, nowMs);
    QFETCH(Points, expected);
    QFETCH(double, filling);
    Points out;
    QCOMPARE(ChartSeries::densePerBin(perBucket, { 0, 10, 4, nowMs }, out), filling);
    QCOMPARE(out, expected);
}

void TestChartSeries::difference_data()
{
    QTest::addColumn<Points>("a");
    QTest::addColumn<Points>("b");
    QTest::addColumn<Points>("expected");
    QTest::newRow("failed 5, retried 3: 2 final")
        << pts({ { 0, 5 } }) << pts({ { 0, 3 } }) << pts({ { 0, 2 } });
    QTest::newRow("nothing retried") << pts({ { 0, 5 }, { 1, 1 } }) << Points {}
                                     << pts({ { 0, 5 }, { 1, 1 } });
    QTest::newRow("b at other x only")
        << pts({ { 1, 4 } }) << pts({ { 0, 9 }, { 2, 9 } }) << pts({ { 1, 4 } });
    QTest::newRow("never below 0") << pts({ { 0, 1 } }) << pts({ { 0, 3 } }) << pts({ { 0, 0 } });
}

void TestChartSeries::difference()
{
    QFETCH(Points, a);
    QFETCH(Points, b);
    QFETCH(Points, expected);
    Points out;
    ChartSeries::difference(a, b, out);
    QCOMPARE(out, expected);
    ChartSeries::difference(a, b, a); // in place, as the charts call it
    QCOMPARE(a, expected);
}

void TestChartSeries::sharePercent_data()
{
    QTest::addColumn<Points>("part");
    QTest::addColumn<Points>("rest");
    QTest::addColumn<Points>("expected");
    QTest::newRow("3 answered, 1 not: 75%") << pts({ { 0, 3 } }) << pts({ { 0, 1 } }) << pts({ { 0, 75 } });
    QTest::newRow("only failures: 0%") << Points {} << pts({ { 10, 2 } }) << pts({ { 10, 0 } });
    QTest::newRow("only answers: 100%") << pts({ { 10, 2 } }) << Points {} << pts({ { 10, 100 } });
    QTest::newRow("nothing finished: a gap")
        << pts({ { 0, 1 }, { 10, 0 }, { 20, 1 } }) << pts({ { 10, 0 } }) << pts({ { 0, 100 }, { 20, 100 } });
}

void TestChartSeries::sharePercent()
{
    QFETCH(Points, part);
    QFETCH(Points, rest);
    QFETCH(Points, expected);
    Points out;
    ChartSeries::sharePercent(part, rest, out);
    QCOMPARE(out, expected);
}

void TestChartSeries::stackStep()
{
    std::vector<double> stack { 1, 0 };
    Points upper;
    Points lower;
    ChartSeries::stackStep(pts({ { 0, 2 }, { 10, 3 } }), 10, stack, upper, lower);
    QCOMPARE(upper, pts({ { 0, 3 }, { 10, 3 }, { 10, 3 }, { 20, 3 } }));
    QCOMPARE(lower, pts({ { 0, 1 }, { 10, 1 }, { 10, 0 }, { 20, 0 } }));
    QCOMPARE(stack, (std::vector<double> { 3, 3 }));
}

void TestChartSeries::spansAtLeast_data()
{
    QTest::addColumn<Points>("gauge");
    QTest::addColumn<Spans>("expected");
    QTest::newRow("closed throughout") << pts({ { 0, 0 }, { 5, 0 } }) << Spans {};
    QTest::newRow("opened, closed") << pts({ { 0, 0 }, { 5, 2 }, { 9, 2 }, { 20, 0 } })
                                    << Spans { { 5, 20 } };
    QTest::newRow("half-open counts as held") << pts({ { 0, 2 }, { 5, 1 }, { 8, 0 } }) << Spans { { 0, 8 } };
    QTest::newRow("still open: to the end") << pts({ { 0, 0 }, { 30, 2 } }) << Spans { { 30, 100 } };
    QTest::newRow("twice") << pts({ { 0, 2 }, { 10, 0 }, { 40, 2 }, { 50, 0 } })
                           << Spans { { 0, 10 }, { 40, 50 } };
}

void TestChartSeries::spansAtLeast()
{
    QFETCH(Points, gauge);
    QFETCH(Spans, expected);
    Spans out;
    ChartSeries::spansAtLeast(gauge, 1.0, 100, out);
    QCOMPARE(out, expected);
}

void TestChartSeries::niceMax_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("expected");
    QTest::newRow("empty: 0..4") << 0.0 << 4.0;
    QTest::newRow("7 counts: 0..8") << 7.0 << 8.0;
    QTest::newRow("no 2.5 steps for small counts") << 9.5 << 20.0;
    QTest::newRow("1450 ms: 0..2000") << 1450.0 << 2000.0;
    QTest::newRow("210: 0..400") << 210.0 << 400.0;
}

void TestChartSeries::niceMax()
{
    QFETCH(double, value);
    QFETCH(double, expected);
    QCOMPARE(ChartSeries::niceMax(value), expected);
}

void TestChartSeries::valueAt_data()
{
    QTest::addColumn<qint64>("x");
    QTest::addColumn<double>("expected");
    QTest::newRow("on a point") << qint64(10) << 2.0;
    QTest::newRow("within tolerance after it") << qint64(14) << 2.0;
    QTest::newRow("past tolerance: nothing") << qint64(16) << qQNaN();
    QTest::newRow("before the first") << qint64(-1) << qQNaN();
}

void TestChartSeries::valueAt()
{
    QFETCH(qint64, x);
    QFETCH(double, expected);
    const double v = ChartSeries::valueAt(pts({ { 0, 1 }, { 10, 2 }, { 30, 3 } }), x, 5);
    if (std::isnan(expected))
        QVERIFY(std::isnan(v));
    else
        QCOMPARE(v, expected);
}

QTEST_APPLESS_MAIN(TestChartSeries)
#include "tst_chartseries.moc"
