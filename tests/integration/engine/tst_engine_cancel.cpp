#include "enginetestsupport.h"

#include "core/client/apicall.h"
#include "core/client/credentialprovider.h"
#include "core/pacing/pacer.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

namespace {

// Answers every request for a key with a fixed decision, or never (to test waiting).
class ScriptedCredentials final : public CredentialProvider
{
public:
    enum class Answer { Provide, Decline, Never };
    explicit ScriptedCredentials(Answer answer)
        : m_answer(answer)
    { }
    void requestNewKey(const Error &reason, const QString &source) override
    {
        ++asked;
        lastReason = reason;
        lastSource = source;
        if (m_answer == Answer::Provide)
            Q_EMIT keyProvided(u"good-key-123456"_s, u"dialog"_s);
        else if (m_answer == Answer::Decline)
            Q_EMIT declined();
    }
    int asked = 0;
    Error lastReason;
    QString lastSource;

private:
    Answer m_answer;
};

} // namespace

// Cancellation in every state finishes the job Cancelled exactly once and releases the pacer;
// authentication failures name the key's source and can be fixed through the provider.
class TestEngineCancel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cancelInState_data();
    void cancelInState();
    void cancelAllAndDelete();
    void clientDiesWithCallsInFlight();
    void credentialProvider_data();
    void credentialProvider();
    void eventsNeverHoldTheKey();

private:
    std::unique_ptr<sim::SimServer> m_sim;
};

void TestEngineCancel::init()
{
    m_sim = startSim(u"quiet"_s);
    QVERIFY(m_sim);
}

void TestEngineCancel::cancelInState_data()
{
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("sentBeforeCancel");
    QTest::newRow("queued") << u"queued"_s << 0;
    QTest::newRow("waiting to retry") << u"waiting"_s << 1;
    QTest::newRow("in flight") << u"inflight"_s << 1;
    QTest::newRow("streaming") << u"streaming"_s << 1;
    QTest::newRow("held by breaker") << u"held"_s << 0;
    QTest::newRow("awaiting a new key") << u"credential"_s << 1;
}

void TestEngineCancel::cancelInState()
{
    QFETCH(QString, state);
    QFETCH(int, sentBeforeCancel);

    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.maxInFlight = 1;
    config.breaker.consecutiveFailures = 1;
    config.breaker.cooldownMs = 60000;
    Client client(config);
    ScriptedCredentials never(ScriptedCredentials::Answer::Never);
    client.setCredentialProvider(&never);
    RequestOptions options;
    RequestJob *blocker = nullptr;
    m_sim->resetStats(); // also clears queued faults: do it before scripting them
    if (state == u"queued") {
        m_sim->enqueueFaults(QJsonArray { fault(u"latency"_s, { { u"ms"_s, 3000 } }) });
        blocker = kept(client.submit(simpleRequest())); // holds the only slot
        QSignalSpy started(blocker, &RequestJob::attemptStarted);
        QVERIFY(started.wait(1000));
    } else if (state == u"waiting") {
        m_sim->enqueueFaults(
            QJsonArray { fault(u"status"_s,
                               { { u"status"_s, 503 },
                                 { u"headers"_s, QJsonObject { { u"retry-after-ms"_s, u"5000"_s } } } }) });
    } else if (state == u"inflight") {
        m_sim->enqueueFaults(QJsonArray { fault(u"latency"_s, { { u"ms"_s, 3000 } }) });
    } else if (state == u"streaming") {
        m_sim->enqueueFaults(
            QJsonArray { fault(u"stall_mid_stream"_s, { { u"after_chunks"_s, 3 }, { u"ms"_s, 3000 } }) });
        options.stream = true;
    } else if (state == u"held") {
        m_sim->enqueueFaults(QJsonArray { fault(u"status"_s, { { u"status"_s, 500 } }) });
        RequestOptions once;
        once.maxAttempts = 1;
        QCOMPARE(waitFor(client.submit(simpleRequest(), once)).status, JobStatus::Failed);
        QCOMPARE(client.breakerState(), BreakerState::Open);
    } else if (state == u"credential") {
        m_sim->enqueueFaults(QJsonArray { fault(u"unauthorized"_s) });
    }
    const int baseline = simRequests(*m_sim);

    RequestJob *job = kept(client.submit(simpleRequest(), options));
    QSignalSpy finished(job, &RequestJob::finished);
    QString deltas;
    connect(job, &RequestJob::streamDelta, this, [&](const QString &c, const QString &) { deltas += c; });
    if (state == u"queued")
        QTRY_COMPARE_WITH_TIMEOUT(int(job->stage()), int(RequestJob::Stage::Queued), 500);
    else if (state == u"waiting")
        QVERIFY(QSignalSpy(job, &RequestJob::retryScheduled).wait(1000));
    else if (state == u"inflight")
        QTRY_COMPARE_WITH_TIMEOUT(simRequests(*m_sim), baseline + 1, 1000);
    else if (state == u"streaming")
        QTRY_VERIFY_WITH_TIMEOUT(!deltas.isEmpty(), 1000);
    else if (state == u"held")
        QTRY_COMPARE_WITH_TIMEOUT(int(job->stage()), int(RequestJob::Stage::Holding), 1000);
    else if (state == u"credential")
        QTRY_COMPARE_WITH_TIMEOUT(int(job->stage()), int(RequestJob::Stage::AwaitingCredential), 1000);

    QCOMPARE(finished.size(), 0);
    job->cancel();
    QCOMPARE(finished.size(), 1); // at once, synchronously
    job->cancel(); // a second cancel is a no-op
    const Outcome o = finished.first().first().value<Outcome>();
    QCOMPARE(o.status, JobStatus::Cancelled);
    QCOMPARE(o.error.errorClass, ErrorClass::Cancelled);
    QCOMPARE(o.partialText, deltas);
    if (state == u"streaming")
        QVERIFY(!o.partialText.isEmpty());
    QVERIFY(job->isFinished());
    QCOMPARE(simRequests(*m_sim) - baseline, sentBeforeCancel);

    if (blocker)
        blocker->cancel();
    // The pacer got every slot back: nothing queued, nothing in flight.
    QTRY_COMPARE_WITH_TIMEOUT(client.pacer()->state().inFlight, 0, 1000);
    const PacingState ps = client.pacer()->state();
    QCOMPARE(ps.queued[0] + ps.queued[1] + ps.queued[2], 0);
    QCOMPARE(client.activeJobs(), 0);
    QVERIFY(!finished.wait(200)); // and never a second finished()
}

void TestEngineCancel::cancelAllAndDelete()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.maxInFlight = 2;
    Client client(config);
    m_sim->enqueueFaults(QJsonArray { fault(u"latency"_s, { { u"ms"_s, 2000 } }),
                                      fault(u"latency"_s, { { u"ms"_s, 2000 } }) });
    int finishedCount = 0;
    QList<RequestJob *> jobs;
    for (int i = 0; i < 5; ++i) {
        jobs.append(client.submit(simpleRequest()));
        connect(jobs.last(), &RequestJob::finished, this, [&finishedCount] { ++finishedCount; });
    }
    QPointer<RequestJob> doomed = client.submit(simpleRequest());
    delete doomed.data(); // a caller deleting a running job must not break the client
    QTRY_COMPARE_WITH_TIMEOUT(simRequests(*m_sim), 2, 1000);
    client.cancelAll();
    QCOMPARE(finishedCount, 5);
    for (RequestJob *job : jobs) // finished synchronously: deleted only at the next event-loop turn
        QCOMPARE(job->outcome().status, JobStatus::Cancelled);
    QCOMPARE(client.activeJobs(), 0);
    // the client still works afterwards
    QCOMPARE(waitFor(client.submit(simpleRequest())).status, JobStatus::Succeeded);
}

// A client destroyed while API calls (batch, deferred, tokenize) are on the wire: the calls die
// with it, before the network managers they were sent on, silently like its jobs (a reply aborted
// after its manager is gone crashed `grokpulse batch --via xai-batch` on SIGINT).
void TestEngineCancel::clientDiesWithCallsInFlight()
{
    QTcpServer silent; // accepts and never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    int connections = 0;
    connect(&silent, &QTcpServer::newConnection, this, [&connections] { ++connections; });
    auto client
        = std::make_unique<Client>(fastConfig(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()))));
    QList<QPointer<ApiCall>> calls;
    int finished = 0;
    for (int i = 0; i < 3; ++i) {
        calls.append(client->call("GET", u"batches/batch_%1"_s.arg(i)));
        connect(calls.last(), &ApiCall::finished, this, [&finished] { ++finished; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(connections, 3, 5000);
    client.reset();
    for (const QPointer<ApiCall> &call : std::as_const(calls))
        QVERIFY(call.isNull());
    QCOMPARE(finished, 0);
}

void TestEngineCancel::credentialProvider_data()
{
    QTest::addColumn<int>("answer");
    QTest::addColumn<JobStatus>("status");
    QTest::addColumn<int>("attempts");
    QTest::newRow("new key works") << int(ScriptedCredentials::Answer::Provide) << JobStatus::Succeeded << 2;
    QTest::newRow("declined") << int(ScriptedCredentials::Answer::Decline) << JobStatus::Failed << 1;
}

void TestEngineCancel::credentialProvider()
{
    QFETCH(int, answer);
    QFETCH(JobStatus, status);
    QFETCH(int, attempts);
    m_sim->setRequiredApiKey(u"good-key-123456"_s);
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.apiKey = u"bad-key-987654"_s;
    config.apiKeySource = u"XAI_API_KEY"_s;
    Client client(config);
    ScriptedCredentials provider { ScriptedCredentials::Answer(answer) };
    client.setCredentialProvider(&provider);
    const Outcome o = waitFor(client.submit(simpleRequest()));
    QCOMPARE(o.status, status);
    QCOMPARE(o.attempts, attempts);
    QCOMPARE(provider.asked, 1);
    QCOMPARE(provider.lastSource, u"XAI_API_KEY"_s);
    QVERIFY2(provider.lastReason.message.contains(u"XAI_API_KEY"), qPrintable(provider.lastReason.message));
    QVERIFY(!provider.lastReason.message.contains(u"bad-key-987654"));
    if (status == JobStatus::Failed) {
        QCOMPARE(o.error.errorClass, ErrorClass::Authentication);
        QCOMPARE(o.httpStatus, 401);
        QVERIFY(o.error.message.contains(u"XAI_API_KEY"));
    } else {
        QCOMPARE(client.config().apiKeySource, u"dialog"_s);
    }
}

void TestEngineCancel::eventsNeverHoldTheKey()
{
    const QString key = u"secret-key-abcdef"_s;
    m_sim->setRequiredApiKey(u"another-key"_s);
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.apiKey = key;
    Client client(config);
    QList<Event> events;
    connect(&client, &Client::eventEmitted, this, [&](const Event &e) { events.append(e); });
    const Outcome o = waitFor(client.submit(simpleRequest()));
    QCOMPARE(o.error.errorClass, ErrorClass::Authentication);
    QVERIFY(!o.error.message.contains(key));
    QVERIFY(events.size() >= 4);
    QCOMPARE(events.first().kind, EventKind::Submitted);
    QCOMPARE(events.last().kind, EventKind::Failed);
    for (const Event &e : events) {
        QVERIFY(!e.message.contains(key));
        QVERIFY(!e.customId.contains(key));
        QVERIFY(e.timeMs > 1'600'000'000'000LL);
    }
}

QTEST_GUILESS_MAIN(TestEngineCancel)
#include "tst_engine_cancel.moc"
