#include "core/wire/batchinfo.h"
#include "core/wire/batchrequestitem.h"
#include "core/wire/batchresultpage.h"
#include "core/wire/deferredcompletion.h"
#include "core/wire/tokenizetext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestBatchWire final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchInfo_data();
    void batchInfo();
    void requestItemShape();
    void chunking_data();
    void chunking();
    void resultPage_data();
    void resultPage();
    void resultEntries();
    void deferredRequestId_data();
    void deferredRequestId();
    void deferredPoll_data();
    void deferredPoll();
    void tokenize_data();
    void tokenize();
};

// The batch object as xai-org/xai-sdk-ts's tests show it.
static const QByteArray Batch
    = R"({"batch_id":"batch_1934e8b5-f3dc-45f1-8329-9841b0aee9d8","name":"My New Batch",
  "create_time":"2025-11-11","expire_time":"2025-11-12","create_api_key_id":"key_123","cancel_time":null,
  "cancel_by_xai_message":null,
  "state":{"num_requests":2,"num_pending":1,"num_success":1,"num_error":0,"num_cancelled":0}})"_ba;

static const QByteArray ChatCompletion
    = R"({"id":"e7c2162b_us-east-1","object":"chat.completion","created":1762801725,
  "model":"grok-4","choices":[{"index":0,"message":{"role":"assistant","content":"101 multiplied by 3 is 303."},
  "finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":8,"total_tokens":18,"cost_in_usd_ticks":900}})"_ba;

void TestBatchWire::batchInfo_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("state"); // requests/pending/success/error/cancelled
    QTest::addColumn<bool>("done");
    QTest::addColumn<bool>("cancelled");

    QTest::newRow("pending") << Batch << QString() << u"2/1/1/0/0"_s << false << false;
    QByteArray finished = Batch;
    finished.replace(R"("num_pending":1,"num_success":1)", R"("num_pending":0,"num_success":2)");
    QTest::newRow("done") << finished << QString() << u"2/0/2/0/0"_s << true << false;
    QTest::newRow("new batch is not done")
        << R"({"batch_id":"b","state":{"num_requests":0,"num_pending":0}})"_ba << QString() << u"0/0/0/0/0"_s
        << false << false;
    QTest::newRow("cancelled empty batch is done")
        << R"({"batch_id":"b","cancel_time":"2025-11-11","state":{}})"_ba << QString() << u"0/0/0/0/0"_s
        << true << true;
    QTest::newRow("cancelled by xAI")
        << R"({"batch_id":"b","cancel_by_xai_message":"Batch cancelled by xAI","state":{"num_requests":3,"num_pending":0,"num_cancelled":3}})"_ba
        << QString() << u"3/0/0/0/3"_s << true << true;
    QTest::newRow("pending above requests clamps")
        << R"({"batch_id":"b","state":{"num_requests":1,"num_pending":9}})"_ba << QString() << u"1/1/0/0/0"_s
        << false << false;
    QTest::newRow("bad counts read as 0")
        << R"({"batch_id":"b","state":{"num_requests":"2","num_pending":-1}})"_ba << QString()
        << u"0/0/0/0/0"_s << false << false;
    QTest::newRow("empty") << QByteArray() << u"batch is empty"_s << QString() << false << false;
    QTest::newRow("not json") << "<html>"_ba << u"batch is not JSON"_s << QString() << false << false;
    QTest::newRow("not object") << "[]"_ba << u"batch is not a JSON object"_s << QString() << false << false;
    QTest::newRow("not found body") << R"({"code":"not-found","error":"Batch not found"})"_ba
                                    << u"batch carries an error: Batch not found"_s << QString() << false
                                    << false;
    QTest::newRow("no id") << R"({"name":"x","state":{}})"_ba << u"batch has no batch_id"_s << QString()
                           << false << false;
    QTest::newRow("state array") << R"({"batch_id":"b","state":[]})"_ba << u"batch state is not an object"_s
                                 << QString() << false << false;
}

void TestBatchWire::batchInfo()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QFETCH(QString, state);
    QFETCH(bool, done);
    QFETCH(bool, cancelled);
    QString reason;
    const std::optional<BatchInfo> info = parseBatchInfo(body, &reason);
    if (!error.isEmpty()) {
        QVERIFY(!info);
        QVERIFY2(reason.startsWith(error), qPrintable(reason));
        return;
    }
    QVERIFY2(info, qPrintable(reason));
    const BatchState &s = info->state;
    QCOMPARE(u"%1/%2/%3/%4/%5"_s.arg(s.numRequests)
                 .arg(s.numPending)
                 .arg(s.numSuccess)
                 .arg(s.numError)
                 .arg(s.numCancelled),
             state);
    QCOMPARE(info->isDone(), done);
    QCOMPARE(info->isCancelled(), cancelled);
}

void TestBatchWire::requestItemShape()
{
    BatchRequestItem chat {
        u"line-1"_s, BatchRequestItem::Kind::ChatCompletion,
        QJsonDocument::fromJson(
            R"({"model":"grok-4","messages":[{"role":"user","content":"2+2?"}],"stream":true,"stream_options":{"include_usage":true}})")
            .object()
    };
    QCOMPARE(
        QJsonDocument(chat.toJsonObject()).toJson(QJsonDocument::Compact),
        R"({"batch_request":{"chat_get_completion":{"messages":[{"content":"2+2?","role":"user"}],"model":"grok-4"}},"batch_request_id":"line-1"})"_ba);
    BatchRequestItem responses {
        u"line-2"_s, BatchRequestItem::Kind::Responses,
        QJsonDocument::fromJson(R"({"model":"grok-4.3","input":"Shipping took way too long.","store":false})")
            .object()
    };
    QCOMPARE(
        QJsonDocument(responses.toJsonObject()).toJson(QJsonDocument::Compact),
        R"({"batch_request":{"responses":{"input":"Shipping took way too long.","model":"grok-4.3","store":false}},"batch_request_id":"line-2"})"_ba);
}

void TestBatchWire::chunking_data()
{
    QTest::addColumn<int>("items");
    QTest::addColumn<int>("textLength");
    QTest::addColumn<qsizetype>("maxBytes");
    QTest::addColumn<int>("maxItems");
    QTest::addColumn<QList<int>>("sizes");
    QTest::addColumn<int>("oversized");

    QTest::newRow("one chunk") << 5 << 10 << qsizetype(1 << 20) << 100 << QList<int> { 5 } << 0;
    QTest::newRow("by count") << 7 << 10 << qsizetype(1 << 20) << 3 << QList<int> { 3, 3, 1 } << 0;
    // Each item is ~120 bytes: 300 bytes hold two.
    QTest::newRow("by bytes") << 5 << 10 << qsizetype(300) << 100 << QList<int> { 2, 2, 1 } << 0;
    QTest::newRow("oversized item alone fails") << 3 << 1000 << qsizetype(600) << 100 << QList<int> {} << 3;
    QTest::newRow("nothing") << 0 << 10 << qsizetype(300) << 100 << QList<int> {} << 0;
}

void TestBatchWire::chunking()
{
    QFETCH(int, items);
    QFETCH(int, textLength);
    QFETCH(qsizetype, maxBytes);
    QFETCH(int, maxItems);
    QFETCH(QList<int>, sizes);
    QFETCH(int, oversized);
    QList<BatchRequestItem> list;
    for (int i = 0; i < items; ++i) {
        QJsonObject body { { "model"_L1, u"grok-4"_s },
                           { "messages"_L1,
                             QJsonArray { QJsonObject { { "role"_L1, u"user"_s },
                                                        { "content"_L1, QString(textLength, u'a') } } } } };
        list.append({ u"id-%1"_s.arg(i), BatchRequestItem::Kind::ChatCompletion, body });
    }
    QStringList tooBig;
    const QList<BatchRequestChunk> chunks = chunkBatchRequests(list, maxBytes, maxItems, &tooBig);
    QList<int> got;
    QStringList ids;
    for (const BatchRequestChunk &chunk : chunks) {
        got.append(int(chunk.batchRequestIds.size()));
        QVERIFY(chunk.body.size() <= maxBytes);
        const QJsonArray requests
            = QJsonDocument::fromJson(chunk.body).object().value("batch_requests"_L1).toArray();
        QCOMPARE(requests.size(), chunk.batchRequestIds.size());
        for (qsizetype i = 0; i < requests.size(); ++i)
            QCOMPARE(requests.at(i).toObject().value("batch_request_id"_L1).toString(),
                     chunk.batchRequestIds.at(i));
        ids += chunk.batchRequestIds;
    }
    QCOMPARE(got, sizes);
    QCOMPARE(int(tooBig.size()), oversized);
    QCOMPARE(ids.size() + tooBig.size(), qsizetype(items)); // every item once: chunked or failed
}

void TestBatchWire::resultPage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("token");

    QTest::newRow("last page") << R"({"results":[],"pagination_token":null})"_ba << QString() << 0
                               << QString();
    QTest::newRow("next page")
        << R"({"results":[{"batch_request_id":"a","batch_result":{"error":"x"}}],"pagination_token":"page_2"})"_ba
        << QString() << 1 << u"page_2"_s;
    QTest::newRow("token absent") << R"({"results":[]})"_ba << QString() << 0 << QString();
    QTest::newRow("empty") << QByteArray() << u"results page is empty"_s << 0 << QString();
    QTest::newRow("not json") << "{"_ba << u"results page is not JSON"_s << 0 << QString();
    QTest::newRow("results object") << R"({"results":{}})"_ba << u"results page has no results array"_s << 0
                                    << QString();
    QTest::newRow("error body") << R"({"code":"not-found","error":"Batch not found"})"_ba
                                << u"results page carries an error: Batch not found"_s << 0 << QString();
    QTest::newRow("token number") << R"({"results":[],"pagination_token":5})"_ba
                                  << u"pagination_token is not a string"_s << 0 << QString();
}

void TestBatchWire::resultPage()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    QFETCH(int, count);
    QFETCH(QString, token);
    QString reason;
    const std::optional<BatchResultPage> page = parseBatchResultPage(body, &reason);
    if (!error.isEmpty()) {
        QVERIFY(!page);
        QVERIFY2(reason.startsWith(error), qPrintable(reason));
        return;
    }
    QVERIFY2(page, qPrintable(reason));
    QCOMPARE(int(page->results.size()), count);
    QCOMPARE(page->paginationToken, token);
}

// Each entry stands alone: a bad one becomes an error for its id, the others still read.
void TestBatchWire::resultEntries()
{
    const QByteArray body = R"({"results":[
      {"batch_request_id":"ok","batch_result":{"response":{"chat_get_completion":)"
        + ChatCompletion + R"(}}},
      {"batch_request_id":"unsupported","batch_result":{"error":"Model is not supported for batch processing"}},
      {"batch_request_id":"resp","batch_result":{"response":{"responses":{"id":"resp_1","status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"hi"}]}],"usage":{"input_tokens":3,"output_tokens":2}}}}},
      {"batch_request_id":"bad-chat","batch_result":{"response":{"chat_get_completion":{"choices":[]}}}},
      {"batch_request_id":"unknown-kind","batch_result":{"response":"unknown"}},
      {"batch_request_id":"nested-error","batch_result":{"error":{"message":"overloaded","code":"503"}}},
      {"batch_result":{"error":"no id"}},
      "garbage"
    ],"pagination_token":null})"_ba;
    const std::optional<BatchResultPage> page = parseBatchResultPage(body, nullptr);
    QVERIFY(page);
    QCOMPARE(page->results.size(), 8);
    using K = BatchResultItem::Kind;
    const QList<BatchResultItem> &r = page->results;
    QCOMPARE(r[0].kind, K::ChatCompletion);
    QCOMPARE(r[0].text(), u"101 multiplied by 3 is 303."_s);
    QCOMPARE(r[0].usage().costInUsdTicks, std::optional<qint64>(900));
    QVERIFY(r[0].rawResponse.contains("chat.completion"));
    QCOMPARE(r[1].kind, K::Error);
    QCOMPARE(r[1].error, u"Model is not supported for batch processing"_s);
    QCOMPARE(r[2].kind, K::Responses);
    QCOMPARE(r[2].text(), u"hi"_s);
    QCOMPARE(r[2].usage().billedTokens(), 5);
    QCOMPARE(r[3].kind, K::Error);
    QCOMPARE(r[3].error, u"unreadable batch result: response has no choices"_s);
    QCOMPARE(r[4].kind, K::Error);
    QCOMPARE(r[4].error, u"batch result has neither a response nor an error"_s);
    QCOMPARE(r[5].error, u"overloaded"_s);
    QCOMPARE(r[6].batchRequestId, QString());
    QCOMPARE(r[6].error, u"results[6] has no batch_request_id"_s);
    QCOMPARE(r[7].error, u"results[7] has no batch_request_id"_s);
}

void TestBatchWire::deferredRequestId_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("id"); // empty: refused
    QTest::newRow("docs example") << R"({"request_id":"f15c114e-f47d-40ca-8d5c-8c23d656eeb6"})"_ba
                                  << u"f15c114e-f47d-40ca-8d5c-8c23d656eeb6"_s;
    QTest::newRow("missing") << R"({})"_ba << QString();
    QTest::newRow("number") << R"({"request_id":5})"_ba << QString();
    QTest::newRow("path traversal") << R"({"request_id":"../../v1/models"})"_ba << QString();
    QTest::newRow("query") << R"({"request_id":"a?b=c"})"_ba << QString();
    QTest::newRow("too long") << QByteArray(R"({"request_id":")" + QByteArray(201, 'a') + R"("})")
                              << QString();
    QTest::newRow("error body") << R"({"code":"invalid-argument","error":"bad model"})"_ba << QString();
    QTest::newRow("empty") << QByteArray() << QString();
}

void TestBatchWire::deferredRequestId()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, id);
    QString error;
    const std::optional<QString> got = parseDeferredRequestId(body, &error);
    QCOMPARE(got.value_or(QString()), id);
    QCOMPARE(error.isEmpty(), !id.isEmpty());
    if (body.contains("bad model"))
        QCOMPARE(error, u"deferred submission carries an error: bad model"_s);
}

void TestBatchWire::deferredPoll_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("text");

    using S = DeferredPoll::State;
    QTest::newRow("202 empty") << 202 << QByteArray() << int(S::Pending) << QString();
    QTest::newRow("200 completion") << 200 << ChatCompletion << int(S::Ready)
                                    << u"101 multiplied by 3 is 303."_s;
    QTest::newRow("200 garbage") << 200 << "{}"_ba << int(S::Failed) << u"response has no choices"_s;
    QTest::newRow("404 gone") << 404 << R"({"code":"not-found","error":"Request not found"})"_ba
                              << int(S::Gone) << u"Request not found"_s;
    QTest::newRow("429") << 429 << R"({"code":"resource-exhausted","error":"Too many requests"})"_ba
                         << int(S::Failed) << u"Too many requests"_s;
    QTest::newRow("500 html") << 500 << "<html><title>Bad gateway</title></html>"_ba << int(S::Failed)
                              << u"Bad gateway"_s;
}

void TestBatchWire::deferredPoll()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, state);
    QFETCH(QString, text);
    const DeferredPoll poll = readDeferredPoll(status, body);
    QCOMPARE(int(poll.state), state);
    QCOMPARE(poll.state == DeferredPoll::State::Ready ? poll.response.text() : poll.error.message, text);
}

void TestBatchWire::tokenize_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("count"); // -1: refused
    QTest::newRow("two tokens")
        << R"({"token_ids":[{"token_id":13902,"string_token":"Hello","token_bytes":[72,101,108,108,111]},{"token_id":1,"string_token":"!","token_bytes":[33]}]})"_ba
        << qint64(2);
    QTest::newRow("none") << R"({"token_ids":[]})"_ba << qint64(0);
    QTest::newRow("missing") << R"({})"_ba << qint64(-1);
    QTest::newRow("error") << R"({"code":"invalid-argument","error":"unknown model"})"_ba << qint64(-1);
    QTest::newRow("garbage") << "<html>"_ba << qint64(-1);
}

void TestBatchWire::tokenize()
{
    QFETCH(QByteArray, body);
    QFETCH(qint64, count);
    QString error;
    QCOMPARE(TokenizeText::parseTokenCount(body, &error).value_or(-1), count);
    QCOMPARE(error.isEmpty(), count >= 0);
    QCOMPARE(TokenizeText::requestBody(u"grok-4"_s, u"Hi \"x\""_s),
             R"({"model":"grok-4","text":"Hi \"x\""})"_ba);
}

QTEST_APPLESS_MAIN(TestBatchWire)
#include "tst_batchwire.moc"
