#include "core/pacing/pacinggates.h"

#include <QTest>

using namespace gp;

class TestPacingGates final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void waits_data();
    void waits();
    void shareScalesConfiguredLimits();
    void tokenCeiling_data();
    void tokenCeiling();
    void adaptiveOnlyWhenAsked();
    void learnedLimitIsPerModel();
};

void TestPacingGates::waits_data()
{
    QTest::addColumn<double>("rps");
    QTest::addColumn<double>("burst");
    QTest::addColumn<double>("tpm");
    QTest::addColumn<int>("admitted");
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<double>("reserve");
    QTest::addColumn<qint64>("holdUntil");
    QTest::addColumn<qint64>("expectedWait");
    QTest::addColumn<QString>("reason");

    QTest::newRow("nothing configured")
        << 0.0 << 0.0 << 0.0 << 100 << qint64(0) << 0.0 << qint64(0) << qint64(0) << QString();
    QTest::newRow("burst used") << 10.0 << 5.0 << 0.0 << 5 << qint64(0) << 0.0 << qint64(0) << qint64(100)
                                << QStringLiteral("rps");
    QTest::newRow("reserve kept") << 10.0 << 5.0 << 0.0 << 4 << qint64(0) << 0.2 << qint64(0) << qint64(100)
                                  << QStringLiteral("rps");
    QTest::newRow("tokens") << 0.0 << 0.0 << 600.0 << 2 << qint64(300) << 0.0 << qint64(0) << qint64(30000)
                            << QStringLiteral("tpm");
    QTest::newRow("hold after 429") << 10.0 << 5.0 << 0.0 << 0 << qint64(0) << 0.0 << qint64(700)
                                    << qint64(700) << QStringLiteral("hold-429");
}

void TestPacingGates::waits()
{
    QFETCH(double, rps);
    QFETCH(double, burst);
    QFETCH(double, tpm);
    QFETCH(int, admitted);
    QFETCH(qint64, tokens);
    QFETCH(double, reserve);
    QFETCH(qint64, holdUntil);
    QFETCH(qint64, expectedWait);
    QFETCH(QString, reason);
    PacingConfig config;
    config.requestsPerSecond = rps;
    config.requestBurst = burst;
    config.tokensPerMinute = tpm;
    PacingGates gates(config, 0);
    for (int i = 0; i < admitted; ++i)
        gates.recordAdmission(0, tokens);
    gates.holdUntil(holdUntil);
    QString why;
    QCOMPARE(gates.waitMs(0, tokens, reserve, true, &why), expectedWait);
    QCOMPARE(why, reason);
}

void TestPacingGates::shareScalesConfiguredLimits()
{
    PacingConfig config;
    config.requestsPerSecond = 10;
    config.requestBurst = 4;
    PacingGates gates(config, 0);
    gates.applyShare(0.25, 0); // Redis down, 4 instances: 2.5 rps, burst 1
    gates.recordAdmission(0, 0);
    QCOMPARE(gates.waitMs(0, 0, 0.0, true, nullptr), qint64(400));
    gates.applyShare(1.0, 400);
    QCOMPARE(gates.waitMs(400, 0, 0.0, true, nullptr), qint64(0));
}

void TestPacingGates::tokenCeiling_data()
{
    QTest::addColumn<double>("tpm");
    QTest::addColumn<double>("tokenBurst");
    QTest::addColumn<qint64>("serverLimit"); // 0: none reported
    QTest::addColumn<qint64>("ceiling"); // -1: none
    QTest::newRow("unlimited") << 0.0 << 0.0 << qint64(0) << qint64(-1);
    QTest::newRow("configured") << 6000.0 << 0.0 << qint64(0) << qint64(6000);
    QTest::newRow("configured burst") << 6000.0 << 2000.0 << qint64(0) << qint64(2000);
    QTest::newRow("server lower") << 6000.0 << 0.0 << qint64(4000) << qint64(4000);
    QTest::newRow("server only") << 0.0 << 0.0 << qint64(16000) << qint64(16000);
}

void TestPacingGates::tokenCeiling()
{
    QFETCH(double, tpm);
    QFETCH(double, tokenBurst);
    QFETCH(qint64, serverLimit);
    QFETCH(qint64, ceiling);
    PacingConfig config;
    config.tokensPerMinute = tpm;
    config.tokenBurst = tokenBurst;
    PacingGates gates(config, 0);
    if (serverLimit > 0) {
        QuotaSnapshot s;
        s.tokens.limit = serverLimit;
        s.tokens.remaining = serverLimit;
        gates.updateQuota(s, 0, 0, 0);
    }
    QCOMPARE(gates.tokenCeiling().value_or(-1), ceiling);
}

void TestPacingGates::adaptiveOnlyWhenAsked()
{
    PacingGates gates(PacingConfig {}, 0);
    gates.recordResponse(0, true); // no quota headers: slow start at 4 rps
    QCOMPARE(gates.waitMs(0, 0, 0.0, true, nullptr), qint64(0));
    gates.recordAdmission(0, 0);
    gates.recordAdmission(0, 0);
    QString why;
    QVERIFY(gates.waitMs(0, 0, 0.0, true, &why) > 0);
    QCOMPARE(why, QStringLiteral("learned-limit"));
    QCOMPARE(gates.waitMs(0, 0, 0.0, false, nullptr), qint64(0)); // shared: Redis paces instead
    gates.recordSuccess(5);
    QVERIFY(gates.recordRateLimited(10, 8, 0, true));
    QCOMPARE(gates.adaptive().lossEvents(), 1);
    QVERIFY(gates.waitMs(10, 0, 0.0, true, &why) >= gates.adaptive().holdUntilMs() - 10); // at least the hold
}

void TestPacingGates::learnedLimitIsPerModel()
{
    const QString grok4 = QStringLiteral("grok-4");
    const QString mini = QStringLiteral("grok-3-mini");
    PacingGates gates(PacingConfig {}, 0);
    gates.recordResponse(0, true, grok4); // no quota headers: learning starts
    for (qint64 t = 0; t < 2000; t += 50) { // 20 rps of successes for grok-4
        QCOMPARE(gates.waitMs(t, 0, 0.0, true, nullptr, grok4) >= 0, true);
        gates.recordAdmission(t, 0, grok4);
        gates.recordSuccess(t, grok4);
    }
    QVERIFY(gates.recordRateLimited(2000, 1990, 3000, true, grok4)); // a loss, and a 3 s hint
    QCOMPARE(gates.adaptive().lossEvents(), 1);
    QString why;
    QVERIFY(gates.waitMs(2001, 0, 0.0, true, &why, grok4) >= 2999); // grok-4 holds for the hint...
    QCOMPARE(why, QStringLiteral("hold-429"));
    QCOMPARE(gates.waitMs(2001, 0, 0.0, true, &why, mini), qint64(0)); // ...grok-3-mini does not
    gates.recordAdmission(2001, 0, mini); // a slow start of its own: evenly spaced at 4 rps
    QVERIFY(gates.waitMs(2001, 0, 0.0, true, &why, mini) > 0);
    QCOMPARE(why, QStringLiteral("learned-limit"));
    PacingState state;
    gates.fillState(&state, 2001);
    QCOMPARE(state.limitSource, LimitSource::Learned);
    QCOMPARE(state.limitModel, grok4);
}

QTEST_APPLESS_MAIN(TestPacingGates)
#include "tst_pacinggates.moc"
