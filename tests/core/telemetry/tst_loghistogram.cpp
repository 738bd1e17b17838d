#include "core/telemetry/loghistogram.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using gp::LogHistogram;

class TestLogHistogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quantilesWithinStatedError_data();
    void quantilesWithinStatedError();
    void emptyAndEdges();
    void mergeEqualsCombined();
};

void TestLogHistogram::quantilesWithinStatedError_data()
{
    QTest::addColumn<QString>("shape");
    QTest::addColumn<int>("count");
    QTest::newRow("uniform 1..10000 ms") << QStringLiteral("uniform") << 5000;
    QTest::newRow("exponential mean 800 ms") << QStringLiteral("exponential") << 20000;
    QTest::newRow("lognormal heavy tail") << QStringLiteral("lognormal") << 20000;
    QTest::newRow("constant 1234 ms") << QStringLiteral("constant") << 100;
    QTest::newRow("bimodal 50 ms / 30 s") << QStringLiteral("bimodal") << 1000;
}

void TestLogHistogram::quantilesWithinStatedError()
{
    QFETCH(QString, shape);
    QFETCH(int, count);
    QRandomGenerator rng(42);
    std::vector<double> values;
    LogHistogram h;
    for (int i = 0; i < count; ++i) {
        const double u = std::max(1e-9, rng.generateDouble());
        double v = 0;
        if (shape == u"uniform")
            v = 1 + u * 9999;
        else if (shape == u"exponential")
            v = 1 - 800 * std::log(u);
        else if (shape == u"lognormal")
            v = std::exp(6 + 1.5 * std::sqrt(-2 * std::log(u)) * std::cos(6.283185 * rng.generateDouble()));
        else if (shape == u"constant")
            v = 1234;
        else
            v = (i % 10 == 0) ? 30000 : 50;
        v = std::clamp(v, 1.0, 1e6);
        values.push_back(v);
        h.add(v);
    }
    std::sort(values.begin(), values.end());
    QCOMPARE(h.count(), quint64(count));
    for (const double q : { 0.5, 0.9, 0.95, 0.99, 1.0 }) {
        const size_t rank = std::max<size_t>(1, size_t(std::ceil(q * values.size())));
        const double exact = values[rank - 1];
        const double estimate = h.quantile(q);
        const double error = std::abs(estimate - exact) / exact;
        QVERIFY2(error <= LogHistogram::kRelativeError,
                 qPrintable(QStringLiteral("q=%1 exact=%2 estimate=%3 error=%4")
                                .arg(q)
                                .arg(exact)
                                .arg(estimate)
                                .arg(error)));
    }
}

void TestLogHistogram::emptyAndEdges()
{
    LogHistogram h;
    QCOMPARE(h.quantile(0.5), -1.0);
    h.add(0.2);
    QVERIFY(h.quantile(0.5) < 1.0);
    h.add(std::nan(""));
    h.add(-5);
    QCOMPARE(h.count(), quint64(3));
    h.add(1e12); // clamped into the top bin, not out of bounds
    QVERIFY(h.quantile(1.0) > 1e6);
    h.clear();
    QCOMPARE(h.count(), quint64(0));
}

void TestLogHistogram::mergeEqualsCombined()
{
    LogHistogram a, b, all;
    for (int i = 1; i <= 1000; ++i) {
        (i % 2 ? a : b).add(i * 3.0);
        all.add(i * 3.0);
    }
    a.merge(b);
    QCOMPARE(a.count(), all.count());
    QCOMPARE(a.quantile(0.95), all.quantile(0.95));
    QCOMPARE(a.sumMs(), all.sumMs());
}

QTEST_APPLESS_MAIN(TestLogHistogram)
#include "tst_loghistogram.moc"
