#include "core/wire/chatrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestChatRequest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromJsonObject_data();
    void fromJsonObject();
    void toJsonWritesEveryField();
    void toJsonStreamOptionsOnlyWhenStreaming();
    void knownFieldsWinOverExtra();
    void estimatePromptTokens_data();
    void estimatePromptTokens();
};

static QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

void TestChatRequest::fromJsonObject_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error"); // empty: must parse
    QTest::addColumn<QByteArray>("output"); // what toJson() writes back

    const QByteArray user = R"("messages":[{"role":"user","content":"hi"}])"_ba;
    QTest::newRow("minimal") << R"({"model":"grok-4",)" + user + "}" << QString()
                             << R"({"model":"grok-4",)" + user + "}";
    QTest::newRow("missing model is fine") << "{" + user + "}" << QString() << "{" + user + "}";
    QTest::newRow("null model is fine") << R"({"model":null,)" + user + "}" << QString() << "{" + user + "}";
    QTest::newRow("every field")
        << R"({"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"assistant","content":"a"}],"temperature":0.5,"top_p":0.9,"max_completion_tokens":256,"stop":["\n\n","END"],"seed":-7,"stream":true,"stream_options":{"include_usage":false}})"_ba
        << QString()
        << R"({"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"assistant","content":"a"}],"temperature":0.5,"top_p":0.9,"max_completion_tokens":256,"stop":["\n\n","END"],"seed":-7,"stream":true,"stream_options":{"include_usage":false}})"_ba;
    QTest::newRow("stop as a string")
        << R"({"stop":"END",)" + user + "}" << QString() << R"({"stop":["END"],)" + user + "}";
    QTest::newRow("unknown fields pass through")
        << R"({"n":1,"max_tokens":10,"tools":[{"type":"function"}],"x":{"y":null},)" + user + "}" << QString()
        << R"({"n":1,"max_tokens":10,"tools":[{"type":"function"}],"x":{"y":null},)" + user + "}";
    QTest::newRow("stream options dropped when not streaming")
        << R"({"stream":false,"stream_options":{"include_usage":true},)" + user + "}" << QString()
        << "{" + user + "}";
    QTest::newRow("streaming adds include_usage") << R"({"stream":true,)" + user
            + "}" << QString() << R"({"stream":true,"stream_options":{"include_usage":true},)" + user + "}";
    QTest::newRow("other stream options kept")
        << R"({"stream":true,"stream_options":{"include_usage":false,"z":1},)" + user + "}" << QString()
        << R"({"stream":true,"stream_options":{"include_usage":false,"z":1},)" + user + "}";
    QTest::newRow("nulls are absent") << R"({"temperature":null,"stop":null,"seed":null,"stream":null,)"
            + user + "}" << QString() << "{" + user + "}";
    QTest::newRow("unicode content")
        << R"({"messages":[{"role":"user","content":"h\u00e9 \ud83d\ude00 \u4e16"}]})"_ba << QString()
        << R"({"messages":[{"role":"user","content":"hé 😀 世"}]})"_ba;
    QTest::newRow("integral double max tokens") << R"({"max_completion_tokens":100.0,)" + user
            + "}" << QString() << R"({"max_completion_tokens":100,)" + user + "}";

    QTest::newRow("no messages") << R"({"model":"m"})"_ba << u"request has no messages"_s << QByteArray();
    QTest::newRow("messages null") << R"({"messages":null})"_ba << u"request has no messages"_s
                                   << QByteArray();
    QTest::newRow("messages not an array")
        << R"({"messages":"hi"})"_ba << u"messages is not an array"_s << QByteArray();
    QTest::newRow("messages empty") << R"({"messages":[]})"_ba << u"messages is empty"_s << QByteArray();
    QTest::newRow("message not an object")
        << R"({"messages":["hi"]})"_ba << u"messages[0] is not an object"_s << QByteArray();
    QTest::newRow("unsupported role")
        << R"({"messages":[{"role":"user","content":"a"},{"role":"tool","content":"b"}]})"_ba
        << u"messages[1] has unsupported role \"tool\""_s << QByteArray();
    QTest::newRow("role with a newline") << R"({"messages":[{"role":"us\ner","content":"a"}]})"_ba
                                         << u"messages[0] has unsupported role \"us?er\""_s << QByteArray();
    QTest::newRow("role missing") << R"({"messages":[{"content":"a"}]})"_ba
                                  << u"messages[0] has no string role"_s << QByteArray();
    QTest::newRow("role not a string") << R"({"messages":[{"role":1,"content":"a"}]})"_ba
                                       << u"messages[0] has no string role"_s << QByteArray();
    QTest::newRow("content parts array") << R"({"messages":[{"role":"user","content":[{"type":"text"}]}]})"_ba
                                         << u"messages[0].content is not a string"_s << QByteArray();
    QTest::newRow("content missing") << R"({"messages":[{"role":"user"}]})"_ba
                                     << u"messages[0].content is not a string"_s << QByteArray();
    QTest::newRow("model a number") << R"({"model":4,)" + user + "}" << u"model is not a string"_s
                                    << QByteArray();
    QTest::newRow("temperature a string")
        << R"({"temperature":"hot",)" + user + "}" << u"temperature is not a number"_s << QByteArray();
    QTest::newRow("top_p an object") << R"({"top_p":{},)" + user + "}" << u"top_p is not a number"_s
                                     << QByteArray();
    QTest::newRow("negative max tokens") << R"({"max_completion_tokens":-1,)" + user + "}"
                                         << u"max_completion_tokens is negative"_s << QByteArray();
    QTest::newRow("fractional max tokens") << R"({"max_completion_tokens":1.5,)" + user + "}"
                                           << u"max_completion_tokens is not an integer"_s << QByteArray();
    QTest::newRow("huge seed") << R"({"seed":1e300,)" + user + "}" << u"seed is not an integer"_s
                               << QByteArray();
    QTest::newRow("stop with a number")
        << R"({"stop":["a",2],)" + user + "}" << u"stop[1] is not a string"_s << QByteArray();
    QTest::newRow("stop an object") << R"({"stop":{},)" + user + "}"
                                    << u"stop is neither a string nor an array of strings"_s << QByteArray();
    QTest::newRow("stream a string") << R"({"stream":"yes",)" + user + "}" << u"stream is not a boolean"_s
                                     << QByteArray();
    QTest::newRow("stream_options a list")
        << R"({"stream_options":[],)" + user + "}" << u"stream_options is not an object"_s << QByteArray();
    QTest::newRow("include_usage a string")
        << R"({"stream_options":{"include_usage":"y"},)" + user + "}"
        << u"stream_options.include_usage is not a boolean"_s << QByteArray();
}

void TestChatRequest::fromJsonObject()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    QFETCH(QByteArray, output);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError); // the table itself is valid JSON
    QString reason = u"untouched"_s;
    const std::optional<ChatRequest> request = ChatRequest::fromJsonObject(document.object(), &reason);
    if (!error.isEmpty()) {
        QVERIFY(!request.has_value());
        QCOMPARE(reason, error);
        QVERIFY(!reason.contains(u'\n'));
        return;
    }
    QVERIFY2(request.has_value(), qPrintable(reason));
    QCOMPARE(request->toJsonObject(), object(output));
    // A second trip is stable: what we write, we read back identically.
    const std::optional<ChatRequest> again = ChatRequest::fromJsonObject(request->toJsonObject(), nullptr);
    QVERIFY(again.has_value());
    QCOMPARE(again->toJsonObject(), request->toJsonObject());
}

void TestChatRequest::toJsonWritesEveryField()
{
    ChatRequest request;
    request.model = u"grok-4"_s;
    request.messages = { { u"system"_s, u"be brief"_s }, { u"user"_s, u"hi"_s } };
    request.temperature = 0.25;
    request.topP = 1.0;
    request.maxCompletionTokens = 4096;
    request.stop = { u"\n"_s };
    request.seed = 42;
    const QJsonObject json = request.toJsonObject();
    QCOMPARE(json.value("model"_L1).toString(), u"grok-4"_s);
    QCOMPARE(json.value("messages"_L1).toArray().size(), 2);
    QCOMPARE(json.value("messages"_L1).toArray().at(0).toObject().value("role"_L1).toString(), u"system"_s);
    QCOMPARE(json.value("temperature"_L1).toDouble(), 0.25);
    QCOMPARE(json.value("top_p"_L1).toDouble(), 1.0);
    QCOMPARE(json.value("max_completion_tokens"_L1).toInteger(), 4096);
    QCOMPARE(json.value("stop"_L1).toArray().at(0).toString(), u"\n"_s);
    QCOMPARE(json.value("seed"_L1).toInteger(), 42);
    QVERIFY(!json.contains("stream"_L1));
    const QByteArray compact = request.toJson();
    QVERIFY(!compact.contains("\": ")); // compact: no space after a key
    QVERIFY(!compact.contains('\n'));
    QCOMPARE(QJsonDocument::fromJson(compact).object(), json);
}

void TestChatRequest::toJsonStreamOptionsOnlyWhenStreaming()
{
    ChatRequest request;
    request.messages = { { u"user"_s, u"x"_s } };
    request.extra.insert("stream_options"_L1, QJsonObject { { "include_usage"_L1, true } });
    QVERIFY(!request.toJsonObject().contains("stream_options"_L1));
    request.stream = true;
    request.includeUsage = false;
    const QJsonObject json = request.toJsonObject();
    QCOMPARE(json.value("stream"_L1).toBool(), true);
    QCOMPARE(json.value("stream_options"_L1).toObject().value("include_usage"_L1).toBool(true), false);
}

void TestChatRequest::knownFieldsWinOverExtra()
{
    ChatRequest request;
    request.model = u"grok-4"_s;
    request.messages = { { u"user"_s, u"x"_s } };
    request.extra.insert("model"_L1, u"other"_s);
    request.extra.insert("messages"_L1, QJsonArray());
    request.extra.insert("logprobs"_L1, true);
    const QJsonObject json = request.toJsonObject();
    QCOMPARE(json.value("model"_L1).toString(), u"grok-4"_s);
    QCOMPARE(json.value("messages"_L1).toArray().size(), 1);
    QCOMPARE(json.value("logprobs"_L1).toBool(), true);
}

void TestChatRequest::estimatePromptTokens_data()
{
    QTest::addColumn<QStringList>("contents");
    QTest::addColumn<qint64>("tokens");
    // ceil(characters / 4) + 4 per message + 3
    QTest::newRow("no messages") << QStringList() << qint64(3);
    QTest::newRow("one empty message") << QStringList { QString() } << qint64(7);
    QTest::newRow("four characters") << QStringList { u"abcd"_s } << qint64(8);
    QTest::newRow("five characters round up") << QStringList { u"abcde"_s } << qint64(9);
    QTest::newRow("characters summed across messages") << QStringList { u"ab"_s, u"cd"_s } << qint64(12);
    QTest::newRow("emoji count as one character each") << QStringList { u"😀😀😀😀😀"_s } << qint64(9);
    QTest::newRow("CJK") << QStringList { u"世界你好"_s } << qint64(8);
    QTest::newRow("thousand characters") << QStringList { QString(1000, u'a') } << qint64(257);
}

void TestChatRequest::estimatePromptTokens()
{
    QFETCH(QStringList, contents);
    QFETCH(qint64, tokens);
    ChatRequest request;
    for (const QString &content : contents)
        request.messages.append({ u"user"_s, content });
    QCOMPARE(request.estimatePromptTokens(), tokens);
}

QTEST_APPLESS_MAIN(TestChatRequest)
#include "tst_chatrequest.moc"
