#include "enginetestsupport.h"

#include "core/client/apicall.h"
#include "core/client/tokencounter.h"
#include "core/wire/costmodel.h"
#include "core/wire/deferredcompletion.h"
#include "core/wire/responsesresponse.h"
#include "core/wire/tokenizetext.h"

#include <QSignalSpy>
#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

// Responses and deferred completions through the one client path, over TCP against the
// simulator: pacing, attempts, retries, classification and outcomes as for chat.
class TestEngineResponses final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void plainSucceeds();
    void streamSucceeds();
    void streamFaults_data();
    void streamFaults();
    void conversationBillsHistory();
    void unknownPreviousIdIsFinal();
    void deferredSubmitThenPollOnce();
    void callRefusesPlainHttpElsewhere();
    void exactTokensCountOncePerText();

private:
    static ResponsesRequest simpleResponses(const QString &text = u"hello"_s);
    static ApiReply callAndWait(ApiCall *call);
    std::unique_ptr<sim::SimServer> m_sim;
};

ResponsesRequest TestEngineResponses::simpleResponses(const QString &text)
{
    ResponsesRequest r;
    r.model = u"grok-4"_s;
    r.inputText = text;
    r.maxOutputTokens = 64;
    return r;
}

ApiReply TestEngineResponses::callAndWait(ApiCall *call)
{
    QSignalSpy spy(call, &ApiCall::finished);
    if (!spy.wait(5000))
        return ApiReply { 0, {}, Error { ErrorClass::Timeout, 0, {}, u"no answer"_s }, false, -1 };
    return spy.first().first().value<ApiReply>();
}

void TestEngineResponses::initTestCase()
{
    qRegisterMetaType<ApiReply>();
    m_sim = std::make_unique<sim::SimServer>();
    QJsonObject scenario = quietScenario();
    scenario.insert(u"deferred"_s, QJsonObject { { u"ready_ms"_s, 300 } });
    QString error;
    QVERIFY2(m_sim->setScenarioJson(scenario, &error), qPrintable(error));
    QVERIFY(m_sim->listen(0));
}

void TestEngineResponses::plainSucceeds()
{
    Client client(fastConfig(m_sim->baseUrl()));
    const Outcome o = waitFor(client.submit(simpleResponses()));
    QCOMPARE(jobStatusName(o.status), u"succeeded"_s);
    QCOMPARE(o.attempts, 1);
    QVERIFY(!o.response.text().isEmpty());
    QVERIFY(o.response.usage.present);
    QVERIFY(o.response.usage.promptTokens > 0);
    QVERIFY(o.response.usage.costInUsdTicks.has_value());
    const Cost cost = CostModel::costOf(o.response.usage, o.response.model);
    QVERIFY(!cost.estimated); // the server's own figure
    QString error;
    const auto body = parseResponsesResponse(o.responseBody, &error);
    QVERIFY2(body.has_value(), qPrintable(error)); // the body is the Responses object as sent
    QCOMPARE(body->text, o.response.text());
    QVERIFY(body->id.startsWith(u"resp"_s) || !body->id.isEmpty());
}

void TestEngineResponses::streamSucceeds()
{
    Client client(fastConfig(m_sim->baseUrl()));
    RequestOptions options;
    options.stream = true;
    RequestJob *job = client.submit(simpleResponses(), options);
    QString deltas;
    int count = 0;
    connect(job, &RequestJob::streamDelta, this, [&](const QString &content, const QString &) {
        deltas += content;
        ++count;
    });
    const Outcome o = waitFor(job);
    QCOMPARE(jobStatusName(o.status), u"succeeded"_s);
    QVERIFY(count > 3);
    QCOMPARE(o.response.text(), deltas);
    QVERIFY(o.response.usage.present);
    QVERIFY(o.response.usage.costInUsdTicks.has_value());
    QString error;
    const auto body = parseResponsesResponse(o.responseBody, &error);
    QVERIFY2(body.has_value(), qPrintable(error));
    QCOMPARE(body->text, deltas);
    QCOMPARE(body->usage.totalTokens, o.response.usage.totalTokens);
    QCOMPARE(body->usage.costInUsdTicks, o.response.usage.costInUsdTicks);
}

void TestEngineResponses::streamFaults_data()
{
    QTest::addColumn<QJsonObject>("fault");
    QTest::addColumn<QString>("status");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("says");
    QTest::newRow("cut before output: retried")
        << fault(u"cut_mid_stream"_s, { { u"after_chunks"_s, 0 } }) << u"succeeded"_s << 2 << QString();
    QTest::newRow("cut after output: interrupted")
        << fault(u"cut_mid_stream"_s, { { u"after_chunks"_s, 4 } }) << u"interrupted"_s << 1 << u"stream"_s;
    QTest::newRow("error event before output: retried")
        << fault(u"stream_error_event"_s, { { u"after_chunks"_s, 0 } }) << u"succeeded"_s << 2 << QString();
    QTest::newRow("error event after output: interrupted")
        << fault(u"stream_error_event"_s, { { u"after_chunks"_s, 4 } }) << u"interrupted"_s << 1
        << u"internal error occurred"_s;
    QTest::newRow("503 before stream: retried")
        << fault(u"status"_s, { { u"status"_s, 503 } }) << u"succeeded"_s << 2 << QString();
    QTest::newRow("429 before stream: retried")
        << fault(u"status"_s, { { u"status"_s, 429 } }) << u"succeeded"_s << 2 << QString();
}

void TestEngineResponses::streamFaults()
{
    QFETCH(QJsonObject, fault);
    QFETCH(QString, status);
    QFETCH(int, attempts);
    QFETCH(QString, says);
    QString error;
    QVERIFY2(m_sim->enqueueFaults(QJsonArray { fault }, &error), qPrintable(error));
    Client client(fastConfig(m_sim->baseUrl()));
    RequestOptions options;
    options.stream = true;
    RequestJob *job = client.submit(simpleResponses(), options);
    QString deltas;
    connect(job, &RequestJob::streamDelta, this,
            [&](const QString &content, const QString &) { deltas += content; });
    const Outcome o = waitFor(job);
    QCOMPARE(jobStatusName(o.status), status);
    QCOMPARE(o.attempts, attempts);
    if (status == u"interrupted"_s) {
        QVERIFY(!o.partialText.isEmpty());
        QCOMPARE(o.partialText, deltas);
        QVERIFY2(o.error.message.contains(says), qPrintable(o.error.message));
    } else {
        QCOMPARE(o.response.text(), deltas);
        QVERIFY(!deltas.isEmpty());
    }
}

// A follow-up by previous_response_id sends only the new turn, the server bills the history.
void TestEngineResponses::conversationBillsHistory()
{
    Client client(fastConfig(m_sim->baseUrl()));
    ResponsesRequest first = simpleResponses(u"Name three prime numbers."_s);
    first.store = true;
    const Outcome a = waitFor(client.submit(first));
    QCOMPARE(jobStatusName(a.status), u"succeeded"_s);
    ResponsesRequest next = simpleResponses(u"And two more."_s);
    next.previousResponseId = a.response.id;
    RequestJob *job = client.submit(next);
    QVERIFY(!job->request().messages.isEmpty());
    const Outcome b = waitFor(job);
    QCOMPARE(jobStatusName(b.status), u"succeeded"_s);
    QVERIFY2(b.response.usage.promptTokens
                 > a.response.usage.promptTokens + a.response.usage.completionTokens,
             qPrintable(u"%1 vs %2"_s.arg(b.response.usage.promptTokens).arg(a.response.usage.promptTokens)));
}

void TestEngineResponses::unknownPreviousIdIsFinal()
{
    Client client(fastConfig(m_sim->baseUrl()));
    ResponsesRequest r = simpleResponses();
    r.previousResponseId = u"resp_never_made"_s;
    const Outcome o = waitFor(client.submit(r));
    QCOMPARE(jobStatusName(o.status), u"failed"_s);
    QCOMPARE(o.attempts, 1);
    QCOMPARE(o.httpStatus, 404);
}

void TestEngineResponses::deferredSubmitThenPollOnce()
{
    Client client(fastConfig(m_sim->baseUrl()));
    const Outcome o = waitFor(client.submitDeferred(simpleRequest()));
    QCOMPARE(jobStatusName(o.status), u"succeeded"_s);
    const QString requestId = o.response.id;
    QVERIFY(!requestId.isEmpty());
    const QString path = u"chat/deferred-completion/"_s + requestId;
    ApiReply reply = callAndWait(client.call("GET", path));
    QCOMPARE(reply.httpStatus, 202); // not ready yet (ready_ms 300)
    QCOMPARE(readDeferredPoll(reply.httpStatus, reply.body).state, DeferredPoll::State::Pending);
    const auto pollUntilReady = [&] { // QTRY evaluates its condition once more at the end
        if (reply.httpStatus == 202)
            reply = callAndWait(client.call("GET", path));
        return reply.httpStatus != 202;
    };
    QTRY_VERIFY_WITH_TIMEOUT(pollUntilReady(), 5000);
    const DeferredPoll ready = readDeferredPoll(reply.httpStatus, reply.body);
    QCOMPARE(ready.state, DeferredPoll::State::Ready);
    QVERIFY(!ready.response.text().isEmpty());
    reply = callAndWait(client.call("GET", path)); // once: then it is gone
    QCOMPARE(reply.httpStatus, 404);
    QCOMPARE(readDeferredPoll(reply.httpStatus, reply.body).state, DeferredPoll::State::Gone);
    QVERIFY(!reply.retriable);
}

void TestEngineResponses::callRefusesPlainHttpElsewhere()
{
    ClientConfig config = fastConfig(QUrl(u"http://api.example.invalid/v1"_s));
    Client client(config);
    ApiCall *call = client.call("POST", u"batches"_s, "{}");
    const ApiReply reply = callAndWait(call);
    QCOMPARE(reply.error.errorClass, ErrorClass::Tls);
    QCOMPARE(reply.httpStatus, 0);
    QVERIFY(!reply.error.message.contains(config.apiKey));
}

// With exact tokens each distinct prompt is counted once by POST /tokenize-text and that
// count (plus framing and max output) is what pacing reads, for chat and Responses alike.
void TestEngineResponses::exactTokensCountOncePerText()
{
    Client client(fastConfig(m_sim->baseUrl()));
    client.setExactTokens(true);
    const QString text = u"Count the tokens of this prompt exactly, please."_s;
    const ApiReply direct
        = callAndWait(client.call("POST", u"tokenize-text"_s, TokenizeText::requestBody(u"grok-4"_s, text)));
    const std::optional<qint64> counted = TokenizeText::parseTokenCount(direct.body, nullptr);
    QVERIFY(counted.has_value());
    QList<RequestJob *> jobs;
    for (int i = 0; i < 3; ++i)
        jobs.append(client.submit(simpleRequest(text)));
    jobs.append(client.submit(simpleResponses(text)));
    jobs.append(client.submit(simpleRequest(u"another prompt"_s)));
    for (RequestJob *job : jobs)
        job->setAutoDelete(false); // this test reads them after they finished
    for (RequestJob *job : jobs) {
        QCOMPARE(jobStatusName(waitFor(job).status), u"succeeded"_s);
    }
    const qint64 framing = 4 + 3 + 64; // one message, the reply primer, max output
    QCOMPARE(jobs.first()->estimatedTokens(), *counted + framing);
    QCOMPARE(jobs.at(3)->estimatedTokens(), *counted + framing); // the Responses job too
    const TokenCounter *tokens = client.tokenCounter();
    QVERIFY(tokens);
    QCOMPARE(tokens->calls(), 2); // two distinct texts
    QCOMPARE(tokens->cacheHits(), 3);
    QCOMPARE(tokens->failures(), 0);
    qDeleteAll(jobs);

    // Two messages: the count of their joined text, not the characters / 4 estimate.
    ChatRequest two = simpleRequest(u"abcd"_s);
    two.messages.prepend(ChatMessage { u"system"_s, u"abcd"_s });
    RequestJob *job = client.submit(two);
    job->setAutoDelete(false);
    QCOMPARE(jobStatusName(waitFor(job).status), u"succeeded"_s);
    const qint64 estimate = two.estimatePromptTokens() + 64;
    QCOMPARE(job->estimatedTokens(), 3 + 2 * 4 + 3 + 64); // "abcd\nabcd" is 3 tokens to the simulator
    QVERIFY(job->estimatedTokens() != estimate);
    delete job;
}

QTEST_GUILESS_MAIN(TestEngineResponses)
#include "tst_engine_responses.moc"
