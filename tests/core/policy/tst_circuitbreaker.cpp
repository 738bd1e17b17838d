#include "core/policy/circuitbreaker.h"

#include <QTest>

using namespace gp;

class TestCircuitBreaker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void transitions_data();
    void transitions();
    void ratioTrips();
    void mostlyAnswering();
    void runsOfChance_data();
    void runsOfChance();
    void chanceRunLength_data();
    void chanceRunLength();
    void countsAsFailure_data();
    void countsAsFailure();
};

// A script of steps: 'f' failure, 's' success, 'a' allowed?, 'd' denied?, '+N' advance N ms.
void TestCircuitBreaker::transitions_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("states"); // state after each step: C, O, H

    QTest::newRow("stays closed under 5") << "ffffs"
                                          << "CCCCC";
    QTest::newRow("opens at 5") << "fffff"
                                << "CCCCO";
    QTest::newRow("success resets streak") << "ffffsffff"
                                           << "CCCCCCCCC";
    QTest::newRow("open denies") << "fffffd"
                                 << "CCCCOO";
    QTest::newRow("half-open after cooldown, one probe") << "fffff+a d"
                                                         << "CCCCOOHHH";
    QTest::newRow("probe success closes") << "fffff+a s a"
                                          << "CCCCOOHHCCC";
    QTest::newRow("probe failure reopens") << "fffff+a f d"
                                           << "CCCCOOHHOOO";
    QTest::newRow("reopened needs a new cooldown") << "fffff+a f+a"
                                                   << "CCCCOOHHOOH";
}

void TestCircuitBreaker::transitions()
{
    QFETCH(QString, script);
    QFETCH(QString, states);
    BreakerConfig config;
    config.consecutiveFailures = 5;
    config.minSamples = 100;
    config.cooldownMs = 1000;
    CircuitBreaker breaker(config);
    qint64 now = 0;
    QString seen;
    for (const QChar step : script) {
        switch (step.unicode()) {
        case 'f': breaker.recordFailure(now); break;
        case 's': breaker.recordSuccess(now); break;
        case 'a': QVERIFY(breaker.allowRequest(now)); break;
        case 'd': QVERIFY(!breaker.allowRequest(now)); break;
        case '+': now += 1000; break;
        case ' ': break;
        }
        const BreakerState s = breaker.state();
        seen += s == BreakerState::Closed ? u'C' : s == BreakerState::Open ? u'O' : u'H';
    }
    QCOMPARE(seen, states);
}

void TestCircuitBreaker::ratioTrips()
{
    BreakerConfig config;
    config.consecutiveFailures = 1000;
    config.failureRatio = 0.5;
    config.minSamples = 10;
    config.windowMs = 10000;
    config.cooldownMs = 500;
    CircuitBreaker breaker(config);
    std::optional<BreakerState> changed;
    for (int i = 0; i < 9; ++i) { // alternate: 50% failures but below minSamples
        changed = (i % 2) ? breaker.recordFailure(i) : breaker.recordSuccess(i);
        QVERIFY(!changed);
    }
    changed = breaker.recordFailure(9); // 10 samples, 5 failures
    QCOMPARE(changed, BreakerState::Open);
    QCOMPARE(breaker.msUntilAllowed(9), 500);
    std::optional<BreakerState> moved;
    QVERIFY(breaker.allowRequest(509, &moved));
    QCOMPARE(moved, BreakerState::HalfOpen);
    QCOMPARE(breaker.msUntilAllowed(509), -1);
    breaker.releaseProbe(); // probe cancelled: another may go
    QVERIFY(breaker.allowRequest(510));
    QCOMPARE(breaker.recordSuccess(600), BreakerState::Closed);

    // old samples leave the window
    CircuitBreaker windowed(config);
    for (int i = 0; i < 5; ++i)
        windowed.recordFailure(0);
    for (int i = 0; i < 5; ++i)
        windowed.recordSuccess(20000);
    QCOMPARE(windowed.state(), BreakerState::Closed);
}

// Closed, a full window, at most half the trip ratio failed (0.25 of 0.5 here).
void TestCircuitBreaker::mostlyAnswering()
{
    BreakerConfig config;
    config.consecutiveFailures = 1000;
    config.failureRatio = 0.5;
    config.minSamples = 20;
    config.windowMs = 10000;
    CircuitBreaker breaker(config);
    for (int i = 0; i < 15; ++i)
        breaker.recordSuccess(i);
    for (int i = 15; i < 19; ++i)
        breaker.recordFailure(i);
    QVERIFY(!breaker.mostlyAnswering()); // 19 samples: not enough to say
    breaker.recordFailure(19);
    QVERIFY(breaker.mostlyAnswering()); // 5 of 20 failed
    breaker.recordFailure(20);
    QVERIFY(!breaker.mostlyAnswering()); // 6 of 21
    for (int i = 21; i < 30; ++i)
        breaker.recordSuccess(i);
    QVERIFY(breaker.mostlyAnswering()); // 6 of 30
    for (int i = 30; i < 55; ++i)
        breaker.recordFailure(i);
    QCOMPARE(breaker.state(), BreakerState::Open);
    QVERIFY(!breaker.mostlyAnswering());
}

void TestCircuitBreaker::runsOfChance_data()
{
    QTest::addColumn<int>("failEvery"); // the history: 101 outcomes, every n-th a failure (0: none)
    QTest::addColumn<int>("run"); // then this many failures in a row
    QTest::addColumn<bool>("opens");
    // 20% independent faults: a run of 5 has chance 0.2^5 = 3e-4, common over hundreds of
    // attempts; 8 (0.2^8 = 2.6e-6) is rare. With no failures before, 5 opens as configured.
    QTest::newRow("no failures before, 5") << 0 << 5 << true;
    QTest::newRow("20% before, 5") << 5 << 5 << false;
    QTest::newRow("20% before, 7") << 5 << 7 << false;
    QTest::newRow("20% before, 8") << 5 << 8 << true;
    QTest::newRow("5% before, 5") << 20 << 5 << true;
    QTest::newRow("10% before, 5") << 10 << 5 << true;
    QTest::newRow("14% before, 5") << 7 << 5 << false;
    QTest::newRow("14% before, 6") << 7 << 6 << true;
    QTest::newRow("33% before, 10") << 3 << 10 << false;
    QTest::newRow("33% before, 11") << 3 << 11 << true;
    QTest::newRow("50% before: at most 3x, 15") << 2 << 15 << true;
}

void TestCircuitBreaker::runsOfChance()
{
    QFETCH(int, failEvery);
    QFETCH(int, run);
    QFETCH(bool, opens);
    BreakerConfig config; // 5 in a row, >= 20 in 30 s
    config.failureRatio = 0.9; // the ratio stays out of the way
    CircuitBreaker breaker(config);
    for (int i = 1; i <= 100; ++i) {
        if (failEvery > 0 && i % failEvery == 0)
            breaker.recordFailure(i);
        else
            breaker.recordSuccess(i);
    }
    breaker.recordSuccess(101); // the run starts after a success
    QCOMPARE(breaker.state(), BreakerState::Closed);
    for (int i = 0; i < run - 1; ++i)
        breaker.recordFailure(200 + i);
    QCOMPARE(breaker.state(), BreakerState::Closed);
    breaker.recordFailure(300);
    QCOMPARE(breaker.state(), opens ? BreakerState::Open : BreakerState::Closed);
}

void TestCircuitBreaker::chanceRunLength_data()
{
    QTest::addColumn<int>("failEvery"); // 100 outcomes, every n-th a failure (0: none)
    QTest::addColumn<int>("length");
    // The window's own share p: the first run with p^k <= 1e-5, from 5 to 15; 0 unless the
    // endpoint mostly answers (at most half of the 0.5 trip ratio failing).
    QTest::newRow("no failures: the configured run") << 0 << 5;
    QTest::newRow("5%: the configured run") << 20 << 5;
    QTest::newRow("20%: 8 (0.2^8 = 2.6e-6)") << 5 << 8;
    QTest::newRow("25%: 9") << 4 << 9;
    QTest::newRow("33%: not mostly answering") << 3 << 0;
}

void TestCircuitBreaker::chanceRunLength()
{
    QFETCH(int, failEvery);
    QFETCH(int, length);
    BreakerConfig config; // 5 in a row, ratio 0.5, >= 20 in 30 s
    CircuitBreaker breaker(config);
    QCOMPARE(breaker.chanceRunLength(), 0); // an empty window says nothing
    for (int i = 1; i <= 100; ++i) {
        if (failEvery > 0 && i % failEvery == 0)
            breaker.recordFailure(i);
        else
            breaker.recordSuccess(i);
    }
    QCOMPARE(breaker.state(), BreakerState::Closed);
    QCOMPARE(breaker.chanceRunLength(), length);
}

void TestCircuitBreaker::countsAsFailure_data()
{
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<bool>("counts");
    QTest::newRow("5xx") << ErrorClass::ServerError << true;
    QTest::newRow("reset") << ErrorClass::Network << true;
    QTest::newRow("timeout") << ErrorClass::Timeout << true;
    QTest::newRow("malformed") << ErrorClass::MalformedResponse << true;
    QTest::newRow("429 quota") << ErrorClass::RateLimited << false;
    QTest::newRow("4xx") << ErrorClass::BadRequest << false;
    QTest::newRow("auth") << ErrorClass::Authentication << false;
    QTest::newRow("success") << ErrorClass::None << false;
}

void TestCircuitBreaker::countsAsFailure()
{
    QFETCH(ErrorClass, cls);
    QFETCH(bool, counts);
    QCOMPARE(breakerCountsAsFailure(cls), counts);
}

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
