#include "core/wire/costmodel.h"
#include "core/wire/responsesresponse.h"

#include <QJsonDocument>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestResponsesResponse final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void usage_data();
    void usage();
    void serverCostWinsOverListPrice();
    void everyPrefixIsHandled();
};

// "prompt/completion/reasoning/cached/total/cost", '-' for an absent cost; "none" when absent.
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

// The shape xAI returns (usage numbers from a real grok-4.3 response: total = input + output,
// reasoning inside output).
static const QByteArray Full = R"({
  "id": "resp_7d1c", "object": "response", "created_at": 1764000000, "model": "grok-4.3",
  "status": "completed", "previous_response_id": "resp_prev", "store": true,
  "output": [
    {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Thinking."}]},
    {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
     "content": [{"type": "output_text", "text": "Hello", "annotations": []},
                 {"type": "output_text", "text": " world", "annotations": []}]}],
  "usage": {"input_tokens": 36361, "input_tokens_details": {"cached_tokens": 192},
            "output_tokens": 1252, "output_tokens_details": {"reasoning_tokens": 763},
            "total_tokens": 37613, "num_sources_used": 0, "cost_in_usd_ticks": 483796500}})"_ba;

void TestResponsesResponse::parse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reasoning");
    QTest::addColumn<QString>("usage");

    QTest::newRow("xAI full") << Full << QString() << u"completed"_s << u"Hello world"_s << u"Thinking."_s
                              << u"36361/489/763/192/37613/483796500"_s;
    QTest::newRow("no usage") << R"({"id":"r","status":"completed","output":[]})"_ba << QString()
                              << u"completed"_s << QString() << QString() << u"none"_s;
    QTest::newRow("refusal and other parts skipped")
        << R"({"id":"r","status":"completed","output":[{"type":"message","content":[{"type":"refusal","refusal":"no"},{"type":"output_text","text":"ok"}]},{"type":"web_search_call"}]})"_ba
        << QString() << u"completed"_s << u"ok"_s << QString() << u"none"_s;
    QTest::newRow("failed keeps its error")
        << R"({"id":"r","status":"failed","output":[],"error":{"code":"server_error","message":"boom"}})"_ba
        << QString() << u"failed"_s << QString() << QString() << u"none"_s;
    QTest::newRow("empty") << "  "_ba << u"response is empty"_s << QString() << QString() << QString()
                           << QString();
    QTest::newRow("not json") << "{oops"_ba << u"response is not JSON: "_s << QString() << QString()
                              << QString() << QString();
    QTest::newRow("array") << "[1]"_ba << u"response is not a JSON object"_s << QString() << QString()
                           << QString() << QString();
    QTest::newRow("xAI error with 200")
        << R"({"code":"internal","error":"upstream died"})"_ba
        << u"response carries an error: upstream died"_s << QString() << QString() << QString() << QString();
    QTest::newRow("no id") << R"({"status":"completed","output":[]})"_ba << u"response has no id"_s
                           << QString() << QString() << QString() << QString();
    QTest::newRow("no status") << R"({"id":"r","output":[]})"_ba << u"response has no status"_s << QString()
                               << QString() << QString() << QString();
    QTest::newRow("output object") << R"({"id":"r","status":"completed","output":{}})"_ba
                                   << u"response output is not an array"_s << QString() << QString()
                                   << QString() << QString();
}

void TestResponsesResponse::parse()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QFETCH(QString, status);
    QFETCH(QString, text);
    QFETCH(QString, reasoning);
    QFETCH(QString, usage);
    QString reason;
    const std::optional<ResponsesResponse> response = parseResponsesResponse(body, &reason);
    if (!error.isEmpty()) {
        QVERIFY(!response);
        QVERIFY2(reason.startsWith(error), qPrintable(reason));
        QVERIFY(!parseResponsesResponse(body, nullptr));
        return;
    }
    QVERIFY2(response, qPrintable(reason));
    QCOMPARE(response->status, status);
    QCOMPARE(response->text, text);
    QCOMPARE(response->reasoningText, reasoning);
    QCOMPARE(usageText(response->usage), usage);
    if (status == u"failed"_s) {
        QCOMPARE(response->errorCode, u"server_error"_s);
        QCOMPARE(response->errorMessage, u"boom"_s);
    }
    if (body == Full) {
        QCOMPARE(response->id, u"resp_7d1c"_s);
        QCOMPARE(response->model, u"grok-4.3"_s);
        QCOMPARE(response->previousResponseId, u"resp_prev"_s);
        QCOMPARE(response->createdAt, qint64(1764000000));
        QVERIFY(response->isCompleted());
    }
}

void TestResponsesResponse::usage_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("usage");

    QTest::newRow("no reasoning") << R"({"input_tokens":10,"output_tokens":5,"total_tokens":15})"_ba
                                  << u"10/5/0/0/15/-"_s;
    QTest::newRow("total computed")
        << R"({"input_tokens":10,"output_tokens":5,"output_tokens_details":{"reasoning_tokens":2}})"_ba
        << u"10/3/2/0/15/-"_s;
    QTest::newRow("reasoning above output clamps")
        << R"({"input_tokens":1,"output_tokens":2,"output_tokens_details":{"reasoning_tokens":9}})"_ba
        << u"1/0/2/0/3/-"_s;
    QTest::newRow("cached above input clamps")
        << R"({"input_tokens":4,"input_tokens_details":{"cached_tokens":40},"output_tokens":0})"_ba
        << u"4/0/0/4/4/-"_s;
    QTest::newRow("bad counts read as zero")
        << R"({"input_tokens":-3,"output_tokens":"7","total_tokens":1.5,"cost_in_usd_ticks":-1})"_ba
        << u"0/0/0/0/0/-"_s;
    QTest::newRow("zero cost kept") << R"({"input_tokens":1,"output_tokens":1,"cost_in_usd_ticks":0})"_ba
                                    << u"1/1/0/0/2/0"_s;
    QTest::newRow("huge count refused")
        << R"({"input_tokens":1e300,"output_tokens":1})"_ba << u"0/1/0/0/1/-"_s;
}

void TestResponsesResponse::usage()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, usage);
    QCOMPARE(usageText(parseResponsesUsage(QJsonDocument::fromJson(json).object())), usage);
}

// The same usage priced by the one cost home: the server's ticks when sent, else the list
// price with reasoning billed once, as output.
void TestResponsesResponse::serverCostWinsOverListPrice()
{
    const std::optional<ResponsesResponse> response = parseResponsesResponse(Full, nullptr);
    QVERIFY(response);
    const Cost exact = CostModel::costOf(response->usage, response->model);
    QVERIFY(!exact.estimated);
    QCOMPARE(exact.usd, 0.04837965);
    Usage withoutTicks = response->usage;
    withoutTicks.costInUsdTicks.reset();
    const Cost estimate = CostModel::costOf(withoutTicks, response->model);
    QVERIFY(estimate.estimated);
    // grok-4.3 list: (36361 input, 192 cached at the input price) * 1.25 + 1252 output * 2.50, per million.
    QCOMPARE(estimate.usd, (36361 * 1.25 + 1252 * 2.50) / 1e6);
}

void TestResponsesResponse::everyPrefixIsHandled()
{
    for (qsizetype n = 0; n <= Full.size(); ++n) {
        QString reason;
        const std::optional<ResponsesResponse> response = parseResponsesResponse(Full.first(n), &reason);
        QVERIFY(response.has_value() == reason.isEmpty());
        if (n < Full.size() - 1)
            QVERIFY2(!response, qPrintable(QString::number(n)));
    }
}

QTEST_APPLESS_MAIN(TestResponsesResponse)
#include "tst_responsesresponse.moc"
