#include "core/wire/ratelimitheaders.h"
#include "core/wire/structuredfield.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestRateLimitHeaders final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseQuotaHeaders_data();
    void parseQuotaHeaders();
    void parseRetryHint_data();
    void parseRetryHint();
    void parseDurationMs_data();
    void parseDurationMs();
    void parseShouldRetry_data();
    void parseShouldRetry();
    void headerValueIsCaseInsensitiveFirstMatch();
    void parseStructuredList_data();
    void parseStructuredList();
};

// Tue, 14 Nov 2023 22:13:20 GMT
static constexpr qint64 Now = 1'700'000'000'000;

// "Name: value" lines into a header list, as QNetworkReply::rawHeaderPairs() gives them.
static HeaderList headers(const QByteArray &text)
{
    HeaderList list;
    for (const QByteArray &line : text.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            list.append({ line.first(colon), line.sliced(colon + 1).trimmed() });
    }
    return list;
}

// "limit/remaining/resetInMs/windowMs" with '-' for an absent field.
static QByteArray describe(const QuotaWindow &w)
{
    const auto field = [](const std::optional<qint64> &v) { return v ? QByteArray::number(*v) : "-"_ba; };
    return field(w.limit) + '/' + field(w.remaining) + '/' + field(w.resetInMs) + '/' + field(w.windowMs);
}

void TestRateLimitHeaders::parseQuotaHeaders_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("style");
    QTest::addColumn<QByteArray>("requests");
    QTest::addColumn<QByteArray>("tokens");

    const QByteArray unknown = "-/-/-/-";
    QTest::newRow("OpenAI") << "x-ratelimit-limit-requests: 60\nx-ratelimit-remaining-requests: 59\n"
                               "x-ratelimit-reset-requests: 1s\nx-ratelimit-limit-tokens: 16000\n"
                               "x-ratelimit-remaining-tokens: 15000\nx-ratelimit-reset-tokens: 6m0s"_ba
                            << u"openai"_s << "60/59/1000/-"_ba
                            << "16000/15000/360000/-"_ba;
    QTest::newRow("OpenAI mixed case, fractional resets")
        << "X-RateLimit-Limit-Requests: 10\nX-RATELIMIT-RESET-REQUESTS: 120ms\nx-ratelimit-reset-tokens: "
           "1m30.5s\n"
           "X-Ratelimit-Remaining-Tokens: 7"_ba
        << u"openai"_s << "10/-/120/-"_ba
        << "-/7/90500/-"_ba;
    QTest::newRow("IETF structured, one policy") << "RateLimit-Policy: \"default\";q=100;w=60\n"
                                                    "RateLimit: \"default\";r=50;t=30"_ba
                                                 << u"ietf"_s << "100/50/30000/60000"_ba << unknown;
    QTest::newRow("IETF requests and tokens by name")
        << "ratelimit-policy: \"requests\";q=60;w=60, \"tokens\";q=16000;w=60\n"
           "ratelimit: \"requests\";r=59;t=1, \"tokens\";r=15000;t=2"_ba
        << u"ietf"_s << "60/59/1000/60000"_ba
        << "16000/15000/2000/60000"_ba;
    QTest::newRow("IETF tokens by unit parameter")
        << "RateLimit-Policy: \"a\";q=10;w=1, \"b\";q=1000;w=60;qu=\"tokens\"\n"
           "RateLimit: \"a\";r=3;t=1, \"b\";r=900;t=40"_ba
        << u"ietf"_s << "10/3/1000/1000"_ba
        << "1000/900/40000/60000"_ba;
    QTest::newRow("IETF least remaining binds")
        << "RateLimit-Policy: \"burst\";q=10;w=1, \"day\";q=1000;w=86400\n"
           "RateLimit: \"burst\";r=9;t=1, \"day\";r=2;t=3600"_ba
        << u"ietf"_s << "1000/2/3600000/86400000"_ba << unknown;
    QTest::newRow("IETF token names, repeated field")
        << "RateLimit-Policy: default;q=5;w=1\nRateLimit-Policy: tokens_per_minute;q=900;w=60\nRateLimit: default;r=4;t=1"_ba
        << u"ietf"_s << "5/4/1000/1000"_ba
        << "900/-/-/60000"_ba;
    QTest::newRow("IETF state without policy")
        << "RateLimit: \"default\";r=3;t=1"_ba << u"ietf"_s << "-/3/1000/-"_ba << unknown;
    QTest::newRow("IETF legacy") << "RateLimit-Limit: 100\nRateLimit-Remaining: 99\nRateLimit-Reset: 7"_ba
                                 << u"ietf-legacy"_s << "100/99/7000/-"_ba << unknown;
    QTest::newRow("IETF legacy quota policy")
        << "RateLimit-Limit: 10, 10;w=1, 50;w=60"_ba << u"ietf-legacy"_s << "10/-/-/1000"_ba << unknown;
    QTest::newRow("X-RateLimit seconds")
        << "X-RateLimit-Limit: 5000\nX-RateLimit-Remaining: 4999\nX-RateLimit-Reset: 60"_ba << u"xratelimit"_s
        << "5000/4999/60000/-"_ba << unknown;
    QTest::newRow("X-RateLimit Unix seconds") << "X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 1700000042"_ba
                                              << u"xratelimit"_s << "-/0/42000/-"_ba << unknown;
    QTest::newRow("X-RateLimit Unix milliseconds")
        << "X-RateLimit-Remaining: 0\nX-RateLimit-Reset: 1700000042500"_ba << u"xratelimit"_s
        << "-/0/42500/-"_ba << unknown;
    QTest::newRow("X-RateLimit reset in the past")
        << "X-RateLimit-Remaining: 1\nX-RateLimit-Reset: 1699999000"_ba << u"xratelimit"_s << "-/1/0/-"_ba
        << unknown;
    QTest::newRow("Anthropic RFC 3339")
        << "anthropic-ratelimit-requests-limit: 50\nanthropic-ratelimit-requests-remaining: 49\n"
           "anthropic-ratelimit-requests-reset: 2023-11-14T22:13:50Z\nanthropic-ratelimit-tokens-limit: "
           "40000\n"
           "anthropic-ratelimit-tokens-remaining: 39000\nanthropic-ratelimit-tokens-reset: 2023-11-14T23:13:30.25+01:00"_ba
        << u"anthropic"_s << "50/49/30000/-"_ba
        << "40000/39000/10250/-"_ba;
    QTest::newRow("OpenAI beats X-RateLimit")
        << "X-RateLimit-Limit: 1\nX-RateLimit-Remaining: 1\n"
           "x-ratelimit-limit-requests: 60\nx-ratelimit-remaining-requests: 30"_ba
        << u"openai"_s << "60/30/-/-"_ba << unknown;
    QTest::newRow("per-field merge keeps strongest style")
        << "x-ratelimit-remaining-tokens: 500\nX-RateLimit-Limit: 100\nX-RateLimit-Remaining: 9\nX-RateLimit-Reset: 2"_ba
        << u"openai"_s << "100/9/2000/-"_ba
        << "-/500/-/-"_ba;
    QTest::newRow("structured beats legacy per field")
        << "RateLimit-Policy: \"default\";q=100;w=60\nRateLimit-Limit: 7\nRateLimit-Remaining: 5\nRateLimit-Reset: 3"_ba
        << u"ietf"_s << "100/5/3000/60000"_ba << unknown;

    QTest::newRow("no headers") << "Content-Type: application/json"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("garbage values") << "x-ratelimit-remaining-requests: lots\nX-RateLimit-Limit: ten"_ba
                                    << u"none"_s << unknown << unknown;
    QTest::newRow("negative remaining") << "X-RateLimit-Remaining: -5"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("overflowing limit")
        << "x-ratelimit-limit-tokens: 99999999999999999999"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("decimal remaining")
        << "x-ratelimit-remaining-requests: 5.5"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("empty values") << "x-ratelimit-limit-requests:\nRateLimit:\nRateLimit-Policy:  "_ba
                                  << u"none"_s << unknown << unknown;
    QTest::newRow("NaN and inf resets") << "x-ratelimit-limit-requests: 10\nx-ratelimit-reset-requests: NaN\n"
                                           "X-RateLimit-Reset: inf\nRateLimit-Reset: -1"_ba
                                        << u"openai"_s << "10/-/-/-"_ba << unknown;
    QTest::newRow("far-future resets") << "X-RateLimit-Limit: 10\nX-RateLimit-Reset: 99999999999\n"
                                          "x-ratelimit-reset-tokens: 9999h\nx-ratelimit-limit-tokens: 5"_ba
                                       << u"openai"_s << "10/-/-/-"_ba
                                       << "5/-/-/-"_ba;
    QTest::newRow("Anthropic unreadable reset")
        << "anthropic-ratelimit-requests-limit: 50\nanthropic-ratelimit-requests-reset: tomorrow\n"
           "anthropic-ratelimit-tokens-reset: 2023-02-30T00:00:00Z"_ba
        << u"anthropic"_s << "50/-/-/-"_ba << unknown;
    QTest::newRow("malformed structured field ignored")
        << "RateLimit-Policy: \"default\";q=100;w=60,\nRateLimit: \"default;r=5"_ba << u"none"_s << unknown
        << unknown;
    QTest::newRow("negative and non-integer parameters")
        << "RateLimit-Policy: \"default\";q=-1;w=1.5\nRateLimit: \"default\";r=-2;t=999999999999999"_ba
        << u"none"_s << unknown << unknown;
    QTest::newRow("legacy policy list with garbage")
        << "RateLimit-Limit: 10;w=, x"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("name with a suffix")
        << "x-ratelimit-limit-requestsX: 5\nX-RateLimit-Limits: 5"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("Anthropic negative remaining")
        << "anthropic-ratelimit-tokens-remaining: -1"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("malformed reset keeps the limit")
        << "X-RateLimit-Limit: 3\nX-RateLimit-Reset: 1.2.3"_ba << u"xratelimit"_s << "3/-/-/-"_ba << unknown;
    QTest::newRow("RFC 3339 without a zone") << "anthropic-ratelimit-requests-remaining: 4\n"
                                                "anthropic-ratelimit-requests-reset: 2023-11-14T22:13:50"_ba
                                             << u"anthropic"_s << "-/4/-/-"_ba << unknown;
    QTest::newRow("plus sign") << "x-ratelimit-remaining-requests: +5"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("hex") << "X-RateLimit-Limit: 0x10"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("Unix milliseconds overflow")
        << "X-RateLimit-Limit: 2\nX-RateLimit-Reset: 9999999999999999"_ba << u"xratelimit"_s << "2/-/-/-"_ba
        << unknown;
    QTest::newRow("inner list instead of a name")
        << "RateLimit: (a b);r=5"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("exponent in a limit")
        << "x-ratelimit-limit-requests: 1e3"_ba << u"none"_s << unknown << unknown;
    QTest::newRow("binary header value")
        << "X-RateLimit-Remaining: \x01\xff\x00"_ba << u"none"_s << unknown << unknown;
}

void TestRateLimitHeaders::parseQuotaHeaders()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, style);
    QFETCH(QByteArray, requests);
    QFETCH(QByteArray, tokens);
    const QuotaSnapshot snapshot = gp::parseQuotaHeaders(headers(input), Now);
    QCOMPARE(describe(snapshot.requests), requests);
    QCOMPARE(describe(snapshot.tokens), tokens);
    QCOMPARE(quotaHeaderStyleName(snapshot.style), style);
    QCOMPARE(snapshot.isEmpty(), !snapshot.requests.isKnown() && !snapshot.tokens.isKnown());
}

Q_DECLARE_METATYPE(gp::RetryHintSource)

void TestRateLimitHeaders::parseRetryHint_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qint64>("delayMs"); // -1: no usable hint
    QTest::addColumn<RetryHintSource>("source");

    using S = RetryHintSource;
    QTest::newRow("retry-after-ms") << "retry-after-ms: 1500"_ba << qint64(1500) << S::RetryAfterMs;
    QTest::newRow("retry-after-ms decimal rounds up")
        << "retry-after-ms: 1500.2"_ba << qint64(1501) << S::RetryAfterMs;
    QTest::newRow("Retry-After seconds") << "Retry-After: 30"_ba << qint64(30000) << S::RetryAfter;
    QTest::newRow("Retry-After decimal seconds") << "retry-after: 1.5"_ba << qint64(1500) << S::RetryAfter;
    QTest::newRow("Retry-After zero") << "Retry-After: 0"_ba << qint64(0) << S::RetryAfter;
    QTest::newRow("IMF-fixdate") << "Retry-After: Tue, 14 Nov 2023 22:13:30 GMT"_ba << qint64(10000)
                                 << S::RetryAfter;
    QTest::newRow("RFC 850 date") << "Retry-After: Tuesday, 14-Nov-23 22:14:20 GMT"_ba << qint64(60000)
                                  << S::RetryAfter;
    QTest::newRow("asctime date") << "Retry-After: Tue Nov 14 22:13:25 2023"_ba << qint64(5000)
                                  << S::RetryAfter;
    QTest::newRow("asctime padded day in the past")
        << "Retry-After: Sun Nov  6 08:49:37 1994"_ba << qint64(0) << S::RetryAfter;
    QTest::newRow("past date is now")
        << "Retry-After: Tue, 14 Nov 2023 22:00:00 GMT"_ba << qint64(0) << S::RetryAfter;
    QTest::newRow("retry-after-ms wins")
        << "Retry-After: 30\nretry-after-ms: 250"_ba << qint64(250) << S::RetryAfterMs;
    QTest::newRow("bad retry-after-ms falls back")
        << "retry-after-ms: soon\nRetry-After: 2"_ba << qint64(2000) << S::RetryAfter;
    QTest::newRow("at the ceiling") << "Retry-After: 86400"_ba << qint64(86400000) << S::RetryAfter;

    QTest::newRow("no headers") << QByteArray() << qint64(-1) << S::None;
    QTest::newRow("garbage") << "Retry-After: soon"_ba << qint64(-1) << S::None;
    QTest::newRow("negative") << "Retry-After: -1"_ba << qint64(-1) << S::None;
    QTest::newRow("negative ms") << "retry-after-ms: -100"_ba << qint64(-1) << S::None;
    QTest::newRow("NaN") << "Retry-After: NaN"_ba << qint64(-1) << S::None;
    QTest::newRow("inf") << "retry-after-ms: inf\nRetry-After: Infinity"_ba << qint64(-1) << S::None;
    QTest::newRow("overflow") << "Retry-After: 99999999999999999999"_ba << qint64(-1) << S::None;
    QTest::newRow("overflow ms") << "retry-after-ms: 99999999999999999999"_ba << qint64(-1) << S::None;
    QTest::newRow("beyond the ceiling") << "Retry-After: 86401"_ba << qint64(-1) << S::None;
    QTest::newRow("far-future date") << "Retry-After: Fri, 31 Dec 9999 23:59:59 GMT"_ba << qint64(-1)
                                     << S::None;
    QTest::newRow("impossible date") << "Retry-After: Fri, 31 Feb 2023 00:00:00 GMT"_ba << qint64(-1)
                                     << S::None;
    QTest::newRow("bad time of day") << "Retry-After: Tue, 14 Nov 2023 25:13:30 GMT"_ba << qint64(-1)
                                     << S::None;
    QTest::newRow("no zone") << "Retry-After: Tue, 14 Nov 2023 22:13:30"_ba << qint64(-1) << S::None;
    QTest::newRow("exponent") << "Retry-After: 1e3"_ba << qint64(-1) << S::None;
    QTest::newRow("hex") << "Retry-After: 0x10"_ba << qint64(-1) << S::None;
    QTest::newRow("empty value") << "Retry-After: "_ba << qint64(-1) << S::None;
    QTest::newRow("two dots") << "Retry-After: 1.2.3"_ba << qint64(-1) << S::None;
}

void TestRateLimitHeaders::parseRetryHint()
{
    QFETCH(QByteArray, input);
    QFETCH(qint64, delayMs);
    QFETCH(RetryHintSource, source);
    const RetryHint hint = gp::parseRetryHint(headers(input), Now);
    QCOMPARE(hint.source, source);
    QCOMPARE(hint.isValid(), delayMs >= 0);
    if (hint.isValid())
        QCOMPARE(hint.delayMs, delayMs);
}

void TestRateLimitHeaders::parseDurationMs_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("ms"); // -1: invalid

    QTest::newRow("1s") << "1s"_ba << qint64(1000);
    QTest::newRow("6m0s") << "6m0s"_ba << qint64(360000);
    QTest::newRow("1m30.5s") << "1m30.5s"_ba << qint64(90500);
    QTest::newRow("120ms") << "120ms"_ba << qint64(120);
    QTest::newRow("2h") << "2h"_ba << qint64(7200000);
    QTest::newRow("0.5s") << "0.5s"_ba << qint64(500);
    QTest::newRow("1h2m3.004s") << "1h2m3.004s"_ba << qint64(3723004);
    QTest::newRow("0s") << "0s"_ba << qint64(0);
    QTest::newRow("sub-millisecond rounds up") << "500us"_ba << qint64(1);
    QTest::newRow("micro sign") << "2500\xc2\xb5s"_ba << qint64(3);
    QTest::newRow("nanoseconds") << "1000000ns"_ba << qint64(1);
    QTest::newRow("bare seconds") << "30"_ba << qint64(30000);
    QTest::newRow("bare decimal seconds") << "1.25"_ba << qint64(1250);
    QTest::newRow("surrounding spaces") << " 7s\t"_ba << qint64(7000);
    QTest::newRow("leading dot") << ".5s"_ba << qint64(500);

    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("garbage") << "abc"_ba << qint64(-1);
    QTest::newRow("negative") << "-1s"_ba << qint64(-1);
    QTest::newRow("unknown unit") << "1x"_ba << qint64(-1);
    QTest::newRow("unit only") << "s"_ba << qint64(-1);
    QTest::newRow("trailing number") << "1m30"_ba << qint64(-1);
    QTest::newRow("NaN") << "NaN"_ba << qint64(-1);
    QTest::newRow("inf") << "inf"_ba << qint64(-1);
    QTest::newRow("overflowing digits") << "99999999999999999999s"_ba << qint64(-1);
    QTest::newRow("overflowing hours") << "9999999999h"_ba << qint64(-1);
    QTest::newRow("overflowing sum") << "2562047h2562047h"_ba << qint64(-1);
    QTest::newRow("two dots") << "1..5s"_ba << qint64(-1);
    QTest::newRow("inner space") << "1 s"_ba << qint64(-1);
    QTest::newRow("dot only") << ".s"_ba << qint64(-1);
    QTest::newRow("exponent") << "1e3s"_ba << qint64(-1);
    QTest::newRow("upper-case unit") << "1S"_ba << qint64(-1);
}

void TestRateLimitHeaders::parseDurationMs()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, ms);
    const std::optional<qint64> parsed = gp::parseDurationMs(text);
    QCOMPARE(parsed.value_or(-1), ms);
}

void TestRateLimitHeaders::parseShouldRetry_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("expected"); // -1 absent, 0 false, 1 true

    QTest::newRow("true") << "x-should-retry: true"_ba << 1;
    QTest::newRow("TRUE") << "X-Should-Retry: TRUE"_ba << 1;
    QTest::newRow("false") << "x-should-retry: false"_ba << 0;
    QTest::newRow("False padded") << "x-should-retry:   False  "_ba << 0;
    QTest::newRow("absent") << "retry-after: 1"_ba << -1;
    QTest::newRow("yes") << "x-should-retry: yes"_ba << -1;
    QTest::newRow("one") << "x-should-retry: 1"_ba << -1;
    QTest::newRow("empty") << "x-should-retry:"_ba << -1;
    QTest::newRow("truely") << "x-should-retry: truely"_ba << -1;
}

void TestRateLimitHeaders::parseShouldRetry()
{
    QFETCH(QByteArray, input);
    QFETCH(int, expected);
    const std::optional<bool> parsed = gp::parseShouldRetry(headers(input));
    QCOMPARE(parsed ? int(*parsed) : -1, expected);
}

void TestRateLimitHeaders::headerValueIsCaseInsensitiveFirstMatch()
{
    const HeaderList list { { "Retry-After", " 1 " }, { "retry-after", "2" }, { "X-Empty", "" } };
    QCOMPARE(headerValue(list, "RETRY-AFTER"), std::optional<QByteArray>("1"));
    QCOMPARE(headerValue(list, "x-empty"), std::optional<QByteArray>(""));
    QVERIFY(!headerValue(list, "retry-afte"));
    QVERIFY(!headerValue({}, "retry-after"));
}

void TestRateLimitHeaders::parseStructuredList_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("items"); // -1: does not parse
    QTest::addColumn<QByteArray>("firstName");
    QTest::addColumn<qint64>("firstQ"); // -1: no integer q

    QTest::newRow("string with params") << "\"default\";q=100;w=60"_ba << 1 << "default"_ba << qint64(100);
    QTest::newRow("token, spaces, two items") << "  a;q=1 ,\tb;q=2 "_ba << 2 << "a"_ba << qint64(1);
    QTest::newRow("escaped string") << R"("a\"b\\";q=3)"_ba << 1 << "a\"b\\"_ba << qint64(3);
    QTest::newRow("boolean, decimal, byte sequence")
        << "x;q=1;f;d=1.5;b=:aGk=:;t=?0"_ba << 1 << "x"_ba << qint64(1);
    QTest::newRow("later parameter wins") << "x;q=1;q=2"_ba << 1 << "x"_ba << qint64(2);
    QTest::newRow("inner list") << "(a b);q=4, c"_ba << 2 << QByteArray() << qint64(4);
    QTest::newRow("empty") << QByteArray() << 0 << QByteArray() << qint64(-1);
    QTest::newRow("trailing comma") << "a,"_ba << -1 << QByteArray() << qint64(-1);
    QTest::newRow("unterminated string") << "\"abc"_ba << -1 << QByteArray() << qint64(-1);
    QTest::newRow("bad escape") << R"("a\x")"_ba << -1 << QByteArray() << qint64(-1);
    QTest::newRow("upper-case key") << "a;Q=1"_ba << -1 << QByteArray() << qint64(-1);
    QTest::newRow("sixteen-digit integer") << "a;q=1234567890123456"_ba << -1 << QByteArray() << qint64(-1);
    QTest::newRow("four fraction digits") << "a;q=1.2345"_ba << -1 << QByteArray() << qint64(-1);
    QTest::newRow("non-ASCII in string") << "\"\xc3\xa9\""_ba << -1 << QByteArray() << qint64(-1);
    QTest::newRow("missing separator") << "a b"_ba << -1 << QByteArray() << qint64(-1);
    QTest::newRow("unterminated inner list") << "(a b"_ba << -1 << QByteArray() << qint64(-1);
}

void TestRateLimitHeaders::parseStructuredList()
{
    QFETCH(QByteArray, text);
    QFETCH(int, items);
    QFETCH(QByteArray, firstName);
    QFETCH(qint64, firstQ);
    const std::optional<QList<SfItem>> list = gp::parseStructuredList(text);
    QCOMPARE(list ? int(list->size()) : -1, items);
    if (!list || list->isEmpty())
        return;
    QCOMPARE(list->constFirst().value.text, firstName);
    const SfBareItem *q = list->constFirst().parameter("q");
    QCOMPARE(q && q->asInteger() ? *q->asInteger() : qint64(-1), firstQ);
}

QTEST_APPLESS_MAIN(TestRateLimitHeaders)
#include "tst_ratelimitheaders.moc"
