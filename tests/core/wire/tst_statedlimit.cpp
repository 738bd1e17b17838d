#include "core/wire/statedlimit.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gp::StatedLimit;

namespace {
StatedLimit req(qint64 windowMs, qint64 actual, qint64 limit, qint64 requested = -1)
{
    return StatedLimit { StatedLimit::Unit::Requests, windowMs, limit, actual, requested };
}
StatedLimit tok(qint64 windowMs, qint64 actual, qint64 limit, qint64 requested = -1)
{
    return StatedLimit { StatedLimit::Unit::Tokens, windowMs, limit, actual, requested };
}
} // namespace

Q_DECLARE_METATYPE(QList<StatedLimit>)

class TestStatedLimit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void tightest();
};

void TestStatedLimit::parse_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QList<StatedLimit>>("expected");
    constexpr qint64 S = 1000;
    constexpr qint64 M = 60000;
    constexpr qint64 H = 3600000;
    constexpr qint64 D = 86400000;

    // xAI, 2026: both request windows, in the order written.
    QTest::newRow("xai requests")
        << u"Too many requests for team 7c1e and model grok-4.3. Your team's rate limit is \u2014 Requests "
           u"per "
           "Second (actual/limit): 2/2, Requests per Minute (actual/limit): 73/60."_s
        << QList<StatedLimit> { req(S, 2, 2), req(M, 73, 60) };
    QTest::newRow("xai requests with tier sentence")
        << u"Too many requests for team t and model grok-4-0709. Your team's rate limit is \u2014 Requests "
           u"per "
           "Second (actual/limit): 6/10, Requests per Minute (actual/limit): 6/600. Upgrade your tier at "
           "https://console.x.ai."_s
        << QList<StatedLimit> { req(S, 6, 10), req(M, 6, 600) };
    QTest::newRow("xai tokens")
        << u"Too many tokens for team e9fe and model grok-4-0709. Your team's rate limit is \u2014 Tokens "
           u"per Minute "
           "(actual/limit): 65605/16000. You can view your team rate limits at https://console.x.ai."_s
        << QList<StatedLimit> { tok(M, 65605, 16000) };
    QTest::newRow("xai tokens full window") << u"Too many tokens for team T and model grok-4-0709. Your "
                                               u"team's rate limit is \u2014 Tokens per Minute "
                                               "(actual/limit): 6200/6000."_s
                                            << QList<StatedLimit> { tok(M, 6200, 6000) };
    QTest::newRow("no dash, lower case, tokens first")
        << u"your team's rate limit is tokens per minute (actual/limit): 10/5, requests per second "
           "(actual/limit): 3/4"_s
        << QList<StatedLimit> { tok(M, 10, 5), req(S, 3, 4) };
    QTest::newRow("older RPM wording")
        << u"Requests per Minute (actual/limit): 61/60"_s << QList<StatedLimit> { req(M, 61, 60) };
    QTest::newRow("hour and day")
        << u"Requests per Hour (actual/limit): 1001/1000 Tokens per Day (actual/limit): 5/4"_s
        << QList<StatedLimit> { req(H, 1001, 1000), tok(D, 5, 4) };
    QTest::newRow("spaces around slash")
        << u"Tokens per Minute (actual/limit):  20 / 10"_s << QList<StatedLimit> { tok(M, 20, 10) };
    // OpenAI and compatible servers (Groq): Limit, Used, Requested.
    QTest::newRow("openai tpm") << u"Rate limit reached for gpt-4 in organization org-x on tokens per min "
                                   u"(TPM): Limit 10000, Used 9990, "
                                   "Requested 200. Please try again in 1.14s."_s
                                << QList<StatedLimit> { tok(M, 10190, 10000, 200) };
    QTest::newRow("openai rpm") << u"Rate limit reached for gpt-3.5-turbo in organization org-x on requests "
                                   u"per min (RPM): Limit 3, Used 3, "
                                   "Requested 1."_s
                                << QList<StatedLimit> { req(M, 4, 3, 1) };
    QTest::newRow("openai rpd") << u"on requests per day (RPD): Limit 200, Used 200, Requested 1."_s
                                << QList<StatedLimit> { req(D, 201, 200, 1) };
    QTest::newRow("groq tilde")
        << u"Rate limit reached for model `llama3-70b-8192` in organization `org_01` on tokens per minute "
           u"(TPM): "
           "Limit 7000, Used 0, Requested ~12903. Please try again in 50.597142857s."_s
        << QList<StatedLimit> { tok(M, 12903, 7000, 12903) };
    QTest::newRow("thousands separators")
        << u"on tokens per min (TPM): Limit 1,000,000, Used 999,990, Requested 20."_s
        << QList<StatedLimit> { tok(M, 1000010, 1000000, 20) };
    // Garbage: nothing, and never a crash.
    QTest::newRow("empty") << QString() << QList<StatedLimit> {};
    QTest::newRow("html")
        << u"<html><head><title>429 Too Many Requests</title></head><body>nginx</body></html>"_s
        << QList<StatedLimit> {};
    QTest::newRow("overflow") << u"Tokens per Minute (actual/limit): 99999999999999999999/0"_s
                              << QList<StatedLimit> {};
    QTest::newRow("overflow limit") << u"Tokens per Minute (actual/limit): 5/99999999999999999999"_s
                                    << QList<StatedLimit> {};
    QTest::newRow("zero limit") << u"Requests per Second (actual/limit): 3/0"_s << QList<StatedLimit> {};
    QTest::newRow("no numbers") << u"Requests per Second (actual/limit): a/b"_s << QList<StatedLimit> {};
    QTest::newRow("negative") << u"Requests per Second (actual/limit): -3/-2"_s << QList<StatedLimit> {};
    QTest::newRow("capacity")
        << u"The service is temporarily at capacity. Please retry your request shortly."_s
        << QList<StatedLimit> {};
    // xAI's free-tier allowance: a 24-hour total, no per-unit window, so no rate to pace by.
    QTest::newRow("free usage allowance")
        << u"You've used all the included free usage for model grok-4.5-build-free for now. Usage resets "
           u"over a rolling 24-hour window \u2014 tokens (actual/limit): 1,065,387/1,000,000."_s
        << QList<StatedLimit> {};
    QTest::newRow("unknown unit") << u"Bananas per Minute (actual/limit): 3/2"_s << QList<StatedLimit> {};
    QTest::newRow("sim words without numbers")
        << u"Team sim-team has exceeded the requests limit for model grok-4 (10 requests per second)."_s
        << QList<StatedLimit> {};
    QTest::newRow("huge input") << QString(100000, u'9') + u"/"_s << QList<StatedLimit> {};
}

void TestStatedLimit::parse()
{
    QFETCH(QString, message);
    QFETCH(QList<StatedLimit>, expected);
    const QList<StatedLimit> got = gp::parseStatedLimits(message);
    QCOMPARE(got.size(), expected.size());
    for (qsizetype i = 0; i < got.size(); ++i) {
        QCOMPARE(int(got[i].unit), int(expected[i].unit));
        QCOMPARE(got[i].windowMs, expected[i].windowMs);
        QCOMPARE(got[i].limit, expected[i].limit);
        QCOMPARE(got[i].actual, expected[i].actual);
        QCOMPARE(got[i].requested, expected[i].requested);
    }
}

void TestStatedLimit::tightest()
{
    const QList<StatedLimit> limits = gp::parseStatedLimits(
        u"Requests per Minute (actual/limit): 73/60, Requests per Second (actual/limit): 2/2"_s);
    const StatedLimit *r = gp::tightestStatedLimit(limits, StatedLimit::Unit::Requests);
    QVERIFY(r);
    QCOMPARE(r->windowMs, 1000);
    QCOMPARE(r->perSecond(), 2.0);
    QVERIFY(!gp::tightestStatedLimit(limits, StatedLimit::Unit::Tokens));
}

QTEST_APPLESS_MAIN(TestStatedLimit)
#include "tst_statedlimit.moc"
