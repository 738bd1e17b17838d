// Stated limits remembered across runs, end to end: two Engines one after the other against the
// same simulator endpoint (its windows reset between them, as after a pause), sharing one data
// file. The first run pays the first wave (429s until a body states the limit); the second is
// paced by the remembered limit from its first request and is refused nothing. With the memory
// off, the second run pays again.
#include "enginetestsupport.h"

#include "core/engine/engine.h"
#include "core/pacing/scheduler.h"
#include "core/pacing/statedlimitkeeper.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int Requests = 34; // the 6,000-token burst holds ~30 of them
const QString Key = u"xai-memorytestkey-0123456789abcdefghijklmnop"_s;

// The bench's token row: xAI's token wording, no quota headers and no Retry-After, 6,000 tokens
// per minute (requests plentiful), ~200-token requests, answers in 20-80 ms.
QJsonObject tokenBoundXai()
{
    return QJsonObject {
        { u"name"_s, u"xai-tokens"_s },
        { u"wording"_s, u"xai"_s },
        { u"headers"_s, u"none"_s },
        { u"retry_after"_s, u"none"_s },
        { u"retry_after_ms"_s, false },
        { u"limits"_s,
          QJsonObject {
              { u"requests_per_second"_s, 50 }, { u"burst"_s, 50 }, { u"tokens_per_minute"_s, 6000 } } },
        { u"completion"_s, QJsonObject { { u"words"_s, 60 }, { u"chunk_interval_ms"_s, 0 } } },
        { u"latency"_s,
          QJsonObject { { u"distribution"_s, u"uniform"_s }, { u"min_ms"_s, 20 }, { u"max_ms"_s, 80 } } },
    };
}

ChatRequest tokenRequest(int i)
{
    QString prompt = u"Request %1: say something short."_s.arg(i);
    while (prompt.size() < 400)
        prompt += u" Padding to size the prompt."_s;
    ChatRequest r;
    r.model = u"grok-4-0709"_s;
    r.messages = { ChatMessage { u"user"_s, prompt.left(400) } };
    r.maxCompletionTokens = 100;
    return r;
}

int refused(const sim::SimServer &sim)
{
    int count = 0;
    const QJsonObject rejected = sim.stats().value(u"rejected_429"_s).toObject();
    for (auto it = rejected.begin(); it != rejected.end(); ++it)
        count += it.value().toInt();
    return count;
}

int accepted(const sim::SimServer &sim)
{
    return sim.stats().value(u"accepted"_s).toInt();
}

} // namespace

class TestEngineLimitMemory final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void secondRunPaysNoFirstWave();

private:
    // One run: Requests submitted at once; returns when the server accepted all but the last two
    // (past the burst's end, where a blind ramp gets its 429s). `state` gets the pacing at the end.
    void run(bool remember, PacingState *state);

    std::unique_ptr<sim::SimServer> m_sim;
    QTemporaryDir m_dataDir;
};

void TestEngineLimitMemory::initTestCase()
{
    m_sim = std::make_unique<sim::SimServer>();
    QString error;
    QVERIFY2(m_sim->setScenarioJson(tokenBoundXai(), &error), qPrintable(error));
    QVERIFY(m_sim->listen(0));
    QVERIFY(m_dataDir.isValid());
}

void TestEngineLimitMemory::run(bool remember, PacingState *state)
{
    m_sim->resetStats(); // a fresh window at the same endpoint
    EngineConfig config;
    config.client = fastConfig(m_sim->baseUrl());
    config.client.apiKey = Key;
    config.client.maxInFlight = 16;
    config.client.retry.maxAttempts = 5;
    config.telemetry.enabled = false;
    config.limitMemory.enabled = remember;
    config.limitMemory.path = m_dataDir.filePath(u"stated-limits.json"_s);
    Engine engine(config);
    QVERIFY(engine.start().isEmpty());
    for (int i = 0; i < Requests; ++i)
        engine.client()->submit(tokenRequest(i));
    QTRY_VERIFY_WITH_TIMEOUT(accepted(*m_sim) >= Requests - 2, 30000);
    *state = engine.scheduler()->state();
}

void TestEngineLimitMemory::secondRunPaysNoFirstWave()
{
    PacingState state;
    run(true, &state);
    const int coldRefused = refused(*m_sim);
    QVERIFY2(coldRefused >= 1, "the cold run should pay the first wave");
    QVERIFY(!state.limitRememberedAgoMs);
    const QByteArray file = [this] {
        QFile f(m_dataDir.filePath(u"stated-limits.json"_s));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QVERIFY(file.contains("\"limit\": 6000"));
    QVERIFY(file.contains(StatedLimitMemory::keyIdOf(Key).toLatin1()));
    QVERIFY(!file.contains(Key.toLatin1()));
    QVERIFY(!file.contains("memorytestkey"));

    run(true, &state);
    QCOMPARE(refused(*m_sim), 0);
    QCOMPARE(state.limitSource, LimitSource::StatedByServer);
    QVERIFY(state.limitRememberedAgoMs); // no 429 of this run stated it again
    QCOMPARE(state.limitTokensPerMinute.value_or(0.0), 6000.0);

    run(false, &state); // the memory off: blind again
    QVERIFY2(refused(*m_sim) >= 1, "without the memory the first wave comes back");
}

QTEST_GUILESS_MAIN(TestEngineLimitMemory)
#include "tst_engine_limitmemory.moc"
