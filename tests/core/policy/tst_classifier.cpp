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
    void tokensExceed_data();
    void tokensExceed();
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
    QTest::newRow("429 tokens exceed")
        << 429
        << xai(u"Resource exhausted"_s, u"Request too large. Tokens per Minute (actual/limit): 65605/16000"_s)
        << none << false << -1 << ErrorClass::RequestTooLarge << false;
    QTest::newRow("429 team tpm exhausted is a rate limit")
        << 429
        << xai(u"Some resource has been exhausted"_s,
               u"Team t has exceeded the tokens per minute limit. Tokens per Minute (actual/limit): 16100/16000. Please slow down."_s)
        << none << false << -1 << ErrorClass::RateLimited << true;
    QTest::newRow("429 sim too large")
        << 429
        << xai(u"x"_s,
               u"This request is too large: Tokens per Minute (actual/limit): 16001/16000. Reduce the prompt."_s)
        << none << false << -1 << ErrorClass::RequestTooLarge << false;
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

void TestClassifier::tokensExceed_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("exceeds");
    QTest::newRow("xai") << u"Tokens per Minute (actual/limit): 65605/16000"_s << true;
    QTest::newRow("under limit") << u"Tokens per Minute (actual/limit): 100/16000"_s << false;
    QTest::newRow("spaces") << u"tokens per minute (actual/limit): 20 / 10"_s << true;
    QTest::newRow("plain rate limit") << u"Rate limit exceeded"_s << false;
    QTest::newRow("garbage digits") << u"Tokens per Minute (actual/limit): 99999999999999999999999/1"_s
                                    << false;
}

void TestClassifier::tokensExceed()
{
    QFETCH(QString, message);
    QFETCH(bool, exceeds);
    QCOMPARE(messageSaysTokensExceedLimit(message), exceeds);
}

void TestClassifier::messagesNameTheCause()
{
    ClassifierInput big;
    big.httpStatus = 429;
    big.body = xai(u"x"_s, u"Tokens per Minute (actual/limit): 16100/16000. Please slow down."_s);
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
