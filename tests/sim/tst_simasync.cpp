// The Responses API, deferred completions and the Batch API of the simulator, over real TCP.
#include "core/sim/simserver.h"
#include "tests/sim/simtestclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace gp::sim;
using namespace gp::sim::test;
using namespace Qt::StringLiterals;

class TestSimAsync final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void responsesNonStreaming();
    void responsesStreaming();
    void responsesConversation();
    void responsesValidation_data();
    void responsesValidation();
    void responsesShareChatLimitsAndFaults();
    void deferredLifecycle();
    void deferredSharesChatLimits();
    void deferredExpires();
    void batchLifecycle();
    void batchCancelAndErrors();
    void batchFaults();
    void scenarioFieldsAreValidated_data();
    void scenarioFieldsAreValidated();

private:
    void useScenario(const QByteArray &json);
    SimReply responses(const QByteArray &body) { return m_client->post(u"/v1/responses"_s, body); }
    SimReply postJson(const QString &path, const QJsonObject &body)
    {
        return m_client->post(path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    SimServer m_server;
    std::unique_ptr<SimTestClient> m_client;
};

// Typed events of one streamed body: (event line, data JSON) per event.
static QList<std::pair<QString, QJsonObject>> events(const QByteArray &body)
{
    QList<std::pair<QString, QJsonObject>> out;
    for (const QByteArray &block : body.split('\n') + QList<QByteArray>()) {
        if (block.startsWith("event: "))
            out.append({ QString::fromUtf8(block.mid(7)), {} });
        else if (block.startsWith("data: ") && !out.isEmpty())
            out.last().second = QJsonDocument::fromJson(block.mid(6)).object();
    }
    return out;
}

void TestSimAsync::initTestCase()
{
    QVERIFY(m_server.listen());
    m_client = std::make_unique<SimTestClient>(QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.port())));
}

void TestSimAsync::init()
{
    useScenario(
        R"({"name":"t","batch":{"completion_ms":300,"create_interval_ms":0},"deferred":{"ready_ms":300}})");
}

void TestSimAsync::useScenario(const QByteArray &json)
{
    QString error;
    QVERIFY2(m_server.setScenarioJson(QJsonDocument::fromJson(json).object(), &error), qPrintable(error));
}

void TestSimAsync::responsesNonStreaming()
{
    const SimReply reply
        = responses(R"({"model":"grok-4","input":"Tell me about quotas","instructions":"Be brief."})");
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value(u"object").toString(), u"response"_s);
    QCOMPARE(body.value(u"status").toString(), u"completed"_s);
    QCOMPARE(body.value(u"model").toString(), u"grok-4-0709"_s);
    QVERIFY(body.value(u"id").toString().startsWith(u"resp_"));
    const QJsonObject item = body.value(u"output").toArray().at(0).toObject();
    QCOMPARE(item.value(u"type").toString(), u"message"_s);
    const QString text = item.value(u"content").toArray().at(0).toObject().value(u"text").toString();
    QCOMPARE(text.split(u' ').size(), 24);
    const QJsonObject usage = body.value(u"usage").toObject();
    const int input = usage.value(u"input_tokens").toInt();
    const int output = usage.value(u"output_tokens").toInt();
    const int reasoning = usage.value(u"output_tokens_details").toObject().value(u"reasoning_tokens").toInt();
    QCOMPARE(input, (9 + 1 + 20 + 3) / 4); // instructions and input, joined as chat messages
    QVERIFY(reasoning > 0 && reasoning < output); // grok-4 reasons; reasoning is part of output
    QCOMPARE(usage.value(u"total_tokens").toInt(), input + output);
    QVERIFY(usage.value(u"cost_in_usd_ticks").toInteger() > 0);
}

void TestSimAsync::responsesStreaming()
{
    const SimReply reply = responses(R"({"model":"grok-4","input":"Hi","stream":true})");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), "text/event-stream"_ba);
    const auto list = events(reply.body);
    QVERIFY(list.size() >= 4);
    QCOMPARE(list.first().first, u"response.created"_s);
    QCOMPARE(list.first().second.value(u"response").toObject().value(u"status").toString(), u"in_progress"_s);
    QCOMPARE(list.last().first, u"response.completed"_s);
    QString deltas;
    qint64 sequence = -1;
    for (const auto &[name, data] : list) {
        QCOMPARE(data.value(u"type").toString(), name); // the event line names the type
        QVERIFY(data.value(u"sequence_number").toInteger() > sequence);
        sequence = data.value(u"sequence_number").toInteger();
        if (name == u"response.output_text.delta"_s)
            deltas += data.value(u"delta").toString();
    }
    const QJsonObject final = list.last().second.value(u"response").toObject();
    QCOMPARE(final.value(u"output")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(u"content")
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(u"text")
                 .toString(),
             deltas);
    QVERIFY(final.value(u"usage").toObject().value(u"output_tokens").toInt() > 0);
    QVERIFY(!reply.body.contains("[DONE]"));
}

void TestSimAsync::responsesConversation()
{
    const QJsonObject first = responses(R"({"model":"grok-4","input":"My name is Ada."})").json();
    const QString id = first.value(u"id").toString();
    const int firstInput = first.value(u"usage").toObject().value(u"input_tokens").toInt();
    const SimReply second
        = responses(QByteArray(R"({"model":"grok-4","input":"What is my name?","previous_response_id":")")
                    + id.toUtf8() + "\"}");
    QCOMPARE(second.status, 200);
    QCOMPARE(second.json().value(u"previous_response_id").toString(), id);
    // The whole history is billed again, as xAI says: input grows by the first answer and more.
    QVERIFY(second.json().value(u"usage").toObject().value(u"input_tokens").toInt() > firstInput + 24);
    const SimReply unknown = responses(R"({"input":"x","previous_response_id":"resp_nope"})");
    QCOMPARE(unknown.status, 404);
    const QString unstored
        = responses(R"({"model":"grok-4","input":"x","store":false})").json().value(u"id").toString();
    QCOMPARE(responses(QByteArray(R"({"model":"grok-4","input":"x","previous_response_id":")")
                       + unstored.toUtf8() + "\"}")
                 .status,
             404);
}

void TestSimAsync::responsesValidation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("no input") << R"({"model":"grok-4"})"_ba << 400;
    QTest::newRow("empty input array") << R"({"input":[]})"_ba << 400;
    QTest::newRow("bad role") << R"({"input":[{"role":"robot","content":"x"}]})"_ba << 400;
    QTest::newRow("content number") << R"({"input":[{"role":"user","content":3}]})"_ba << 400;
    QTest::newRow("stream string") << R"({"input":"x","stream":"yes"})"_ba << 400;
    QTest::newRow("not json") << "{"_ba << 400;
    QTest::newRow("unknown model") << R"({"model":"grok-99","input":"x"})"_ba << 404;
    QTest::newRow("no model") << R"({"input":"x"})"_ba << 422;
    QTest::newRow("parts and developer")
        << R"({"model":"grok-4","input":[{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"input_text","text":"Hi"}]}]})"_ba
        << 200;
}

void TestSimAsync::responsesValidation()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const SimReply reply = responses(body);
    QCOMPARE(reply.status, status);
    if (status != 200)
        QVERIFY(!reply.json().value(u"error").toString().isEmpty());
}

void TestSimAsync::responsesShareChatLimitsAndFaults()
{
    useScenario(R"({"name":"t","wording":"xai","limits":{"requests_per_second":1,"burst":1}})");
    QCOMPARE(m_client->chat(SimTestClient::simpleChat()).status, 200);
    const SimReply limited = responses(R"({"model":"grok-4","input":"Hi"})");
    QCOMPARE(limited.status, 429);
    QVERIFY(limited.json().value(u"error").toString().contains(u"Too many requests"));
    useScenario(R"({"name":"t"})");
    m_server.enqueueFaults(
        QJsonDocument::fromJson(
            R"([{"kind":"status","status":503},{"kind":"cut_mid_stream","after_chunks":3}])")
            .array());
    QCOMPARE(responses(R"({"model":"grok-4","input":"Hi"})").status, 503);
    const SimReply cut = responses(R"({"model":"grok-4","input":"Hi","stream":true})");
    const auto list = events(cut.body);
    QVERIFY(!list.isEmpty());
    QCOMPARE(list.first().first, u"response.created"_s);
    QVERIFY(list.last().first != u"response.completed"_s); // cut before the end
}

void TestSimAsync::deferredLifecycle()
{
    QJsonObject chat = SimTestClient::simpleChat(u"Deferred please"_s);
    chat.insert(u"deferred"_s, true);
    const SimReply submitted = m_client->chat(chat);
    QCOMPARE(submitted.status, 200);
    const QString id = submitted.json().value(u"request_id").toString();
    QVERIFY(!id.isEmpty());
    QVERIFY(!submitted.json().contains(u"choices"));
    const QString path = u"/v1/chat/deferred-completion/"_s + id;
    const SimReply pending = m_client->get(path);
    QCOMPARE(pending.status, 202);
    QVERIFY(pending.body.isEmpty());
    SimReply ready;
    const auto poll = [&] { // QTRY evaluates again after success: fetch only until the 200
        if (ready.status != 200)
            ready = m_client->get(path);
        return ready.status;
    };
    QTRY_COMPARE_WITH_TIMEOUT(poll(), 200, 5000);
    QCOMPARE(ready.json().value(u"object").toString(), u"chat.completion"_s);
    QVERIFY(!ready.json().value(u"choices").toArray().isEmpty());
    QCOMPARE(m_client->get(path).status, 404); // once
    QCOMPARE(m_client->get(u"/v1/chat/deferred-completion/nope"_s).status, 404);
}

void TestSimAsync::deferredSharesChatLimits()
{
    useScenario(R"({"name":"t","limits":{"requests_per_second":1,"burst":1}})");
    QJsonObject chat = SimTestClient::simpleChat();
    chat.insert(u"deferred"_s, true);
    QCOMPARE(m_client->chat(chat).status, 200);
    QCOMPARE(m_client->chat(chat).status, 429);
}

void TestSimAsync::deferredExpires()
{
    useScenario(R"({"name":"t","deferred":{"ready_ms":0,"expiry_s":0}})");
    QJsonObject chat = SimTestClient::simpleChat();
    chat.insert(u"deferred"_s, true);
    const QString id = m_client->chat(chat).json().value(u"request_id").toString();
    QCOMPARE(m_client->get(u"/v1/chat/deferred-completion/"_s + id).status, 404);
}

void TestSimAsync::batchLifecycle()
{
    const SimReply created = postJson(u"/v1/batches"_s, { { u"name"_s, u"eval-42"_s } });
    QCOMPARE(created.status, 200);
    const QString id = created.json().value(u"batch_id").toString();
    QVERIFY(id.startsWith(u"batch_"));
    QCOMPARE(created.json().value(u"state").toObject().value(u"num_requests").toInt(), 0);
    const QByteArray add = R"({"batch_requests":[
      {"batch_request_id":"a","batch_request":{"chat_get_completion":{"model":"grok-4","messages":[{"role":"user","content":"2+2?"}]}}},
      {"batch_request_id":"b","batch_request":{"responses":{"model":"grok-3-mini","input":"Shipping took too long."}}},
      {"batch_request_id":"c","batch_request":{"chat_get_completion":{"model":"grok-99","messages":[{"role":"user","content":"x"}]}}},
      {"batch_request_id":"d","batch_request":{"chat_get_completion":{"model":"grok-4","messages":[{"role":"user","content":"3+3?"}]}}},
      {"batch_request_id":"e","batch_request":{"chat_get_completion":{"model":"grok-4","messages":[{"role":"user","content":"4+4?"}]}}}]})"_ba;
    QCOMPARE(m_client->post(u"/v1/batches/"_s + id + u"/requests"_s, add).status, 200);
    const QJsonObject state = m_client->get(u"/v1/batches/"_s + id).json().value(u"state").toObject();
    QCOMPARE(state.value(u"num_requests").toInt(), 5);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_client->get(u"/v1/batches/"_s + id).json().value(u"state").toObject().value(u"num_pending").toInt(),
        0, 5000);
    const QJsonObject done = m_client->get(u"/v1/batches/"_s + id).json().value(u"state").toObject();
    QCOMPARE(done.value(u"num_success").toInt(), 4);
    QCOMPARE(done.value(u"num_error").toInt(), 1);
    // Pages of two: every id exactly once, then no token.
    QSet<QString> seen;
    QString token;
    int pages = 0;
    do {
        const QString query = u"?limit=2"_s + (token.isEmpty() ? QString() : u"&pagination_token="_s + token);
        const QJsonObject page = m_client->get(u"/v1/batches/"_s + id + u"/results"_s + query).json();
        for (const QJsonValue &value : page.value(u"results").toArray()) {
            const QJsonObject result = value.toObject();
            const QString requestId = result.value(u"batch_request_id").toString();
            QVERIFY2(!seen.contains(requestId), qPrintable(requestId));
            seen.insert(requestId);
            const QJsonObject outcome = result.value(u"batch_result").toObject();
            if (requestId == u"c"_s)
                QVERIFY(outcome.value(u"error").toString().contains(u"grok-99"));
            else if (requestId == u"b"_s)
                QCOMPARE(outcome.value(u"response")
                             .toObject()
                             .value(u"responses")
                             .toObject()
                             .value(u"status")
                             .toString(),
                         u"completed"_s);
            else
                QCOMPARE(outcome.value(u"response")
                             .toObject()
                             .value(u"chat_get_completion")
                             .toObject()
                             .value(u"object")
                             .toString(),
                         u"chat.completion"_s);
        }
        token = page.value(u"pagination_token").toString();
        QVERIFY(++pages <= 3);
    } while (!token.isEmpty());
    QCOMPARE(seen, (QSet<QString> { u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s }));
    QCOMPARE(pages, 3);
    // The same request live costs twice as much (batch price factor 0.5).
    const QJsonObject page = m_client->get(u"/v1/batches/"_s + id + u"/results?limit=1000"_s).json();
    qint64 batchTicks = 0;
    for (const QJsonValue &value : page.value(u"results").toArray()) {
        if (value.toObject().value(u"batch_request_id").toString() == u"a"_s)
            batchTicks = value.toObject()
                             .value(u"batch_result")
                             .toObject()
                             .value(u"response")
                             .toObject()
                             .value(u"chat_get_completion")
                             .toObject()
                             .value(u"usage")
                             .toObject()
                             .value(u"cost_in_usd_ticks")
                             .toInteger();
    }
    const QJsonObject live
        = m_client
              ->chat(QJsonDocument::fromJson(
                         R"({"model":"grok-4","messages":[{"role":"user","content":"2+2?"}]})")
                         .object())
              .json();
    const qint64 liveTicks = live.value(u"usage").toObject().value(u"cost_in_usd_ticks").toInteger();
    QVERIFY(liveTicks > 0);
    QVERIFY(qAbs(batchTicks * 2 - liveTicks) <= 1);
}

void TestSimAsync::batchCancelAndErrors()
{
    useScenario(R"({"name":"t","batch":{"completion_ms":60000}})");
    QCOMPARE(m_client->get(u"/v1/batches/batch_missing"_s).status, 404);
    QCOMPARE(m_client->get(u"/v1/batches/batch_missing/results"_s).status, 404);
    const QString id
        = postJson(u"/v1/batches"_s, { { u"name"_s, u"x"_s } }).json().value(u"batch_id").toString();
    QCOMPARE(postJson(u"/v1/batches"_s, { { u"name"_s, u"y"_s } }).status, 429); // one creation per second
    const QString requests = u"/v1/batches/"_s + id + u"/requests"_s;
    QCOMPARE(m_client->post(requests, R"({"batch_requests":[{"batch_request":{}}]})").status, 400);
    QCOMPARE(m_client->post(requests, R"({"nope":1})").status, 400);
    const QByteArray one
        = R"({"batch_requests":[{"batch_request_id":"a","batch_request":{"chat_get_completion":{"model":"grok-4","messages":[{"role":"user","content":"x"}]}}}]})"_ba;
    QCOMPARE(m_client->post(requests, one).status, 200);
    QCOMPARE(m_client->post(requests, one).status, 400); // the same id twice
    const QJsonObject cancelled = m_client->post(u"/v1/batches/"_s + id + u":cancel"_s, {}).json();
    QVERIFY(!cancelled.value(u"cancel_time").toString().isEmpty());
    QCOMPARE(cancelled.value(u"state").toObject().value(u"num_cancelled").toInt(), 1);
    QCOMPARE(cancelled.value(u"state").toObject().value(u"num_pending").toInt(), 0);
    QCOMPARE(m_client->post(requests, R"({"batch_requests":[]})").status, 400); // cancelled: no more
    QCOMPARE(m_client->get(u"/v1/batches/"_s + id + u"/results"_s).json().value(u"results").toArray().size(),
             0);
    QCOMPARE(m_client->post(requests, QByteArray(5 * 1024 * 1024, ' ')).status, 413);
}

void TestSimAsync::batchFaults()
{
    useScenario(
        R"({"name":"t","batch":{"completion_ms":0,"create_interval_ms":0,"repeat_results_page":true,"unknown_result":true,"error_rate":1,"error_message":"boom"}})");
    const QString id
        = postJson(u"/v1/batches"_s, { { u"name"_s, u"x"_s } }).json().value(u"batch_id").toString();
    QCOMPARE(
        m_client
            ->post(
                u"/v1/batches/"_s + id + u"/requests"_s,
                R"({"batch_requests":[{"batch_request_id":"a","batch_request":{"chat_get_completion":{"model":"grok-4","messages":[{"role":"user","content":"x"}]}}}]})")
            .status,
        200);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_client->get(u"/v1/batches/"_s + id).json().value(u"state").toObject().value(u"num_error").toInt(),
        1, 5000);
    const QJsonObject first = m_client->get(u"/v1/batches/"_s + id + u"/results"_s).json();
    const QJsonObject again
        = m_client->get(u"/v1/batches/"_s + id + u"/results?pagination_token=p0"_s).json();
    QCOMPARE(first.value(u"pagination_token").toString(), u"p0"_s);
    QCOMPARE(again.value(u"pagination_token").toString(), u"p0"_s); // the page repeats
    const QJsonArray results = first.value(u"results").toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results.at(0).toObject().value(u"batch_result").toObject().value(u"error").toString(),
             u"boom"_s);
    QCOMPARE(results.at(1).toObject().value(u"batch_request_id").toString(), u"sim-never-added"_s);
}

void TestSimAsync::scenarioFieldsAreValidated_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("batch not object")
        << R"({"batch":3})"_ba << u"scenario field \"batch\" must be an object"_s;
    QTest::newRow("unknown field") << R"({"batch":{"speed":1}})"_ba
                                   << u"scenario field \"batch.speed\" is not a known field"_s;
    QTest::newRow("rate above 1") << R"({"batch":{"error_rate":2}})"_ba
                                  << u"scenario field \"batch.error_rate\" must be a number from 0 to 1"_s;
    QTest::newRow("negative ready") << R"({"deferred":{"ready_ms":-1}})"_ba
                                    << u"scenario field \"deferred.ready_ms\" must be a number"_s;
    QTest::newRow("message number") << R"({"batch":{"error_message":1}})"_ba
                                    << u"scenario field \"batch.error_message\" must be a string"_s;
}

void TestSimAsync::scenarioFieldsAreValidated()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    SimServer server;
    QString reason;
    QVERIFY(!server.setScenarioJson(QJsonDocument::fromJson(json).object(), &reason));
    QVERIFY2(reason.startsWith(error), qPrintable(reason));
}

QTEST_MAIN(TestSimAsync)
#include "tst_simasync.moc"
