#include "core/policy/backoff.h"

#include <QTest>

using namespace gp;

Q_DECLARE_METATYPE(gp::JitterKind)

class TestBackoff final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sequence_data();
    void sequence();
    void staysWithinBounds_data();
    void staysWithinBounds();
    void resetStartsOver();
};

void TestBackoff::sequence_data()
{
    QTest::addColumn<JitterKind>("jitter");
    QTest::addColumn<double>("u");
    QTest::addColumn<QList<qint64>>("expected");
    // base 100, cap 1000, multiplier 2
    QTest::newRow("full max") << JitterKind::Full << 0.999999
                              << QList<qint64> { 99, 199, 399, 799, 999, 999 };
    QTest::newRow("full half") << JitterKind::Full << 0.5 << QList<qint64> { 50, 100, 200, 400, 500, 500 };
    QTest::newRow("full zero") << JitterKind::Full << 0.0 << QList<qint64> { 0, 0, 0, 0, 0 };
    QTest::newRow("equal zero") << JitterKind::Equal << 0.0 << QList<qint64> { 50, 100, 200, 400, 500, 500 };
    QTest::newRow("equal half") << JitterKind::Equal << 0.5 << QList<qint64> { 75, 150, 300, 600, 750 };
    QTest::newRow("decorrelated zero") << JitterKind::Decorrelated << 0.0 << QList<qint64> { 100, 100, 100 };
    QTest::newRow("decorrelated max")
        << JitterKind::Decorrelated << 0.999999 << QList<qint64> { 299, 896, 1000, 1000 };
}

void TestBackoff::sequence()
{
    QFETCH(JitterKind, jitter);
    QFETCH(double, u);
    QFETCH(QList<qint64>, expected);
    Backoff backoff(jitter, 100, 1000, 2.0, [u] { return u; });
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(backoff.nextBackOffMs(), expected[i]);
}

void TestBackoff::staysWithinBounds_data()
{
    QTest::addColumn<JitterKind>("jitter");
    QTest::newRow("full") << JitterKind::Full;
    QTest::newRow("equal") << JitterKind::Equal;
    QTest::newRow("decorrelated") << JitterKind::Decorrelated;
}

void TestBackoff::staysWithinBounds()
{
    QFETCH(JitterKind, jitter);
    quint32 state = 12345;
    Backoff backoff(jitter, 500, 30000, 2.0, [&state] {
        state = state * 1664525u + 1013904223u;
        return double(state >> 8) / double(1u << 24);
    });
    for (int i = 0; i < 200; ++i) { // 200 retries must not overflow the exponent
        const qint64 d = backoff.nextBackOffMs();
        QVERIFY(d >= 0);
        QVERIFY(d <= 30000);
    }
}

void TestBackoff::resetStartsOver()
{
    Backoff backoff(JitterKind::Full, 100, 10000, 2.0, [] { return 0.999999; });
    backoff.nextBackOffMs();
    backoff.nextBackOffMs();
    QCOMPARE(backoff.retriesSoFar(), 2);
    backoff.reset();
    QCOMPARE(backoff.nextBackOffMs(), 99);
    Backoff bad(JitterKind::Full, -5, 100, -3.0, {}); // nonsense config and no random source stays sane
    QCOMPARE(bad.nextBackOffMs(), 0);
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
