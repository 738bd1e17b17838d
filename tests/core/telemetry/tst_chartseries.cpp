#include "core/telemetry/chartseries.h"

#include <QTest>

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
};

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

QTEST_APPLESS_MAIN(TestChartSeries)
#include "tst_chartseries.moc"
