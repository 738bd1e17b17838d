#include "core/policy/classifier.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestClassifier final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table_data();
    void table();
    void tooLarge_data();
    void tooLarge();
    void estimateMargin_data();
    void estimateMargin();
    void messagesNameTheCause();
};

namespace {
ErrorBody xai(const QString &code, const QString &message)
{
    return ErrorBody { ErrorBodyFormat::XaiFlat, code, message, {}, {} };
}
ErrorBody openai(const QString &code, const QString &type, const QString &message)
{
    return ErrorBody { ErrorBodyFormat::OpenAINested, code, message, type, {} };
}
} // namespace

void TestClassifier::table_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<ErrorBody>("body");
    QTest::addColumn<int>("transport");
    QTest::addColumn<bool>("malformed");
    QTest::addColumn<int>("shouldRetry"); // -1 absent, 0 false, 1 true
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<bool>("retriable");

    const auto none = int(TransportError::None);
    const ErrorBody empty;
    // success
    QTest::newRow("200") << 200 << empty << none << false << -1 << ErrorClass::None << false;
    QTest::newRow("200 malformed") << 200 << empty << none << true << -1 << ErrorClass::MalformedResponse
                                   << true;
    QTest::newRow("200 truncated") << 200 << empty << int(TransportError::ClosedEarly) << false << -1
                                   << ErrorClass::MalformedResponse << true;
    // retriable statuses
    for (int s : { 408, 409, 500, 502, 503, 504 })
        QTest::newRow(qPrintable(QString::number(s)))
            << s << empty << none << false << -1 << ErrorClass::ServerError << true;
    QTest::newRow("599 unknown 5xx") << 599 << empty << none << false << -1 << ErrorClass::ServerError
                                     << true;
    QTest::newRow("529") << 529 << empty << none << false << -1 << ErrorClass::Capacity << true;
    QTest::newRow("429 rate limit") << 429
                                    << xai(u"Resource exhausted"_s, u"Rate limit reached for requests"_s)
                                    << none << false << -1 << ErrorClass::RateLimited << true;
    QTest::newRow("429 openai rate") << 429 << openai(u"rate_limit_exceeded"_s, u"requests"_s, u"Slow down"_s)
                                     << none << false << -1 << ErrorClass::RateLimited << true;
    QTest::newRow("429 capacity") << 429 << xai(u"Resource exhausted"_s, u"The service is at capacity"_s)
                                  << none << false << -1 << ErrorClass::Capacity << true;
    QTest::newRow("429 empty body") << 429 << empty << none << false << -1 << ErrorClass::RateLimited << true;
    // transport
    QTest::newRow("refused") << 0 << empty << int(TransportError::ConnectionRefused) << false << -1
                             << ErrorClass::Network << true;
    QTest::newRow("reset") << 0 << empty << int(TransportError::ConnectionReset) << false << -1
                           << ErrorClass::Network << true;
    QTest::newRow("closed early no status")
        << 0 << empty << int(TransportError::ClosedEarly) << false << -1 << ErrorClass::Network << true;
    QTest::newRow("host not found") << 0 << empty << int(TransportError::HostNotFound) << false << -1
                                    << ErrorClass::Network << true;
    QTest::newRow("first byte timeout")
        << 0 << empty << int(TransportError::FirstByteTimeout) << false << -1 << ErrorClass::Timeout << true;
    QTest::newRow("idle timeout") << 200 << empty << int(TransportError::IdleTimeout) << false << -1
                                  << ErrorClass::Timeout << true;
    QTest::newRow("attempt timeout") << 0 << empty << int(TransportError::AttemptTimeout) << false << -1
                                     << ErrorClass::Timeout << true;
    QTest::newRow("tls") << 0 << empty << int(TransportError::Tls) << false << -1 << ErrorClass::Tls << false;
    QTest::newRow("tls ignores should-retry")
        << 0 << empty << int(TransportError::Tls) << false << 1 << ErrorClass::Tls << false;
    // fatal
    QTest::newRow("400") << 400 << xai(u"Client specified an invalid argument"_s, u"bad temperature"_s)
                         << none << false << -1 << ErrorClass::BadRequest << false;
    QTest::newRow("400 incorrect key")
        << 400 << xai(u"Client specified an invalid argument"_s, u"Incorrect API key provided: xa***yz."_s)
        << none << false << -1 << ErrorClass::Authentication << false;
    QTest::newRow("401") << 401 << empty << none << false << -1 << ErrorClass::Authentication << false;
    QTest::newRow("403") << 403 << xai(u"Permission denied"_s, u"no access to model"_s) << none << false << -1
                         << ErrorClass::PermissionDenied << false;
    QTest::newRow("403 credits") << 403 << xai(u"Permission denied"_s, u"Your team has run out of credits"_s)
                                 << none << false << -1 << ErrorClass::CreditsExhausted << false;
    QTest::newRow("404") << 404 << empty << none << false << -1 << ErrorClass::NotFound << false;
    for (int s : { 405, 415, 422 })
        QTest::newRow(qPrintable(QString::number(s)))
            << s << empty << none << false << -1 << ErrorClass::BadRequest << false;
    QTest::newRow("413") << 413 << empty << none << false << -1 << ErrorClass::RequestTooLarge << false;
    QTest::newRow("418 unknown 4xx") << 418 << empty << none << false << -1 << ErrorClass::BadRequest
                                     << false;
    QTest::newRow("429 credits")
        << 429
        << xai(u"Resource exhausted"_s,
               u"Your team has used all available credits or reached its spending limit"_s)
        << none << false << -1 << ErrorClass::CreditsExhausted << false;
    QTest::newRow("429 spending limit") << 429 << xai(u"x"_s, u"monthly spending limit reached"_s) << none
                                        << false << -1 << ErrorClass::CreditsExhausted << false;
    QTest::newRow("429 insufficient_quota") << 429 << openai(u"insufficient_quota"_s, u"x"_s, u"quota"_s)
                                            << none << false << -1 << ErrorClass::CreditsExhausted << false;
    QTest::newRow("429 free quota") << 429
                                    << xai(u"resource-exhausted"_s,
                                           u"Free usage quota exceeded. Purchase credits"_s)
                                    << none << false << -1 << ErrorClass::CreditsExhausted << false;
    // xAI's free tier, as captured in public client code (2026): the code names it, the text
    // states a 24-hour token allowance with "tokens (actual/limit)" and no per-unit window.
    QTest::newRow("429 xai free usage exhausted")
        << 429
        << xai(u"subscription:free-usage-exhausted"_s,
               u"You've used all the included free usage for model grok-4.5-build-free for now. Usage "
               u"resets over a rolling 24-hour window \u2014 tokens (actual/limit): 1065387/1000000."_s)
        << none << false << -1 << ErrorClass::CreditsExhausted << false;
    QTest::newRow("429 free usage, nested, commas")
        << 429
        << openai(u"subscription:free-usage-exhausted"_s, QString(),
                  u"You've used all the included free usage for model grok-4.6 for now. Usage resets over a "
                  u"rolling 24-hour window - tokens (actual/limit): 1,065,387/1,000,000."_s)
        << none << false << -1 << ErrorClass::CreditsExhausted << false;
    QTest::newRow("429 xai credits")
        << 429
        << xai(u"resource-exhausted"_s,
               u"Your team 16f2 has either used all available credits or reached its monthly spending limit. "
               u"To "
               "continue making API requests, please purchase more credits or raise your spending limit."_s)
        << none << false << -1 << ErrorClass::CreditsExhausted << false;
    QTest::newRow("403 permission-denied")
        << 403 << xai(u"permission-denied"_s, u"access to the chat endpoint is denied"_s) << none << false
        << -1 << ErrorClass::PermissionDenied << false;
    QTest::newRow("404 xai route") << 404
                                   << xai(u"Some requested entity was not found"_s,
                                          u"No handler found on route"_s)
                                   << none << false << -1 << ErrorClass::NotFound << false;
    QTest::newRow("429 older grpc text") << 429 << xai(u"Some resource has been exhausted"_s, u"x"_s) << none
                                         << false << -1 << ErrorClass::RateLimited << true;
    QTest::newRow("429 html") << 429
                              << ErrorBody { ErrorBodyFormat::Html, {}, u"429 Too Many Requests"_s, {}, {} }
                              << none << false << -1 << ErrorClass::RateLimited << true;
    // "too large" is decided by numbers (tooLarge below), never by the words around them.
    QTest::newRow("429 tokens, words say too large, no estimate")
        << 429
        << xai(u"Resource exhausted"_s, u"Request too large. Tokens per Minute (actual/limit): 65605/16000"_s)
        << none << false << -1 << ErrorClass::RateLimited << true;
    // x-should-retry overrides
    QTest::newRow("503 should-retry false")
        << 503 << empty << none << false << 0 << ErrorClass::ServerError << false;
    QTest::newRow("400 should-retry true")
        << 400 << empty << none << false << 1 << ErrorClass::BadRequest << true;
    QTest::newRow("200 ignores should-retry")
        << 200 << empty << none << false << 1 << ErrorClass::None << false;
}

void TestClassifier::table()
{
    QFETCH(int, status);
    QFETCH(ErrorBody, body);
    QFETCH(int, transport);
    QFETCH(bool, malformed);
    QFETCH(int, shouldRetry);
    QFETCH(ErrorClass, cls);
    QFETCH(bool, retriable);

    ClassifierInput in;
    in.httpStatus = status;
    in.body = body;
    in.transport = TransportError(transport);
    in.malformedSuccess = malformed;
    if (shouldRetry >= 0)
        in.shouldRetry = shouldRetry == 1;
    const Classification c = classifyAttempt(in);
    QCOMPARE(errorClassName(c.errorClass), errorClassName(cls));
    QCOMPARE(c.retriable, retriable);
    if (cls != ErrorClass::None)
        QVERIFY(!c.message.isEmpty());
}

void TestClassifier::tooLarge_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("requestTokens");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<int>("statedCount");
    const QString xaiTokens
        = u"Too many tokens for team T and model grok-4-0709. Your team's rate limit is \u2014 "
          "Tokens per Minute (actual/limit): %1/%2. You can view your team rate limits at "
          "https://console.x.ai."_s;
    // A full window: a 200-token request under a 6,000 limit waits and succeeds.
    QTest::newRow("xai full window") << xaiTokens.arg(6200).arg(6000) << qint64(200) << false
                                     << ErrorClass::RateLimited << 1;
    QTest::newRow("xai full window, no estimate")
        << xaiTokens.arg(65605).arg(16000) << qint64(0) << false << ErrorClass::RateLimited << 1;
    // The famous Grok 4 prompt: this request alone is over the limit.
    QTest::newRow("xai estimate over limit")
        << xaiTokens.arg(65605).arg(16000) << qint64(65000) << false << ErrorClass::RequestTooLarge << 1;
    QTest::newRow("estimate within the margin")
        << xaiTokens.arg(30000).arg(16000) << qint64(17000) << false << ErrorClass::RateLimited << 1;
    QTest::newRow("server counted just this request")
        << xaiTokens.arg(16500).arg(16000) << qint64(16400) << false << ErrorClass::RequestTooLarge << 1;
    QTest::newRow("counted this request, under limit")
        << xaiTokens.arg(5000).arg(6000) << qint64(5000) << false << ErrorClass::RateLimited << 1;
    QTest::newRow("openai requested over limit")
        << u"Rate limit reached for model `llama3-70b-8192` in organization `org_01` on tokens per minute "
           u"(TPM): "
           "Limit 7000, Used 0, Requested ~12903. Please try again in 50.597142857s."_s
        << qint64(0) << false << ErrorClass::RequestTooLarge << 1;
    QTest::newRow("openai full window") << u"Rate limit reached for gpt-4 in organization org-x on tokens "
                                           u"per min (TPM): Limit 10000, Used 9990, "
                                           "Requested 200."_s
                                        << qint64(200) << false << ErrorClass::RateLimited << 1;
    QTest::newRow("xai requests")
        << u"Too many requests for team 7c1e and model grok-4.3. Your team's rate limit is \u2014 Requests "
           u"per "
           "Second (actual/limit): 2/2, Requests per Minute (actual/limit): 73/60."_s
        << qint64(100000) << false << ErrorClass::RateLimited << 2;
    QTest::newRow("capacity")
        << u"The service is temporarily at capacity. Please retry your request shortly."_s << qint64(200)
        << false << ErrorClass::Capacity << 0;
    QTest::newRow("garbage numbers") << u"Tokens per Minute (actual/limit): 99999999999999999999/0"_s
                                     << qint64(200) << false << ErrorClass::RateLimited << 0;
    QTest::newRow("empty") << QString() << qint64(200) << false << ErrorClass::RateLimited << 0;
    QTest::newRow("stream error, too large")
        << xaiTokens.arg(65605).arg(16000) << qint64(65000) << true << ErrorClass::RequestTooLarge << 1;
    QTest::newRow("stream error, full window")
        << xaiTokens.arg(6200).arg(6000) << qint64(200) << true << ErrorClass::ServerError << 0;
}

void TestClassifier::tooLarge()
{
    QFETCH(QString, message);
    QFETCH(qint64, requestTokens);
    QFETCH(bool, stream);
    QFETCH(ErrorClass, cls);
    QFETCH(int, statedCount);
    ClassifierInput in;
    in.httpStatus = stream ? 200 : 429;
    in.streamErrorEvent = stream;
    in.body = xai(u"resource-exhausted"_s, message);
    in.requestTokens = requestTokens;
    const Classification c = classifyAttempt(in);
    QCOMPARE(errorClassName(c.errorClass), errorClassName(cls));
    QCOMPARE(c.retriable, cls != ErrorClass::RequestTooLarge);
    if (!stream)
        QCOMPARE(c.statedLimits.size(), statedCount);
}

void TestClassifier::estimateMargin_data()
{
    QTest::addColumn<qint64>("estimate");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<bool>("exceeds");
    QTest::newRow("under") << qint64(200) << qint64(6000) << false;
    QTest::newRow("at limit") << qint64(6000) << qint64(6000) << false;
    QTest::newRow("within margin") << qint64(6600) << qint64(6000) << false;
    QTest::newRow("over margin") << qint64(6601) << qint64(6000) << true;
    QTest::newRow("unknown estimate") << qint64(0) << qint64(6000) << false;
    QTest::newRow("unknown limit") << qint64(99999) << qint64(0) << false;
}

void TestClassifier::estimateMargin()
{
    QFETCH(qint64, estimate);
    QFETCH(qint64, limit);
    QFETCH(bool, exceeds);
    QCOMPARE(estimateExceedsTokenLimit(estimate, limit), exceeds);
}

void TestClassifier::messagesNameTheCause()
{
    ClassifierInput big;
    big.httpStatus = 429;
    big.body = xai(u"x"_s, u"Tokens per Minute (actual/limit): 16100/16000."_s);
    QCOMPARE(classifyAttempt(big).errorClass, ErrorClass::RateLimited);
    big.requestTokens = 20000; // this request alone is over the limit: waiting cannot help
    QCOMPARE(classifyAttempt(big).errorClass, ErrorClass::RequestTooLarge);

    ClassifierInput in;
    in.httpStatus = 503;
    in.body = xai(u"Unavailable"_s, u"upstream down"_s);
    const auto c = classifyAttempt(in);
    QVERIFY(c.message.contains(u"503"));
    QVERIFY(c.message.contains(u"upstream down"));

    ClassifierInput stream;
    stream.httpStatus = 200;
    stream.streamErrorEvent = true;
    stream.body = xai(u"Internal"_s, u"model crashed"_s);
    const auto s = classifyAttempt(stream);
    QCOMPARE(s.errorClass, ErrorClass::ServerError);
    QVERIFY(s.retriable);
    QVERIFY(s.message.contains(u"model crashed"));
}

QTEST_GUILESS_MAIN(TestClassifier)
#include "tst_classifier.moc"
