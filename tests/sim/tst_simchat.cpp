// Chat completions, models, tokenizer, auth and request validation over real TCP.
#include "core/sim/simserver.h"
#include "tests/sim/simtestclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gp::sim;
using namespace gp::sim::test;

class TestSimChat final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void nonStreamingAnswer();
    void answerIsDeterministic();
    void maxCompletionTokensIsHonored();
    void streamingFormat_data();
    void streamingFormat();
    void auth_data();
    void auth();
    void requiredKey();
    void validation_data();
    void validation();
    void modelsList();
    void tokenize();
    void unknownPathAndMethod();
    void customIdsAreCounted();

private:
    SimServer m_server;
    std::unique_ptr<SimTestClient> m_client;
};

void TestSimChat::initTestCase()
{
    QString error;
    QVERIFY2(m_server.loadScenario(QStringLiteral("steady"), &error), qPrintable(error));
    QVERIFY(m_server.listen());
    QVERIFY(m_server.port() != 0);
    QCOMPARE(m_server.baseUrl().toString(), QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.port()));
    m_client
        = std::make_unique<SimTestClient>(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.port())));
}

void TestSimChat::init()
{
    m_server.setRequiredApiKey(QString());
    m_server.resetStats();
}

void TestSimChat::nonStreamingAnswer()
{
    const SimReply reply = m_client->chat(SimTestClient::simpleChat(QStringLiteral("Tell me about quotas")));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("application/json"));
    QVERIFY(reply.header("x-request-id").startsWith("sim-"));
    const QJsonObject body = reply.json();
    QCOMPARE(body.value(u"object").toString(), QStringLiteral("chat.completion"));
    QCOMPARE(body.value(u"model").toString(), QStringLiteral("grok-4-0709")); // the resolved model
    const QJsonObject choice = body.value(u"choices").toArray().at(0).toObject();
    QCOMPARE(choice.value(u"finish_reason").toString(), QStringLiteral("stop"));
    const QString text = choice.value(u"message").toObject().value(u"content").toString();
    QCOMPARE(text.split(u' ').size(), 24); // steady: 24 words
    const QJsonObject usage = body.value(u"usage").toObject();
    const int prompt = usage.value(u"prompt_tokens").toInt();
    const int completion = usage.value(u"completion_tokens").toInt();
    const int reasoning
        = usage.value(u"completion_tokens_details").toObject().value(u"reasoning_tokens").toInt();
    QCOMPARE(prompt, (20 + 3) / 4); // ceil(characters / 4)
    QCOMPARE(completion, int((text.size() + 3) / 4));
    QVERIFY(reasoning > 0); // grok-4 reasons
    QCOMPARE(usage.value(u"total_tokens").toInt(), prompt + completion + reasoning);
    QCOMPARE(usage.value(u"prompt_tokens_details").toObject().value(u"cached_tokens").toInt(), 0);
    QVERIFY(usage.value(u"cost_in_usd_ticks").toInteger() > 0);

    const SimReply again = m_client->chat(SimTestClient::simpleChat(QStringLiteral("Tell me about quotas")));
    QCOMPARE(again.json()
                 .value(u"usage")
                 .toObject()
                 .value(u"prompt_tokens_details")
                 .toObject()
                 .value(u"cached_tokens")
                 .toInt(),
             prompt); // a repeated prompt is served from the prompt cache
}

void TestSimChat::answerIsDeterministic()
{
    auto textOf = [this](const QString &prompt) {
        return m_client->chat(SimTestClient::simpleChat(prompt))
            .json()
            .value(u"choices")
            .toArray()
            .at(0)
            .toObject()
            .value(u"message")
            .toObject()
            .value(u"content")
            .toString();
    };
    QCOMPARE(textOf(QStringLiteral("a")), textOf(QStringLiteral("a")));
    QVERIFY(textOf(QStringLiteral("a")) != textOf(QStringLiteral("b")));
}

void TestSimChat::maxCompletionTokensIsHonored()
{
    QJsonObject body = SimTestClient::simpleChat();
    body.insert(QStringLiteral("max_completion_tokens"), 5);
    const QJsonObject json = m_client->chat(body).json();
    QVERIFY(json.value(u"usage").toObject().value(u"completion_tokens").toInt() <= 5);
    QCOMPARE(json.value(u"choices").toArray().at(0).toObject().value(u"finish_reason").toString(),
             QStringLiteral("length"));
}

void TestSimChat::streamingFormat_data()
{
    QTest::addColumn<bool>("includeUsage");
    QTest::newRow("with usage") << true;
    QTest::newRow("without usage") << false;
}

void TestSimChat::streamingFormat()
{
    QFETCH(bool, includeUsage);
    QJsonObject body = SimTestClient::simpleChat(QStringLiteral("stream please"), true);
    body.insert(QStringLiteral("stream_options"),
                QJsonObject { { QStringLiteral("include_usage"), includeUsage } });
    const SimReply reply = m_client->chat(body);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("text/event-stream"));
    QVERIFY(reply.body.endsWith("data: [DONE]\n\n"));
    QList<QByteArray> events = reply.body.split('\n');
    events.removeAll(QByteArray());
    QString text;
    QJsonObject usage;
    for (const QByteArray &line : events) {
        QVERIFY2(line.startsWith("data: "), line.constData());
        if (line == "data: [DONE]")
            continue;
        const QJsonObject chunk = QJsonDocument::fromJson(line.mid(6)).object();
        QCOMPARE(chunk.value(u"object").toString(), QStringLiteral("chat.completion.chunk"));
        QCOMPARE(chunk.value(u"model").toString(), QStringLiteral("grok-4-0709"));
        const QJsonArray choices = chunk.value(u"choices").toArray();
        if (choices.isEmpty())
            usage = chunk.value(u"usage").toObject();
        else
            text += choices.at(0).toObject().value(u"delta").toObject().value(u"content").toString();
    }
    QCOMPARE(text.split(u' ').size(), 24);
    QCOMPARE(usage.isEmpty(), !includeUsage);
    if (includeUsage)
        QCOMPARE(usage.value(u"completion_tokens").toInt(), int((text.size() + 3) / 4));
}

void TestSimChat::auth_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("missing") << QByteArray();
    QTest::newRow("empty bearer") << QByteArray("Bearer ");
    QTest::newRow("basic") << QByteArray("Basic dXNlcjpwYXNz");
}

void TestSimChat::auth()
{
    QFETCH(QByteArray, authorization);
    const SimReply reply = m_client->post(QStringLiteral("/v1/chat/completions"),
                                          QJsonDocument(SimTestClient::simpleChat()).toJson(), {},
                                          "application/json", authorization);
    QCOMPARE(reply.status, 401);
    QVERIFY(!reply.json().value(u"code").toString().isEmpty());
    QVERIFY(!reply.json().value(u"error").toString().isEmpty());
    QCOMPARE(m_server.stats().value(u"auth_failures").toInt(), 1);
}

void TestSimChat::requiredKey()
{
    m_server.setRequiredApiKey(QStringLiteral("xai-secret-123"));
    const QByteArray body = QJsonDocument(SimTestClient::simpleChat()).toJson();
    const SimReply wrong = m_client->post(QStringLiteral("/v1/chat/completions"), body, {},
                                          "application/json", "Bearer xai-wrong-456");
    QCOMPARE(wrong.status, 401);
    QVERIFY(!wrong.body.contains("xai-wrong-456")); // never echo a key
    QVERIFY(!wrong.body.contains("xai-secret-123"));
    const SimReply right = m_client->post(QStringLiteral("/v1/chat/completions"), body, {},
                                          "application/json", "Bearer xai-secret-123");
    QCOMPARE(right.status, 200);
    // Real xAI answers a wrong key with 400; a scenario can ask for that.
    SimServer strict;
    QString error;
    QVERIFY(strict.setScenarioJson(QJsonObject { { QStringLiteral("wrong_key_status"), 400 } }, &error));
    strict.setRequiredApiKey(QStringLiteral("xai-secret-123"));
    QVERIFY(strict.listen());
    SimTestClient strictClient(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(strict.port())));
    QCOMPARE(
        strictClient.post(QStringLiteral("/v1/chat/completions"), body, {}, "application/json", "Bearer nope")
            .status,
        400);
    QCOMPARE(
        strictClient.post(QStringLiteral("/v1/chat/completions"), body, {}, "application/json", QByteArray())
            .status,
        401);
}

void TestSimChat::validation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("messagePart");
    const QByteArray json = "application/json";
    const QByteArray msgs = R"("messages":[{"role":"user","content":"hi"}])";
    QTest::newRow("not json") << QByteArray("{nope") << json << 400 << QStringLiteral("JSON");
    QTest::newRow("array body") << QByteArray("[1]") << json << 400 << QStringLiteral("object");
    QTest::newRow("missing model") << ("{" + msgs + "}") << json << 422
                                   << QStringLiteral("missing field `model`");
    QTest::newRow("model not string")
        << ("{\"model\":4," + msgs + "}") << json << 422 << QStringLiteral("model");
    QTest::newRow("temperature hot") << ("{\"model\":\"grok-4\",\"temperature\":\"hot\"," + msgs + "}")
                                     << json << 422 << QStringLiteral("temperature");
    QTest::newRow("temperature range") << ("{\"model\":\"grok-4\",\"temperature\":5," + msgs + "}") << json
                                       << 400 << QStringLiteral("temperature");
    QTest::newRow("no messages") << QByteArray(R"({"model":"grok-4"})") << json << 422
                                 << QStringLiteral("messages");
    QTest::newRow("empty messages") << QByteArray(R"({"model":"grok-4","messages":[]})") << json << 400
                                    << QStringLiteral("at least one");
    QTest::newRow("messages object") << QByteArray(R"({"model":"grok-4","messages":{}})") << json << 422
                                     << QStringLiteral("messages");
    QTest::newRow("bad role") << QByteArray(
        R"({"model":"grok-4","messages":[{"role":"wizard","content":"x"}]})")
                              << json << 422 << QStringLiteral("wizard");
    QTest::newRow("negative max") << ("{\"model\":\"grok-4\",\"max_completion_tokens\":-1," + msgs + "}")
                                  << json << 400 << QStringLiteral("max_completion_tokens");
    QTest::newRow("stream yes") << ("{\"model\":\"grok-4\",\"stream\":\"yes\"," + msgs + "}") << json << 422
                                << QStringLiteral("stream");
    QTest::newRow("unknown model") << ("{\"model\":\"grok-9\"," + msgs + "}") << json << 404
                                   << QStringLiteral(
                                          "The model grok-9 does not exist or your team does not have "
                                          "access to it");
    QTest::newRow("text/plain") << ("{\"model\":\"grok-4\"," + msgs + "}") << QByteArray("text/plain") << 415
                                << QStringLiteral("application/json");
}

void TestSimChat::validation()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, messagePart);
    const SimReply reply = m_client->post(QStringLiteral("/v1/chat/completions"), body, {}, contentType);
    QCOMPARE(reply.status, status);
    QVERIFY(reply.hasHeader("x-request-id"));
    const QJsonObject error = reply.json();
    QVERIFY(!error.value(u"code").toString().isEmpty());
    QVERIFY2(error.value(u"error").toString().contains(messagePart),
             qPrintable(error.value(u"error").toString()));
    QCOMPARE(m_server.stats().value(u"accepted").toInt(), 0);
}

void TestSimChat::modelsList()
{
    const SimReply list = m_client->get(QStringLiteral("/v1/models"));
    QCOMPARE(list.status, 200);
    const QJsonArray data = list.json().value(u"data").toArray();
    QStringList ids;
    for (const QJsonValue &model : data)
        ids.append(model.toObject().value(u"id").toString());
    QVERIFY(ids.contains(u"grok-4-0709"_qs));
    QVERIFY(ids.contains(u"grok-3-mini"_qs));
    const SimReply alias = m_client->get(QStringLiteral("/v1/models/grok-4-latest"));
    QCOMPARE(alias.json().value(u"id").toString(), QStringLiteral("grok-4-0709"));
    QCOMPARE(m_client->get(QStringLiteral("/v1/models/grok-0")).status, 404);
    QCOMPARE(m_client->get(QStringLiteral("/v1/models"), QByteArray()).status, 401);
}

void TestSimChat::tokenize()
{
    const SimReply reply
        = m_client->post(QStringLiteral("/v1/tokenize-text"), R"({"text":"Hello world!","model":"grok-4"})");
    QCOMPARE(reply.status, 200);
    const QJsonArray tokens = reply.json().value(u"token_ids").toArray();
    QCOMPARE(tokens.size(), 3);
    QCOMPARE(tokens.at(0).toObject().value(u"string_token").toString(), QStringLiteral("Hell"));
    QVERIFY(tokens.at(0).toObject().contains(u"token_id"));
    QCOMPARE(m_client->post(QStringLiteral("/v1/tokenize-text"), R"({"model":"grok-4"})").status, 422);
}

void TestSimChat::unknownPathAndMethod()
{
    QCOMPARE(m_client->get(QStringLiteral("/v1/nothing")).status, 404);
    QCOMPARE(m_client->get(QStringLiteral("/v1/chat/completions")).status, 405);
    QCOMPARE(m_client->get(QStringLiteral("/sim/reset")).status, 405);
}

void TestSimChat::customIdsAreCounted()
{
    m_client->chat(SimTestClient::simpleChat(), { { "x-grokpulse-custom-id", "job-1" } });
    m_client->chat(SimTestClient::simpleChat(), { { "x-grokpulse-custom-id", "job-1" } });
    m_client->chat(SimTestClient::simpleChat(), { { "x-grokpulse-custom-id", "job-2" } });
    const QJsonObject ids = m_server.stats().value(u"custom_ids").toObject();
    QCOMPARE(ids.value(u"job-1").toInt(), 2);
    QCOMPARE(ids.value(u"job-2").toInt(), 1);
    QCOMPARE(m_server.stats().value(u"requests").toInt(), 3);
}

QTEST_GUILESS_MAIN(TestSimChat)
#include "tst_simchat.moc"
