// The stated limits remembered across runs: the pure memory (per endpoint, key and model, per
// dimension, expiry), its file (StatedLimitKeeper: corrupt, unwritable, never the key) and the
// first window of remembered gates.
#include "core/pacing/scheduler.h"
#include "core/pacing/statedlimitgates.h"
#include "core/pacing/statedlimitkeeper.h"
#include "core/pacing/statedlimitmemory.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Hour = 3600 * 1000;
constexpr qint64 T0 = 1'800'000'000'000; // wall-clock ms, 2027

const QString Xai = u"https://api.x.ai:443"_s;
const QString KeyA = StatedLimitMemory::keyIdOf(u"xai-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"_s);
const QString KeyB = StatedLimitMemory::keyIdOf(u"xai-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"_s);

QList<StatedLimit> stated(const char *message)
{
    return parseStatedLimits(QString::fromUtf8(message));
}

const char *const Tpm6000 = "Tokens per Minute (actual/limit): 6200/6000";
const char *const Rps10
    = "Requests per Second (actual/limit): 11/10, Requests per Minute (actual/limit): 70/600.";

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void write(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

} // namespace

class TestStatedLimitMemory final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keyIdAndOrigin();
    void recall_data();
    void recall();
    void dimensionsKeepTheirOwnTime();
    void survivesItsFile();
    void garbageIsRefused_data();
    void garbageIsRefused();
    void pruneBoundsTheFile();
    void rememberedGatesSendTheFirstWindow();
    void keeperSeedsAndRecords();
    void keeperWarnsOnACorruptFile();
    void keeperWarnsWhenItCannotWrite();
};

void TestStatedLimitMemory::keyIdAndOrigin()
{
    QCOMPARE(KeyA.size(), 16);
    QVERIFY(KeyA != KeyB);
    QCOMPARE(KeyA, StatedLimitMemory::keyIdOf(u"xai-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"_s));
    // SHA-256("abc") begins ba7816bf8f01cfea (FIPS 180-2, appendix B.1).
    QCOMPARE(StatedLimitMemory::keyIdOf(u"abc"_s), u"ba7816bf8f01cfea"_s);
    QCOMPARE(StatedLimitMemory::originOf(QUrl(u"https://API.x.ai/v1"_s)), Xai);
    QCOMPARE(StatedLimitMemory::originOf(QUrl(u"http://127.0.0.1:8080/v1"_s)), u"http://127.0.0.1:8080"_s);
    QVERIFY(StatedLimitMemory::originOf(QUrl(u"http://127.0.0.1:8081/v1"_s))
            != StatedLimitMemory::originOf(QUrl(u"http://127.0.0.1:8080/v1"_s)));
}

void TestStatedLimitMemory::recall_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addColumn<QString>("keyId");
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("askedAfterMs");
    QTest::addColumn<bool>("recalled");
    const QString m = u"grok-4-0709"_s;
    QTest::newRow("same scope, just now") << Xai << KeyA << m << qint64(0) << true;
    QTest::newRow("same scope, 5 h 59 min") << Xai << KeyA << m << qint64(6 * Hour - 60000) << true;
    QTest::newRow("expired at 6 h") << Xai << KeyA << m << qint64(6 * Hour) << false;
    QTest::newRow("the clock went back") << Xai << KeyA << m << qint64(-1000) << false;
    QTest::newRow("another model") << Xai << KeyA << u"grok-3-mini"_s << qint64(0) << false;
    QTest::newRow("another key") << Xai << KeyB << m << qint64(0) << false;
    QTest::newRow("another endpoint") << u"http://127.0.0.1:8080"_s << KeyA << m << qint64(0) << false;
}

void TestStatedLimitMemory::recall()
{
    QFETCH(QString, origin);
    QFETCH(QString, keyId);
    QFETCH(QString, model);
    QFETCH(qint64, askedAfterMs);
    QFETCH(bool, recalled);
    StatedLimitMemory memory;
    QVERIFY(memory.record({ Xai, KeyA, u"grok-4-0709"_s }, stated(Tpm6000), T0));
    const auto got = memory.recall({ origin, keyId, model }, T0 + askedAfterMs, 6 * Hour);
    QCOMPARE(got.has_value(), recalled);
    if (!recalled)
        return;
    QCOMPARE(got->ageMs, askedAfterMs);
    QCOMPARE(got->limits.size(), 1);
    QCOMPARE(got->limits[0].unit, StatedLimit::Unit::Tokens);
    QCOMPARE(got->limits[0].windowMs, qint64(60000));
    QCOMPARE(got->limits[0].limit, qint64(6000));
    QCOMPARE(got->limits[0].actual, qint64(-1)); // what a window counted is not remembered
}

void TestStatedLimitMemory::dimensionsKeepTheirOwnTime()
{
    StatedLimitMemory memory;
    const StatedLimitScope scope { Xai, KeyA, u"grok-4-0709"_s };
    memory.record(scope, stated(Rps10), T0);
    QVERIFY(memory.record(scope, stated(Tpm6000), T0 + 4 * Hour)); // a new dimension
    QVERIFY(!memory.record(scope, stated(Tpm6000), T0 + 4 * Hour)); // the same again: restamped only
    QVERIFY(memory.record(scope, stated("Tokens per Minute (actual/limit): 16100/16000"), T0 + 4 * Hour));
    auto got = memory.recall(scope, T0 + 5 * Hour, 6 * Hour);
    QVERIFY(got);
    QCOMPARE(got->limits.size(), 3); // RPS, RPM, TPM
    QCOMPARE(got->ageMs, 5 * Hour); // the oldest of them
    got = memory.recall(scope, T0 + 7 * Hour, 6 * Hour); // the request limits expired, the tokens not
    QVERIFY(got);
    QCOMPARE(got->limits.size(), 1);
    QCOMPARE(got->limits[0].limit, qint64(16000));
    QCOMPARE(got->ageMs, 3 * Hour);
    QCOMPARE(memory.recallAll(Xai, KeyA, T0 + 5 * Hour, 6 * Hour).size(), 1);
    QVERIFY(memory.recallAll(Xai, KeyB, T0 + 5 * Hour, 6 * Hour).isEmpty());
}

void TestStatedLimitMemory::survivesItsFile()
{
    StatedLimitMemory memory;
    memory.record({ Xai, KeyA, u"grok-4-0709"_s }, stated(Tpm6000), T0);
    memory.record({ Xai, KeyA, u"grok-3-mini"_s }, stated(Rps10), T0 + 1000);
    QString error;
    const auto back = StatedLimitMemory::fromJson(memory.toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    const auto all = back->recallAll(Xai, KeyA, T0 + 2000, 6 * Hour);
    QCOMPARE(all.size(), 2);
    QCOMPARE(all[0].model, u"grok-3-mini"_s);
    QCOMPARE(all[0].limits.size(), 2);
    QCOMPARE(all[1].limits[0].limit, qint64(6000));
    // A newer file merged in wins per dimension; an older one does not.
    StatedLimitMemory older, newer;
    older.record({ Xai, KeyA, u"grok-4-0709"_s }, stated("Tokens per Minute (actual/limit): 1/1000"), T0 - 1);
    newer.record({ Xai, KeyA, u"grok-4-0709"_s }, stated("Tokens per Minute (actual/limit): 1/9000"), T0 + 1);
    StatedLimitMemory merged = *back;
    merged.merge(older);
    QCOMPARE(merged.recall({ Xai, KeyA, u"grok-4-0709"_s }, T0 + 2, Hour)->limits[0].limit, qint64(6000));
    merged.merge(newer);
    QCOMPARE(merged.recall({ Xai, KeyA, u"grok-4-0709"_s }, T0 + 2, Hour)->limits[0].limit, qint64(9000));
}

void TestStatedLimitMemory::garbageIsRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("readable");
    QTest::addColumn<int>("models");
    QTest::newRow("empty") << QByteArray() << false << 0;
    QTest::newRow("binary") << QByteArray("\x00\xff\x13garbage", 10) << false << 0;
    QTest::newRow("truncated") << QByteArray(R"({"version":1,"stated_limits":[{"origin")") << false << 0;
    QTest::newRow("an array") << QByteArray("[1,2,3]") << false << 0;
    QTest::newRow("another version") << QByteArray(R"({"version":2,"stated_limits":[]})") << false << 0;
    QTest::newRow("fields out of range are skipped") << QByteArray(R"({"version":1,"stated_limits":[
             {"origin":"https://api.x.ai:443","key_id":"k","model":"a","limits":[
               {"unit":"tokens","window_ms":60000,"limit":-5,"stated_at_ms":1},
               {"unit":"bytes","window_ms":60000,"limit":5,"stated_at_ms":1},
               {"unit":"tokens","window_ms":0,"limit":5,"stated_at_ms":1},
               {"unit":"tokens","window_ms":60000,"limit":1e300,"stated_at_ms":1}]},
             {"origin":"https://api.x.ai:443","key_id":"k","model":"b","limits":[
               {"unit":"requests","window_ms":1000,"limit":2,"stated_at_ms":1800000000000}]},
             "not an object", 7]})") << true << 1;
}

void TestStatedLimitMemory::garbageIsRefused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, readable);
    QFETCH(int, models);
    QString error;
    const auto memory = StatedLimitMemory::fromJson(bytes, &error);
    QCOMPARE(memory.has_value(), readable);
    QCOMPARE(error.isEmpty(), readable);
    if (memory)
        QCOMPARE(memory->recallAll(Xai, u"k"_s, T0, 24 * Hour).size(), models);
}

void TestStatedLimitMemory::pruneBoundsTheFile()
{
    StatedLimitMemory memory;
    for (int i = 0; i < StatedLimitMemory::MaxScopes + 10; ++i)
        memory.record({ Xai, KeyA, u"model-%1"_s.arg(i) }, stated(Tpm6000), T0 + i);
    memory.record({ Xai, KeyB, u"old"_s }, stated(Tpm6000), T0 - StatedLimitMemory::KeptMs - 1);
    memory.prune(T0 + 1000);
    const auto all = memory.recallAll(Xai, KeyA, T0 + 1000, Hour);
    QCOMPARE(all.size(), StatedLimitMemory::MaxScopes);
    QVERIFY(std::none_of(all.cbegin(), all.cend(), [](const auto &r) { return r.model == u"model-0"_s; }));
    QVERIFY(memory.recallAll(Xai, KeyB, T0 + 1000, 30 * 24 * Hour).isEmpty());
}

void TestStatedLimitMemory::rememberedGatesSendTheFirstWindow()
{
    // Remembered: the window is taken as unused, so up to the whole limit goes in the first minute,
    // then the stated rate; told by a 429 of this run, the window is full: the rate from an empty bucket.
    StatedLimitGates remembered, told;
    remembered.remember(stated(Tpm6000), 0, -Hour, 5 * Hour);
    told.apply(stated(Tpm6000), 0);
    QVERIFY(remembered.isRemembered());
    QVERIFY(!told.isRemembered());
    const auto sendFor = [](StatedLimitGates &gates, qint64 untilMs) {
        int admitted = 0;
        for (qint64 now = 0; now <= untilMs; now += 10)
            while (gates.waitMs(now, 200, nullptr) == 0) {
                gates.recordAdmission(now, 200);
                ++admitted;
            }
        return admitted;
    };
    QCOMPARE(sendFor(remembered, 0), 30); // 6000 tokens at once: no more
    QCOMPARE(sendFor(told, 0), 0);
    StatedLimitGates later;
    later.remember(stated(Tpm6000), 0, -Hour, 5 * Hour);
    const int inAMinute = sendFor(later, 60000); // then 99 tokens/s
    QVERIFY2(std::abs(inAMinute - (30 + 29)) <= 1, qPrintable(QString::number(inAMinute)));
    // A 429 of this run overrides the memory.
    remembered.apply(stated("Tokens per Minute (actual/limit): 16100/16000"), 100);
    QVERIFY(!remembered.isRemembered());
    QVERIFY(qFuzzyCompare(remembered.tokensPerMinute().value_or(0.0), 16000.0));
    QVERIFY(!remembered.rememberedExpired(10 * Hour));
    QVERIFY(later.rememberedExpired(5 * Hour));
}

void TestStatedLimitMemory::keeperSeedsAndRecords()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"sub/stated-limits.json"_s);
    const QString secret = u"xai-SECRETSECRETSECRETSECRETSECRETSECRET0123"_s;
    const StatedLimitKeeper::Config config { path, Xai, StatedLimitMemory::keyIdOf(secret), 6 * Hour };
    qint64 wall = T0;
    {
        Scheduler scheduler;
        StatedLimitKeeper keeper(&scheduler, config);
        keeper.setClock([&wall] { return wall; });
        QCOMPARE(keeper.start(), 0); // no file yet
        Q_EMIT scheduler.limitStated(u"grok-4-0709"_s, stated(Tpm6000));
    }
    const QByteArray file = readAll(path);
    QVERIFY(file.contains("grok-4-0709"));
    QVERIFY(!file.contains(secret.toUtf8()));
    QVERIFY(!file.contains("SECRET"));
    wall = T0 + 2 * Hour;
    Scheduler scheduler;
    StatedLimitKeeper keeper(&scheduler, config);
    keeper.setClock([&wall] { return wall; });
    QCOMPARE(keeper.start(), 1);
    const PacingState state = scheduler.state();
    QCOMPARE(state.limitSource, LimitSource::StatedByServer);
    QCOMPARE(state.limitTokensPerMinute, 6000.0);
    QVERIFY(state.limitRememberedAgoMs);
    QVERIFY(qAbs(*state.limitRememberedAgoMs - 2 * Hour) < 1000);
    QCOMPARE(describeLimit(state.limitSource, state.limitModel, state.limitRequestsPerSecond,
                           state.limitTokensPerMinute, state.limitRememberedAgoMs),
             u"6000 tokens/min for grok-4-0709 (stated by server; remembered, 2 h ago)"_s);
    QCOMPARE(limitSourceText(state.limitSource, state.limitRememberedAgoMs),
             u"stated by server (remembered, 2 h ago)"_s);
    // Another key at the same endpoint finds nothing; neither does the first key after the expiry.
    Scheduler other;
    StatedLimitKeeper otherKeeper(&other, { path, Xai, KeyB, 6 * Hour });
    otherKeeper.setClock([&wall] { return wall; });
    QCOMPARE(otherKeeper.start(), 0);
    wall = T0 + 6 * Hour;
    Scheduler late;
    StatedLimitKeeper lateKeeper(&late, config);
    lateKeeper.setClock([&wall] { return wall; });
    QCOMPARE(lateKeeper.start(), 0);
    QCOMPARE(late.state().limitSource, LimitSource::None);
}

void TestStatedLimitMemory::keeperWarnsOnACorruptFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"stated-limits.json"_s);
    write(path, QByteArray("{\"version\":1,\"stated_limits\":[{\"origin\"\xff\xfe", 40));
    Scheduler scheduler;
    StatedLimitKeeper keeper(&scheduler, { path, Xai, KeyA, 6 * Hour });
    QSignalSpy warnings(&keeper, &StatedLimitKeeper::warning);
    QCOMPARE(keeper.start(), 0);
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings[0][0].toString().contains(path));
    QCOMPARE(scheduler.state().limitSource, LimitSource::None); // blind, as without a file
    Q_EMIT scheduler.limitStated(u"grok-4-0709"_s, stated(Tpm6000)); // rewritten whole
    QString error;
    QVERIFY2(StatedLimitMemory::fromJson(readAll(path), &error), qPrintable(error));
}

void TestStatedLimitMemory::keeperWarnsWhenItCannotWrite()
{
    QTemporaryDir dir;
    write(dir.filePath(u"file"_s), "x");
    const QString path = dir.filePath(u"file/stated-limits.json"_s); // under a regular file
    Scheduler scheduler;
    StatedLimitKeeper keeper(&scheduler, { path, Xai, KeyA, 6 * Hour });
    QSignalSpy warnings(&keeper, &StatedLimitKeeper::warning);
    QCOMPARE(keeper.start(), 0);
    Q_EMIT scheduler.limitStated(u"grok-4-0709"_s, stated(Tpm6000));
    Q_EMIT scheduler.limitStated(u"grok-4-0709"_s, stated(Tpm6000));
    QCOMPARE(warnings.size(), 1); // said once
    QVERIFY(warnings[0][0].toString().contains(u"cannot be remembered"_s));
}

QTEST_GUILESS_MAIN(TestStatedLimitMemory)
#include "tst_statedlimitmemory.moc"
