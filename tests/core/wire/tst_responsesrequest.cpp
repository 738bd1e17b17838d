#include "core/wire/responsesrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestResponsesRequest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromJsonObject_data();
    void fromJsonObject();
    void toJsonWritesOnlyWhatIsSet_data();
    void toJsonWritesOnlyWhatIsSet();
    void roundTripKeepsPartsAndRawItems();
    void estimate_data();
    void estimate();
};

static QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

void TestResponsesRequest::fromJsonObject_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // empty: must parse
    QTest::addColumn<QString>("texts"); // the input texts joined with '|'
    QTest::addColumn<QString>("roles");

    QTest::newRow("string input") << R"({"model":"grok-4.3","input":"Hi"})"_ba << QString() << u"Hi"_s
                                  << QString();
    QTest::newRow("message items")
        << R"({"input":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]})"_ba
        << QString() << u"Be brief.|Hi"_s << u"system|user"_s;
    QTest::newRow("developer role") << R"({"input":[{"role":"developer","content":"x"}]})"_ba << QString()
                                    << u"x"_s << u"developer"_s;
    QTest::newRow("content parts")
        << R"({"input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_image","image_url":"data:x"},{"type":"input_text","text":"b"}]}]})"_ba
        << QString() << u"a\nb"_s << u"user"_s;
    QTest::newRow("raw item kept")
        << R"({"input":[{"type":"function_call_output","call_id":"c1","output":"42"},{"role":"user","content":"go"}]})"_ba
        << QString() << u"|go"_s << u"|user"_s;
    QTest::newRow("nulls mean absent")
        << R"({"input":"x","instructions":null,"store":null,"max_output_tokens":null})"_ba << QString()
        << u"x"_s << QString();

    QTest::newRow("no input") << R"({"model":"grok-4"})"_ba << u"request has no input"_s << QString()
                              << QString();
    QTest::newRow("empty string") << R"({"input":""})"_ba << u"input is empty"_s << QString() << QString();
    QTest::newRow("empty array") << R"({"input":[]})"_ba << u"input is empty"_s << QString() << QString();
    QTest::newRow("number input") << R"({"input":3})"_ba << u"input is neither a string nor an array"_s
                                  << QString() << QString();
    QTest::newRow("item not object") << R"({"input":["hi"]})"_ba << u"input[0] is not an object"_s
                                     << QString() << QString();
    QTest::newRow("bad role") << R"({"input":[{"role":"tool\u0001xx","content":"a"}]})"_ba
                              << u"input[0] has unsupported role \"tool?xx\""_s << QString() << QString();
    QTest::newRow("no role no type") << R"({"input":[{"content":"a"}]})"_ba
                                     << u"input[0] has neither a role nor a type"_s << QString() << QString();
    QTest::newRow("content number") << R"({"input":[{"role":"user","content":5}]})"_ba
                                    << u"input[0].content is neither a string nor an array of parts"_s
                                    << QString() << QString();
    QTest::newRow("part not object") << R"({"input":[{"role":"user","content":["a"]}]})"_ba
                                     << u"input[0].content[0] is not an object"_s << QString() << QString();
    QTest::newRow("part text number")
        << R"({"input":[{"role":"user","content":[{"type":"input_text","text":1}]}]})"_ba
        << u"input[0].content[0].text is not a string"_s << QString() << QString();
    QTest::newRow("model number") << R"({"model":4,"input":"x"})"_ba << u"model is not a string"_s
                                  << QString() << QString();
    QTest::newRow("max_output_tokens negative")
        << R"({"input":"x","max_output_tokens":-1})"_ba << u"max_output_tokens is negative"_s << QString()
        << QString();
    QTest::newRow("max_output_tokens fraction")
        << R"({"input":"x","max_output_tokens":1.5})"_ba << u"max_output_tokens is not an integer"_s
        << QString() << QString();
    QTest::newRow("store string") << R"({"input":"x","store":"no"})"_ba << u"store is not a boolean"_s
                                  << QString() << QString();
    QTest::newRow("stream number") << R"({"input":"x","stream":1})"_ba << u"stream is not a boolean"_s
                                   << QString() << QString();
    QTest::newRow("previous id number")
        << R"({"input":"x","previous_response_id":7})"_ba << u"previous_response_id is not a string"_s
        << QString() << QString();
    QTest::newRow("temperature string") << R"({"input":"x","temperature":"hot"})"_ba
                                        << u"temperature is not a number"_s << QString() << QString();
}

void TestResponsesRequest::fromJsonObject()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QFETCH(QString, texts);
    QFETCH(QString, roles);
    QString reason;
    const std::optional<ResponsesRequest> request = ResponsesRequest::fromJsonObject(object(json), &reason);
    if (!error.isEmpty()) {
        QVERIFY(!request);
        QCOMPARE(reason, error);
        QVERIFY(!ResponsesRequest::fromJsonObject(object(json), nullptr)); // a null error pointer is fine
        return;
    }
    QVERIFY2(request, qPrintable(reason));
    QStringList gotTexts;
    QStringList gotRoles;
    if (request->inputItems.isEmpty())
        gotTexts.append(request->inputText);
    for (const ResponsesInputItem &item : request->inputItems) {
        gotTexts.append(item.text);
        gotRoles.append(item.role);
    }
    QCOMPARE(gotTexts.join(u'|'), texts);
    QCOMPARE(gotRoles.join(u'|'), roles);
}

void TestResponsesRequest::toJsonWritesOnlyWhatIsSet_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");

    QTest::newRow("minimal") << R"({"model":"grok-4.3","input":"Hi"})"_ba
                             << R"({"input":"Hi","model":"grok-4.3"})"_ba;
    QTest::newRow("all known fields")
        << R"({"model":"m","input":"Hi","instructions":"Be brief.","max_output_tokens":64,"temperature":0.5,"top_p":0.9,"previous_response_id":"resp_1","store":false,"stream":true})"_ba
        << R"({"input":"Hi","instructions":"Be brief.","max_output_tokens":64,"model":"m","previous_response_id":"resp_1","store":false,"stream":true,"temperature":0.5,"top_p":0.9})"_ba;
    QTest::newRow("stream false not sent") << R"({"input":"Hi","stream":false})"_ba
                                           << R"({"input":"Hi"})"_ba;
    QTest::newRow("unknown fields pass")
        << R"({"input":"Hi","reasoning":{"effort":"low"},"include":["reasoning.encrypted_content"]})"_ba
        << R"({"include":["reasoning.encrypted_content"],"input":"Hi","reasoning":{"effort":"low"}})"_ba;
}

void TestResponsesRequest::toJsonWritesOnlyWhatIsSet()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    QString reason;
    const std::optional<ResponsesRequest> request = ResponsesRequest::fromJsonObject(object(in), &reason);
    QVERIFY2(request, qPrintable(reason));
    QCOMPARE(request->toJson(), out);
}

void TestResponsesRequest::roundTripKeepsPartsAndRawItems()
{
    const QByteArray json
        = R"({"input":[{"type":"function_call_output","call_id":"c1","output":"42"},{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"input_image","image_url":"data:x","detail":"low"}]}],"model":"m"})"_ba;
    const std::optional<ResponsesRequest> request = ResponsesRequest::fromJsonObject(object(json), nullptr);
    QVERIFY(request);
    QCOMPARE(QJsonDocument(request->toJsonObject()), QJsonDocument::fromJson(json));
    const std::optional<ResponsesRequest> again
        = ResponsesRequest::fromJsonObject(request->toJsonObject(), nullptr);
    QVERIFY(again);
    QCOMPARE(*again, *request);
}

void TestResponsesRequest::estimate_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("total"); // with a default max output of 100

    // "Hi" = 2 chars -> 1 token, + 4 for the message + 3 primer.
    QTest::newRow("string") << R"({"input":"Hi"})"_ba << qint64(8) << qint64(108);
    QTest::newRow("max_output_tokens wins")
        << R"({"input":"Hi","max_output_tokens":10})"_ba << qint64(8) << qint64(18);
    // instructions (9 chars) + "Hi": 11 chars -> 3, two messages -> 8, + 3.
    QTest::newRow("instructions count")
        << R"({"input":"Hi","instructions":"Be brief."})"_ba << qint64(14) << qint64(114);
    // Same text as chat messages: the two estimates agree.
    QTest::newRow("items")
        << R"({"input":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]})"_ba
        << qint64(14) << qint64(114);
    // A surrogate pair is one character: 4 emoji -> 1 token.
    QTest::newRow("surrogates") << QByteArray(
        R"({"input":")"
        "\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
        R"("})") << qint64(8) << qint64(108);
}

void TestResponsesRequest::estimate()
{
    QFETCH(QByteArray, json);
    QFETCH(qint64, input);
    QFETCH(qint64, total);
    const std::optional<ResponsesRequest> request = ResponsesRequest::fromJsonObject(object(json), nullptr);
    QVERIFY(request);
    QCOMPARE(request->estimateInputTokens(), input);
    QCOMPARE(request->estimateTotalTokens(100), total);
}

QTEST_APPLESS_MAIN(TestResponsesRequest)
#include "tst_responsesrequest.moc"
