// Axis labels: round clock ticks on local time, compact numbers, and what lands on the axis.
#include "ui/charts/axislabels.h"

#include <QCategoryAxis>
#include <QTest>

using namespace gp;

class TestAxisLabels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clockStep_data();
    void clockStep();
    void clockTicks_data();
    void clockTicks();
    void compact_data();
    void compact();
    void valueTicksOnAxis();
    void clockTicksOnAxis();
    void clockStepFitsWidth_data();
    void clockStepFitsWidth();
};

void TestAxisLabels::clockStep_data()
{
    QTest::addColumn<qint64>("span");
    QTest::addColumn<qint64>("step");
    QTest::newRow("5 min") << qint64(300'000) << qint64(60'000);
    QTest::newRow("1 h") << qint64(3'600'000) << qint64(600'000);
    QTest::newRow("24 h") << qint64(86'400'000) << qint64(10'800'000);
}

void TestAxisLabels::clockStep()
{
    QFETCH(qint64, span);
    QFETCH(qint64, step);
    QCOMPARE(AxisLabels::clockStepFor(span), step);
}

void TestAxisLabels::clockStepFitsWidth_data()
{
    QTest::addColumn<qint64>("span");
    QTest::addColumn<double>("plotPx");
    QTest::addColumn<qint64>("step");
    // Labels 32 px wide: 48 px a label with its gap.
    QTest::newRow("24 h, wide") << qint64(86'400'000) << 1200.0 << qint64(10'800'000);
    QTest::newRow("24 h, 240 px") << qint64(86'400'000) << 240.0 << qint64(21'600'000);
    QTest::newRow("1 h, 240 px") << qint64(3'600'000) << 240.0 << qint64(900'000);
    QTest::newRow("1 h, wide") << qint64(3'600'000) << 1200.0 << qint64(600'000);
    QTest::newRow("5 min, 200 px") << qint64(300'000) << 200.0 << qint64(120'000);
    QTest::newRow("not laid out") << qint64(86'400'000) << 0.0 << qint64(10'800'000);
}

void TestAxisLabels::clockStepFitsWidth()
{
    QFETCH(qint64, span);
    QFETCH(double, plotPx);
    QFETCH(qint64, step);
    QCOMPARE(AxisLabels::clockStepFor(span, plotPx, 32.0), step);
    if (plotPx > 0)
        QVERIFY(double(span) / double(step) * 48.0 <= plotPx);
}

void TestAxisLabels::clockTicks_data()
{
    QTest::addColumn<qint64>("from");
    QTest::addColumn<qint64>("to");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QList<qint64>>("ticks");
    const qint64 m = 60'000;
    QTest::newRow("5 min, mid-minute")
        << 90'000LL << 390'000LL << m << 0LL << QList<qint64> { 2 * m, 3 * m, 4 * m, 5 * m, 6 * m };
    QTest::newRow("5 min, on the minute")
        << 120'000LL << 420'000LL << m << 0LL << QList<qint64> { 2 * m, 3 * m, 4 * m, 5 * m, 6 * m, 7 * m };
    // UTC+05:30: local 3-hour marks fall at 21:30, 00:30… UTC.
    const qint64 h = 3'600'000;
    QTest::newRow("3 h, UTC+05:30") << 0LL << 6 * h << 3 * h << qint64(5.5 * double(h))
                                    << QList<qint64> { qint64(0.5 * double(h)), qint64(3.5 * double(h)) };
    QTest::newRow("before 1970") << -150'000LL << 0LL << m << 0LL << QList<qint64> { -2 * m, -m, 0 };
    QTest::newRow("empty range") << 10LL << 5LL << m << 0LL << QList<qint64> {};
    QTest::newRow("no step") << 0LL << 5LL << 0LL << 0LL << QList<qint64> {};
}

void TestAxisLabels::clockTicks()
{
    QFETCH(qint64, from);
    QFETCH(qint64, to);
    QFETCH(qint64, step);
    QFETCH(qint64, offset);
    QFETCH(QList<qint64>, ticks);
    QCOMPARE(AxisLabels::clockTicks(from, to, step, offset), ticks);
}

void TestAxisLabels::compact_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("max");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<QString>("label");
    QTest::newRow("zero") << 0.0 << 8e7 << 0 << QStringLiteral("0");
    QTest::newRow("small counts") << 2500.0 << 5000.0 << 0 << QStringLiteral("2500");
    QTest::newRow("thousands") << 12'500.0 << 50'000.0 << 0 << QStringLiteral("12.5k");
    QTest::newRow("millions") << 4e7 << 8e7 << 0 << QStringLiteral("40M");
    QTest::newRow("quarter million") << 2.5e5 << 1e6 << 0 << QStringLiteral("0.25M");
    QTest::newRow("dollars") << 0.0025 << 0.01 << 4 << QStringLiteral("0.0025");
}

void TestAxisLabels::compact()
{
    QFETCH(double, value);
    QFETCH(double, max);
    QFETCH(int, decimals);
    QFETCH(QString, label);
    QCOMPARE(AxisLabels::compact(value, max, decimals), label);
}

void TestAxisLabels::valueTicksOnAxis()
{
    QCategoryAxis axis;
    AxisLabels::setValueTicks(&axis, 8e7, 0);
    // No "0" tick: a fifth label does not fit a short chart's axis (see setValueTicks).
    QCOMPARE(axis.categoriesLabels(), QStringList({ u"20M"_qs, u"40M"_qs, u"60M"_qs, u"80M"_qs }));
    QCOMPARE(axis.endValue(u"40M"_qs), 4e7);
    QCOMPARE(axis.min(), 0.0);
    QCOMPARE(axis.max(), 8e7);
    // A new range replaces the labels, it does not add to them.
    AxisLabels::setValueTicks(&axis, 4.0, 0);
    QCOMPARE(axis.categoriesLabels(), QStringList({ u"1"_qs, u"2"_qs, u"3"_qs, u"4"_qs }));
}

void TestAxisLabels::clockTicksOnAxis()
{
    QCategoryAxis axis;
    const qint64 m = 60'000;
    const qint64 base = QDateTime(QDate(2026, 1, 2), QTime(7, 41)).toMSecsSinceEpoch();
    AxisLabels::setClockTicks(&axis, { base, base + m, base + 2 * m }, m);
    QCOMPARE(axis.categoriesLabels(), QStringList({ u"07:41"_qs, u"07:42"_qs, u"07:43"_qs }));
    QCOMPARE(axis.endValue(u"07:42"_qs), double(base + m));
    AxisLabels::setClockTicks(&axis, {}, m);
    QVERIFY(axis.categoriesLabels().isEmpty());
}

QTEST_MAIN(TestAxisLabels)
#include "tst_axislabels.moc"
