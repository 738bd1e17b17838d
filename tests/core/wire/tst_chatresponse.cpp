#include "core/wire/chatresponse.h"

#include <QJsonDocument>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestChatResponse final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseChatResponse_data();
    void parseChatResponse();
    void parseChatChunk_data();
    void parseChatChunk();
    void parseUsage_data();
    void parseUsage();
    void everyPrefixOfAResponseIsHandled();
};

// "prompt/completion/reasoning/cached/total/cost" with '-' for an absent cost; "none" when absent.
static QString usageText(const Usage &u)
{
    if (!u.present)
        return u"none"_s;
    return u"%1/%2/%3/%4/%5/%6"_s.arg(u.promptTokens)
        .arg(u.completionTokens)
        .arg(u.reasoningTokens)
        .arg(u.cachedTokens)
        .arg(u.totalTokens)
        .arg(u.costInUsdTicks ? QString::number(*u.costInUsdTicks) : u"-"_s);
}

static const QByteArray FullResponse = R"({
  "id": "3f1c0c9e-1", "object": "chat.completion", "created": 1752000000, "model": "grok-4-0709",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello!",
               "reasoning_content": "The user greets."}, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 335,
            "prompt_tokens_details": {"cached_tokens": 8, "text_tokens": 12},
            "completion_tokens_details": {"reasoning_tokens": 320},
            "cost_in_usd_ticks": 62500000},
  "system_fingerprint": "fp_1"})"_ba;

void TestChatResponse::parseChatResponse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error"); // empty: must parse
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("reasoning");
    QTest::addColumn<QString>("finish");
    QTest::addColumn<int>("choices");
    QTest::addColumn<QString>("usage");

    const QByteArray choice
        = R"("choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}])";
    QTest::newRow("xAI full") << FullResponse << QString() << u"grok-4-0709"_s << u"Hello!"_s
                              << u"The user greets."_s << u"stop"_s << 1 << u"12/3/320/8/335/62500000"_s;
    QTest::newRow("no usage") << "{" + choice + "}" << QString() << QString() << u"ok"_s << QString()
                              << u"stop"_s << 1 << u"none"_s;
    QTest::newRow("usage null") << R"({"usage":null,)" + choice + "}" << QString() << QString() << u"ok"_s
                                << QString() << u"stop"_s << 1 << u"none"_s;
    QTest::newRow("total computed when absent")
        << R"({"usage":{"prompt_tokens":5,"completion_tokens":2,"completion_tokens_details":{"reasoning_tokens":7}},)"
            + choice + "}"
        << QString() << QString() << u"ok"_s << QString() << u"stop"_s << 1 << u"5/2/7/0/14/-"_s;
    QTest::newRow("null content and finish")
        << R"({"model":"grok-4","choices":[{"message":{"role":"assistant","content":null},"finish_reason":null}]})"_ba
        << QString() << u"grok-4"_s << QString() << QString() << QString() << 1 << u"none"_s;
    QTest::newRow("two choices: text is the first")
        << R"({"choices":[{"index":0,"message":{"content":"a"},"finish_reason":"length"},{"index":1,"message":{"content":"b"}}]})"_ba
        << QString() << QString() << u"a"_s << QString() << u"length"_s << 2 << u"none"_s;
    QTest::newRow("bad usage numbers become zero")
        << R"({"usage":{"prompt_tokens":-4,"completion_tokens":"3","total_tokens":1.5,"cost_in_usd_ticks":1e30},)"
            + choice + "}"
        << QString() << QString() << u"ok"_s << QString() << u"stop"_s << 1 << u"0/0/0/0/0/-"_s;
    QTest::newRow("escaped unicode")
        << R"({"choices":[{"message":{"content":"caf\u00e9 \ud83d\ude00\n"}}]})"_ba << QString() << QString()
        << u"café 😀\n"_s << QString() << QString() << 1 << u"none"_s;

    const QString none;
    QTest::newRow("empty body") << QByteArray() << u"response is empty"_s << none << none << none << none << 0
                                << none;
    QTest::newRow("whitespace body") << "  \r\n"_ba << u"response is empty"_s << none << none << none << none
                                     << 0 << none;
    QTest::newRow("plain text") << "Bad Gateway"_ba << u"response is not JSON: "_s << none << none << none
                                << none << 0 << none;
    QTest::newRow("truncated") << FullResponse.left(120) << u"response is not JSON: "_s << none << none
                               << none << none << 0 << none;
    QTest::newRow("array") << "[1,2]"_ba << u"response is not a JSON object"_s << none << none << none << none
                           << 0 << none;
    QTest::newRow("no choices") << R"({"id":"x"})"_ba << u"response has no choices"_s << none << none << none
                                << none << 0 << none;
    QTest::newRow("empty choices") << R"({"choices":[]})"_ba << u"response has no choices"_s << none << none
                                   << none << none << 0 << none;
    QTest::newRow("choices an object") << R"({"choices":{"0":{}}})"_ba << u"response has no choices"_s << none
                                       << none << none << none << 0 << none;
    QTest::newRow("choice a string") << R"({"choices":["hi"]})"_ba << u"choices[0] is not an object"_s << none
                                     << none << none << none << 0 << none;
    QTest::newRow("content a number")
        << R"({"choices":[{"message":{"content":42}}]})"_ba << u"choices[0].message.content is not a string"_s
        << none << none << none << none << 0 << none;
    QTest::newRow("finish reason a number")
        << R"({"choices":[{"message":{},"finish_reason":1}]})"_ba
        << u"choices[0].finish_reason is not a string"_s << none << none << none << none << 0 << none;
    QTest::newRow("xAI error body")
        << R"({"code":"Client specified an invalid argument","error":"Incorrect API key provided"})"_ba
        << u"response carries an error: Incorrect API key provided"_s << none << none << none << none << 0
        << none;
    QTest::newRow("OpenAI error body")
        << R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})"_ba
        << u"response carries an error: Rate limit reached"_s << none << none << none << none << 0 << none;
}

void TestChatResponse::parseChatResponse()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QString reason;
    const std::optional<ChatResponse> response = gp::parseChatResponse(body, &reason);
    if (!error.isEmpty()) {
        QVERIFY(!response);
        QVERIFY2(reason.startsWith(error), qPrintable(reason));
        QVERIFY(!reason.contains(u'\n'));
        return;
    }
    QVERIFY2(response, qPrintable(reason));
    QFETCH(QString, model);
    QFETCH(QString, content);
    QFETCH(QString, reasoning);
    QFETCH(QString, finish);
    QFETCH(int, choices);
    QFETCH(QString, usage);
    QCOMPARE(response->model, model);
    QCOMPARE(response->text(), content);
    QCOMPARE(response->choices.size(), choices);
    QCOMPARE(response->choices.constFirst().reasoningContent, reasoning);
    QCOMPARE(response->choices.constFirst().finishReason, finish);
    QCOMPARE(usageText(response->usage), usage);
}

void TestChatResponse::parseChatChunk_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error"); // empty: must parse
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("reasoning");
    QTest::addColumn<QString>("finish");
    QTest::addColumn<QString>("usage");

    const QString none;
    QTest::newRow("content delta")
        << R"({"id":"c1","object":"chat.completion.chunk","model":"grok-4-0709","choices":[{"index":0,"delta":{"content":"Hel"}}]})"_ba
        << none << u"Hel"_s << none << none << u"none"_s;
    QTest::newRow("reasoning delta")
        << R"({"choices":[{"index":0,"delta":{"reasoning_content":"Think"}}]})"_ba << none << none
        << u"Think"_s << none << u"none"_s;
    QTest::newRow("role only delta") << R"({"choices":[{"index":0,"delta":{"role":"assistant"}}]})"_ba << none
                                     << none << none << none << u"none"_s;
    QTest::newRow("finish with empty delta")
        << R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"_ba << none << none << none
        << u"stop"_s << u"none"_s;
    QTest::newRow("final usage chunk")
        << R"({"id":"c1","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":4,"total_tokens":30,"completion_tokens_details":{"reasoning_tokens":16}}})"_ba
        << none << none << none << none << u"10/4/16/0/30/-"_s;
    QTest::newRow("usage null mid-stream") << R"({"choices":[{"delta":{"content":"x"}}],"usage":null})"_ba
                                           << none << u"x"_s << none << none << u"none"_s;
    QTest::newRow("no choices at all") << R"({"id":"c1"})"_ba << none << none << none << none << u"none"_s;
    QTest::newRow("escaped newline") << R"({"choices":[{"delta":{"content":"a\nb \u00fc"}}]})"_ba << none
                                     << u"a\nb ü"_s << none << none << u"none"_s;

    QTest::newRow("done sentinel is not a chunk")
        << "[DONE]"_ba << u"chunk is not JSON: "_s << none << none << none << none;
    QTest::newRow("empty") << QByteArray() << u"chunk is empty"_s << none << none << none << none;
    QTest::newRow("truncated") << R"({"choices":[{"delta":{"content":"Hel)"_ba << u"chunk is not JSON: "_s
                               << none << none << none << none;
    QTest::newRow("array") << "[]"_ba << u"chunk is not a JSON object"_s << none << none << none << none;
    QTest::newRow("choices an object")
        << R"({"choices":{}})"_ba << u"chunk choices is not an array"_s << none << none << none << none;
    QTest::newRow("delta content a number")
        << R"({"choices":[{"delta":{"content":5}}]})"_ba << u"choices[0].delta.content is not a string"_s
        << none << none << none << none;
    QTest::newRow("choice a string") << R"({"choices":["x"]})"_ba << u"choices[0] is not an object"_s << none
                                     << none << none << none;
    QTest::newRow("xAI error mid-stream")
        << R"({"code":"Internal","error":"Service temporarily unavailable"})"_ba
        << u"chunk carries an error: Service temporarily unavailable"_s << none << none << none << none;
    QTest::newRow("OpenAI error mid-stream")
        << R"({"error":{"message":"overloaded","type":"server_error","code":null}})"_ba
        << u"chunk carries an error: overloaded"_s << none << none << none << none;
    QTest::newRow("binary") << "\x00\xff\xfe{"_ba << u"chunk is not JSON: "_s << none << none << none << none;
}

void TestChatResponse::parseChatChunk()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    QString reason;
    const std::optional<ChatChunk> chunk = gp::parseChatChunk(data, &reason);
    if (!error.isEmpty()) {
        QVERIFY(!chunk);
        QVERIFY2(reason.startsWith(error), qPrintable(reason));
        QVERIFY(!reason.contains(u'\n'));
        return;
    }
    QVERIFY2(chunk, qPrintable(reason));
    QFETCH(QString, content);
    QFETCH(QString, reasoning);
    QFETCH(QString, finish);
    QFETCH(QString, usage);
    QCOMPARE(chunk->deltaContent, content);
    QCOMPARE(chunk->deltaReasoning, reasoning);
    QCOMPARE(chunk->finishReason, finish);
    QCOMPARE(chunk->usage ? usageText(*chunk->usage) : u"none"_s, usage);
}

void TestChatResponse::parseUsage_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("usage");
    QTest::addColumn<qint64>("billed");
    QTest::addColumn<double>("costUsd"); // -1: no cost

    QTest::newRow("empty object is present, all zero") << "{}"_ba << u"0/0/0/0/0/-"_s << qint64(0) << -1.0;
    QTest::newRow("reasoning billed on top of completion")
        << R"({"prompt_tokens":100,"completion_tokens":50,"total_tokens":400,"completion_tokens_details":{"reasoning_tokens":250}})"_ba
        << u"100/50/250/0/400/-"_s << qint64(400) << -1.0;
    QTest::newRow("cached is part of prompt")
        << R"({"prompt_tokens":100,"prompt_tokens_details":{"cached_tokens":90},"total_tokens":100})"_ba
        << u"100/0/0/90/100/-"_s << qint64(100) << -1.0;
    QTest::newRow("cached above prompt clamped to the prompt")
        << R"({"prompt_tokens":10,"prompt_tokens_details":{"cached_tokens":11},"total_tokens":10})"_ba
        << u"10/0/0/10/10/-"_s << qint64(10) << -1.0;
    QTest::newRow("one dollar of ticks")
        << R"({"cost_in_usd_ticks":10000000000})"_ba << u"0/0/0/0/0/10000000000"_s << qint64(0) << 1.0;
    QTest::newRow("details not objects")
        << R"({"prompt_tokens_details":7,"completion_tokens_details":[1]})"_ba << u"0/0/0/0/0/-"_s
        << qint64(0) << -1.0;
    QTest::newRow("above 2^53 ignored") << R"({"prompt_tokens":18014398509481984,"cost_in_usd_ticks":-5})"_ba
                                        << u"0/0/0/0/0/-"_s << qint64(0) << -1.0;
}

void TestChatResponse::parseUsage()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, usage);
    QFETCH(qint64, billed);
    QFETCH(double, costUsd);
    const Usage parsed = gp::parseUsage(QJsonDocument::fromJson(json).object());
    QCOMPARE(usageText(parsed), usage);
    QCOMPARE(parsed.billedTokens(), billed);
    if (costUsd < 0)
        QVERIFY(!parsed.costUsd());
    else
        QCOMPARE(*parsed.costUsd(), costUsd);
}

// Every cut-off version of a valid response is an error value, never a crash.
void TestChatResponse::everyPrefixOfAResponseIsHandled()
{
    for (qsizetype n = 0; n < FullResponse.size(); ++n) {
        QString reason;
        const std::optional<ChatResponse> response = gp::parseChatResponse(FullResponse.left(n), &reason);
        QVERIFY(!response);
        QVERIFY(!reason.isEmpty());
    }
    QVERIFY(gp::parseChatResponse(FullResponse, nullptr));
}

QTEST_APPLESS_MAIN(TestChatResponse)
#include "tst_chatresponse.moc"
