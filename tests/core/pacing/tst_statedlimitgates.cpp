#include "core/pacing/refusalshare.h"
#include "core/pacing/statedlimitgates.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestStatedLimitGates final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pacesAtTheStatedRate_data();
    void pacesAtTheStatedRate();
    void tokenBurstGrowsToTheRequest();
    void refusedAgainHalvesTheBurst();
    void refundsAndSettlements();
    void statesRatesAndCeiling();
    void refusalShare_data();
    void refusalShare();
};

void TestStatedLimitGates::pacesAtTheStatedRate_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("tokens");
    QTest::addColumn<int>("admissionsIn10s"); // sending whenever allowed, from the 429 on
    QTest::newRow("10 rps") << u"Requests per Second (actual/limit): 11/10"_s << qint64(0) << 99;
    QTest::newRow("2 rps, 60 rpm (the minute binds)")
        << u"Requests per Second (actual/limit): 2/2, Requests per Minute (actual/limit): 73/60."_s
        << qint64(0) << 9;
    QTest::newRow("6000 tpm, 200-token requests")
        << u"Tokens per Minute (actual/limit): 6200/6000"_s << qint64(200) << 4;
    QTest::newRow("openai rpm") << u"on requests per min (RPM): Limit 120, Used 120, Requested 1."_s
                                << qint64(0) << 19;
}

void TestStatedLimitGates::pacesAtTheStatedRate()
{
    QFETCH(QString, message);
    QFETCH(qint64, tokens);
    QFETCH(int, admissionsIn10s);
    StatedLimitGates gates;
    QVERIFY(gates.apply(parseStatedLimits(message), 0));
    int admitted = 0;
    for (qint64 now = 0; now <= 10000; ++now) {
        while (gates.waitMs(now, tokens, nullptr) == 0) {
            gates.recordAdmission(now, tokens);
            ++admitted;
        }
    }
    // The window the 429 counted is full: nothing at once, then the stated rate (1% under).
    QVERIFY2(std::abs(admitted - admissionsIn10s) <= 1, qPrintable(QString::number(admitted)));
}

void TestStatedLimitGates::tokenBurstGrowsToTheRequest()
{
    StatedLimitGates gates;
    gates.apply(parseStatedLimits(u"Tokens per Minute (actual/limit): 16100/16000"_s), 0);
    // 5,000 tokens: larger than a second's worth, but within the limit: it waits for its size.
    QString reason;
    const qint64 wait = gates.waitMs(0, 5000, &reason);
    QCOMPARE(reason, u"stated-tpm"_s);
    QVERIFY2(wait > 18000 && wait < 19500, qPrintable(QString::number(wait))); // 5000 / (16000/60 x 0.99)
    QCOMPARE(gates.waitMs(wait, 5000, nullptr), 0);
    gates.recordAdmission(wait, 5000);
    // A refused one is refunded but the 429 says the window is full again: it waits anew.
    gates.refundAdmission(wait + 50, 5000);
    gates.apply(parseStatedLimits(u"Tokens per Minute (actual/limit): 21000/16000"_s), wait + 50);
    QVERIFY(gates.waitMs(wait + 50, 5000, nullptr) > 18000);
}

void TestStatedLimitGates::refusedAgainHalvesTheBurst()
{
    StatedLimitGates gates;
    const auto limits = parseStatedLimits(u"Requests per Minute (actual/limit): 601/600"_s);
    gates.apply(limits, 0);
    // A second's worth of burst (10) after a quiet minute...
    QCOMPARE(gates.waitMs(60000, 0, nullptr), 0);
    int burst = 0;
    while (gates.waitMs(60000, 0, nullptr) == 0) {
        gates.recordAdmission(60000, 0);
        ++burst;
    }
    QCOMPARE(burst, 10);
    // ...halves when the server refuses again under the same limit.
    QVERIFY(!gates.apply(limits, 60001));
    burst = 0;
    while (gates.waitMs(120000, 0, nullptr) == 0) {
        gates.recordAdmission(120000, 0);
        ++burst;
    }
    QCOMPARE(burst, 5);
    gates.noteRefused(120000);
    QVERIFY(gates.waitMs(120000, 0, nullptr) > 0);
}

void TestStatedLimitGates::refundsAndSettlements()
{
    StatedLimitGates gates;
    gates.apply(parseStatedLimits(u"Tokens per Minute (actual/limit): 60/6000"_s), 0); // room left: 99%
    QCOMPARE(gates.waitMs(0, 90, nullptr), 0);
    gates.recordAdmission(0, 90);
    QVERIFY(gates.waitMs(0, 90, nullptr) > 0);
    gates.settleTokens(0, -90); // billed nothing
    QCOMPARE(gates.waitMs(0, 90, nullptr), 0);
    gates.recordAdmission(0, 90);
    gates.settleTokens(0, 500); // billed far more than reserved: a debt to repay
    QVERIFY(gates.waitMs(0, 1, nullptr) > 4500); // ~492 tokens at 99 tokens/s
}

void TestStatedLimitGates::statesRatesAndCeiling()
{
    StatedLimitGates gates;
    QVERIFY(gates.isEmpty());
    QVERIFY(!gates.requestsPerSecond());
    gates.apply(
        parseStatedLimits(u"Requests per Second (actual/limit): 2/2, Requests per Minute (actual/limit): "
                          "73/60. Tokens per Minute (actual/limit): 1/16000"_s),
        0);
    QVERIFY(gates.limitsRequests());
    QCOMPARE(*gates.requestsPerSecond(), 1.0);
    QCOMPARE(*gates.tokensPerMinute(), 16000.0);
    QCOMPARE(*gates.tokenLimit(), 16000);
    QVERIFY(gates.apply(parseStatedLimits(u"Tokens per Minute (actual/limit): 9000/8000"_s), 10));
    QCOMPARE(*gates.tokenLimit(), 8000);
}

void TestStatedLimitGates::refusalShare_data()
{
    QTest::addColumn<int>("responses"); // over 1 s
    QTest::addColumn<int>("refusals");
    QTest::addColumn<bool>("recurs");
    QTest::newRow("none") << 100 << 0 << false;
    QTest::newRow("a lone 529") << 10 << 1 << false;
    QTest::newRow("2% at random") << 300 << 6 << false;
    QTest::newRow("an overload") << 40 << 10 << true;
    QTest::newRow("two of twenty") << 20 << 2 << true;
}

void TestStatedLimitGates::refusalShare()
{
    QFETCH(int, responses);
    QFETCH(int, refusals);
    QFETCH(bool, recurs);
    RefusalShare share(2000);
    const int every = refusals > 0 ? responses / refusals : 0;
    for (int i = 0; i < responses; ++i)
        share.record(qint64(i) * 1000 / responses, every > 0 && i % every == every - 1);
    QCOMPARE(share.recurs(1000, 2, 0.05), recurs);
    QVERIFY(!share.recurs(5000, 2, 0.05)); // out of the window: forgotten
}

QTEST_APPLESS_MAIN(TestStatedLimitGates)
#include "tst_statedlimitgates.moc"
