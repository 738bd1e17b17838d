#include "core/wire/errorbody.h"

#include <QRandomGenerator>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(gp::ErrorBodyFormat)

class TestErrorBody final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseErrorBody_data();
    void parseErrorBody();
    void parseStreamError_data();
    void parseStreamError();
    void randomBytesAlwaysGiveAUsableLine();
    void everyPrefixOfANestedErrorIsUsable();
};

// The promise of ErrorBody::message: non-empty, one line, within the bound.
static void verifyUsable(const ErrorBody &body, int maxLength)
{
    QVERIFY(!body.message.isEmpty());
    QVERIFY(body.message.size() <= qMax(1, maxLength));
    for (const QChar c : body.message)
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(body.message));
    QVERIFY(!body.message.startsWith(u' ') && !body.message.endsWith(u' '));
}

void TestErrorBody::parseErrorBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("maxLength");
    QTest::addColumn<ErrorBodyFormat>("format");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("param");

    const int max = DefaultMaxErrorMessageLength;
    const QString none;
    using F = ErrorBodyFormat;
    QTest::newRow("xAI flat credits")
        << R"({"code":"Some resource has been exhausted","error":"Your team has either used all available credits or reached its monthly spending limit."})"_ba
        << max << F::XaiFlat << u"Some resource has been exhausted"_s
        << u"Your team has either used all available credits or reached its monthly spending limit."_s << none
        << none;
    QTest::newRow("xAI flat bad key")
        << R"({"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***yz."})"_ba
        << max << F::XaiFlat << u"Client specified an invalid argument"_s
        << u"Incorrect API key provided: xa***yz."_s << none << none;
    QTest::newRow("OpenAI nested string code")
        << R"({"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}})"_ba
        << max << F::OpenAINested << u"rate_limit_exceeded"_s << u"Rate limit reached for requests"_s
        << u"requests"_s << none;
    QTest::newRow("OpenAI nested number code")
        << R"({"error":{"message":"Too many","code":429}})"_ba << max << F::OpenAINested << u"429"_s
        << u"Too many"_s << none << none;
    QTest::newRow("OpenAI nested null code, param")
        << R"({"error":{"message":"Unknown field","type":"invalid_request_error","param":"foo","code":null}})"_ba
        << max << F::OpenAINested << none << u"Unknown field"_s << u"invalid_request_error"_s << u"foo"_s;
    QTest::newRow("nested without message uses code")
        << R"({"error":{"code":"overloaded"}})"_ba << max << F::OpenAINested << u"overloaded"_s
        << u"overloaded"_s << none << none;
    QTest::newRow("Google-style status as type")
        << R"({"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}})"_ba << max
        << F::OpenAINested << u"429"_s << u"Quota exceeded"_s << u"RESOURCE_EXHAUSTED"_s << none;
    QTest::newRow("flat empty error uses code") << R"({"code":"Internal","error":""})"_ba << max << F::XaiFlat
                                                << u"Internal"_s << u"Internal"_s << none << none;
    QTest::newRow("other JSON message") << R"({"message":"Forbidden","code":403})"_ba << max << F::OtherJson
                                        << u"403"_s << u"Forbidden"_s << none << none;
    QTest::newRow("other JSON detail")
        << R"({"detail":"Not Found"})"_ba << max << F::OtherJson << none << u"Not Found"_s << none << none;
    QTest::newRow("other JSON without text")
        << R"({"status":503})"_ba << max << F::OtherJson << none << u"{\"status\":503}"_s << none << none;
    QTest::newRow("array of error objects") << R"([{"error":{"message":"bad","code":"x"}}])"_ba << max
                                            << F::OpenAINested << u"x"_s << u"bad"_s << none << none;
    QTest::newRow("plain text") << "upstream connect error or disconnect/reset before headers"_ba << max
                                << F::PlainText << none
                                << u"upstream connect error or disconnect/reset before headers"_s << none
                                << none;
    QTest::newRow("multi-line text joined")
        << "Service\r\nUnavailable\n\n\tretry  later"_ba << max << F::PlainText << none
        << u"Service Unavailable retry later"_s << none << none;
    QTest::newRow("nginx HTML title")
        << "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"_ba
        << max << F::Html << none << u"502 Bad Gateway"_s << none << none;
    QTest::newRow("HTML without title")
        << "<!DOCTYPE html><html><head><style>p{color:red}</style><script>var a='<b>';</script></head><body><!-- x --><p>Too &amp; many &lt;requests&gt; &#8212; wait</p></body></html>"_ba
        << max << F::Html << none << u"Too & many <requests> — wait"_s << none << none;
    QTest::newRow("HTML cut inside a tag") << "<html><body>Gateway Timeout<a hr"_ba << max << F::Html << none
                                           << u"Gateway Timeout"_s << none << none;
    QTest::newRow("long message cut with ellipsis") << R"({"error":"0123456789abcdefghij"})"_ba << 10
                                                    << F::XaiFlat << none << u"012345678…"_s << none << none;
    QTest::newRow("BOM before JSON") << "\xEF\xBB\xBF{\"error\":\"x\",\"code\":\"y\"}"_ba << max << F::XaiFlat
                                     << u"y"_s << u"x"_s << none << none;

    QTest::newRow("empty") << QByteArray() << max << F::Empty << none << u"empty response body"_s << none
                           << none;
    QTest::newRow("whitespace only") << " \r\n\t "_ba << max << F::Empty << none << u"empty response body"_s
                                     << none << none;
    QTest::newRow("truncated nested JSON")
        << R"({"error":{"message":"Rate limit exceeded for grok-4","type":"req)"_ba << max << F::PlainText
        << none << u"Rate limit exceeded for grok-4"_s << none << none;
    QTest::newRow("truncated inside the message")
        << R"({"code":"Internal","error":"Service tempor)"_ba << max << F::PlainText << none
        << u"Service tempor"_s << none << none;
    QTest::newRow("truncated without a message")
        << R"({"id":12,)"_ba << max << F::PlainText << none << u"{\"id\":12,"_s << none << none;
    QTest::newRow("binary garbage") << "\x00\x01\x02\x03\xff\xfe\x80\x81garbage"_ba << max << F::PlainText
                                    << none << u"unreadable response body (15 bytes)"_s << none << none;
    QTest::newRow("invalid UTF-8 text")
        << "\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc"_ba << max << F::PlainText << none
        << u"unreadable response body (11 bytes)"_s << none << none;
    QTest::newRow("one bad byte in text")
        << "Service unavailable, try again in a minute \xff"_ba << max << F::PlainText << none
        << u"Service unavailable, try again in a minute �"_s << none << none;
    QTest::newRow("max length zero") << "anything"_ba << 0 << F::PlainText << none << u"…"_s << none << none;
    QTest::newRow("lone surrogate in JSON")
        << R"({"error":"a\ud800b"})"_ba << max << F::XaiFlat << none << u"a\uFFFDb"_s << none << none;
    QTest::newRow("error not an object or string")
        << R"({"error":42})"_ba << max << F::OtherJson << none << u"42"_s << none << none;
    QTest::newRow("HTML with no text") << "<html><body><img src=x></body></html>"_ba << max << F::Html << none
                                       << u"HTML response body without text (37 bytes)"_s << none << none;
    QTest::newRow("code with a newline") << "{\"error\":\"x\",\"code\":\"a\\nb\"}"_ba << max << F::XaiFlat
                                         << u"a b"_s << u"x"_s << none << none;
}

void TestErrorBody::parseErrorBody()
{
    QFETCH(QByteArray, body);
    QFETCH(int, maxLength);
    QFETCH(ErrorBodyFormat, format);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(QString, type);
    QFETCH(QString, param);
    const ErrorBody parsed = gp::parseErrorBody(body, maxLength);
    QCOMPARE(parsed.message, message);
    QCOMPARE(parsed.format, format);
    QCOMPARE(parsed.code, code);
    QCOMPARE(parsed.type, type);
    QCOMPARE(parsed.param, param);
    verifyUsable(parsed, maxLength);
}

void TestErrorBody::parseStreamError_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<ErrorBodyFormat>("format");
    QTest::addColumn<QString>("message");

    using F = ErrorBodyFormat;
    QTest::newRow("xAI flat") << R"({"code":"Internal","error":"stream reset"})"_ba << true << F::XaiFlat
                              << u"stream reset"_s;
    QTest::newRow("OpenAI nested") << R"({"error":{"message":"overloaded","type":"server_error"}})"_ba << true
                                   << F::OpenAINested << u"overloaded"_s;
    QTest::newRow("leading space") << R"(  {"error":"x"})"_ba << true << F::XaiFlat << u"x"_s;
    QTest::newRow("normal chunk") << R"({"choices":[{"delta":{"content":"hi"}}]})"_ba << false << F::Empty
                                  << QString();
    QTest::newRow("error null") << R"({"choices":[],"error":null})"_ba << false << F::Empty << QString();
    QTest::newRow("done") << "[DONE]"_ba << false << F::Empty << QString();
    QTest::newRow("empty") << QByteArray() << false << F::Empty << QString();
    QTest::newRow("garbage") << "\xff\x00garbage"_ba << false << F::Empty << QString();
    QTest::newRow("truncated") << R"({"error":{"message":"over)"_ba << false << F::Empty << QString();
    QTest::newRow("array") << R"([{"error":"x"}])"_ba << false << F::Empty << QString();
}

void TestErrorBody::parseStreamError()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, isError);
    QFETCH(ErrorBodyFormat, format);
    QFETCH(QString, message);
    const std::optional<ErrorBody> parsed = gp::parseStreamError(data);
    QCOMPARE(parsed.has_value(), isError);
    if (!parsed)
        return;
    QCOMPARE(parsed->format, format);
    QCOMPARE(parsed->message, message);
    verifyUsable(*parsed, DefaultMaxErrorMessageLength);
}

void TestErrorBody::randomBytesAlwaysGiveAUsableLine()
{
    QRandomGenerator random(20261124);
    const QByteArray alphabet = "{}[]\":,<>/ \n\r\tabcerrormessagetitle\\u0\xc3\xa9\xff\x00"_ba;
    for (int round = 0; round < 400; ++round) {
        QByteArray body(random.bounded(1, 200), '\0');
        for (char &c : body)
            c = round % 2 ? char(random.bounded(256)) : alphabet.at(random.bounded(alphabet.size()));
        const int max = random.bounded(0, 80);
        const ErrorBody parsed = gp::parseErrorBody(body, max);
        if (body.trimmed().isEmpty())
            QCOMPARE(parsed.format, ErrorBodyFormat::Empty);
        verifyUsable(parsed, max);
        if (const std::optional<ErrorBody> streamed = gp::parseStreamError(body))
            verifyUsable(*streamed, DefaultMaxErrorMessageLength);
    }
}

void TestErrorBody::everyPrefixOfANestedErrorIsUsable()
{
    const QByteArray body
        = R"({"error":{"message":"Tokens per Minute (actual/limit): 65605/16000","type":"tokens","code":"rate_limit_exceeded","param":null}})"_ba;
    for (qsizetype n = 0; n <= body.size(); ++n)
        verifyUsable(gp::parseErrorBody(body.left(n), 60), 60);
    QCOMPARE(gp::parseErrorBody(body.left(43)).message, u"Tokens per Minute (act"_s);
}

QTEST_APPLESS_MAIN(TestErrorBody)
#include "tst_errorbody.moc"
