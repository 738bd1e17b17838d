#include "core/client/attempt.h"
#include "core/client/attemptjudge.h"
#include "core/client/outcome.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestAttemptJudge final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void judge_data();
    void judge();
    void synthesizedBodyRoundTrips();
    void authMessageNamesSourceNotKey();
    void limitsAndTls_data();
    void limitsAndTls();
    void networkErrorMapping_data();
    void networkErrorMapping();
    void statusNames();
};

void TestAttemptJudge::judge_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<bool>("retriable");
    QTest::addColumn<int>("hintMs");

    QTest::newRow("xai 429 with Retry-After")
        << 429 << QByteArray(R"({"code":"Some resource has been exhausted","error":"Rate limit reached"})")
        << HeaderList { { "Retry-After", "3" } } << ErrorClass::RateLimited << true << 3000;
    QTest::newRow("openai nested 401")
        << 401 << QByteArray(R"({"error":{"message":"bad key","type":"invalid_request_error"}})")
        << HeaderList {} << ErrorClass::Authentication << false << -1;
    QTest::newRow("html 502") << 502 << QByteArray("<html><body>Bad Gateway</body></html>") << HeaderList {}
                              << ErrorClass::ServerError << true << -1;
    QTest::newRow("x-should-retry false")
        << 503 << QByteArray() << HeaderList { { "X-Should-Retry", "false" } } << ErrorClass::ServerError
        << false << -1;
}

void TestAttemptJudge::judge()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(HeaderList, headers);
    QFETCH(ErrorClass, cls);
    QFETCH(bool, retriable);
    QFETCH(int, hintMs);
    AttemptResult r;
    r.httpStatus = status;
    r.body = body;
    r.headers = headers;
    const Judgement j = AttemptJudge::judge(r, 1'700'000'000'000LL);
    QCOMPARE(errorClassName(j.classification.errorClass), errorClassName(cls));
    QCOMPARE(j.classification.retriable, retriable);
    QCOMPARE(j.hint.isValid() ? int(j.hint.delayMs) : -1, hintMs);
}

void TestAttemptJudge::synthesizedBodyRoundTrips()
{
    ChatResponse response;
    response.id = u"abc"_s;
    response.model = u"grok-4-0709"_s;
    response.created = 1700000000;
    response.choices = { ChatChoice { 0, u"Hello there"_s, u"thinking"_s, u"stop"_s } };
    response.usage.promptTokens = 10;
    response.usage.completionTokens = 3;
    response.usage.reasoningTokens = 5;
    response.usage.totalTokens = 18;
    response.usage.present = true;
    QString error;
    const auto parsed = parseChatResponse(AttemptJudge::synthesizeBody(response), &error);
    QVERIFY2(parsed.has_value(), qPrintable(error));
    QCOMPARE(parsed->text(), u"Hello there"_s);
    QCOMPARE(parsed->model, response.model);
    QCOMPARE(parsed->choices.first().reasoningContent, u"thinking"_s);
    QCOMPARE(parsed->choices.first().finishReason, u"stop"_s);
    QCOMPARE(parsed->usage.totalTokens, 18);
    QCOMPARE(parsed->usage.reasoningTokens, 5);
}

void TestAttemptJudge::authMessageNamesSourceNotKey()
{
    Classification c {
        ErrorClass::Authentication, false, u"HTTP 401: Incorrect API key provided: xai-SECRET"_s, {}
    };
    const QString m = AttemptJudge::authMessage(c, u"keychain"_s, false);
    QVERIFY(m.contains(u"keychain"));
    QVERIFY(AttemptJudge::authMessage(c, u"XAI_API_KEY"_s, true).contains(u"no API key"));
    QCOMPARE(AttemptJudge::redact(m, u"xai-SECRET"_s).contains(u"xai-SECRET"), false);
    QCOMPARE(AttemptJudge::redact(u"ab"_s, u""_s), u"ab"_s); // empty secret: unchanged
}

// Over-limit bodies and lines are fatal (the same response would come again); TLS names Qt's reason.
void TestAttemptJudge::limitsAndTls_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("overLimit");
    QTest::addColumn<bool>("outputStarted");
    QTest::addColumn<TransportError>("transport");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<bool>("retriable");
    QTest::addColumn<QString>("says");

    QTest::newRow("body over the cap")
        << 200 << true << false << TransportError::None << u"response body exceeds 10 bytes"_s
        << ErrorClass::MalformedResponse << false << u"response body exceeds 10 bytes"_s;
    QTest::newRow("error body over the cap")
        << 503 << true << false << TransportError::None << u"response body exceeds 10 bytes"_s
        << ErrorClass::MalformedResponse << false << u"response body exceeds 10 bytes"_s;
    QTest::newRow("sse line over the cap")
        << 200 << true << true << TransportError::None << u"SSE line longer than 8 bytes"_s
        << ErrorClass::MalformedResponse << false << u"SSE line longer than 8 bytes"_s;
    QTest::newRow("certificate")
        << 0 << false << false << TransportError::Tls
        << u"The host name did not match any of the valid hosts for this certificate"_s << ErrorClass::Tls
        << false << u"TLS failure: The host name did not match any of the valid hosts"_s;
    QTest::newRow("tls, no detail") << 0 << false << false << TransportError::Tls << QString()
                                    << ErrorClass::Tls << false
                                    << u"TLS failure: certificate or handshake rejected"_s;
}

void TestAttemptJudge::limitsAndTls()
{
    QFETCH(int, status);
    QFETCH(bool, overLimit);
    QFETCH(bool, outputStarted);
    QFETCH(TransportError, transport);
    QFETCH(QString, detail);
    QFETCH(ErrorClass, cls);
    QFETCH(bool, retriable);
    QFETCH(QString, says);
    AttemptResult result;
    result.httpStatus = status;
    result.transport = transport;
    result.transportDetail = transport == TransportError::None ? QString() : detail;
    result.malformed = overLimit;
    result.overLimit = overLimit;
    result.malformedReason = overLimit ? detail : QString();
    result.outputStarted = outputStarted;
    result.streamed = outputStarted;
    const Judgement j = AttemptJudge::judge(result, 0);
    QCOMPARE(errorClassName(j.classification.errorClass), errorClassName(cls));
    QCOMPARE(j.classification.retriable, retriable);
    QVERIFY2(j.classification.message.startsWith(says), qPrintable(j.classification.message));
}

void TestAttemptJudge::networkErrorMapping_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<bool>("headers");
    QTest::addColumn<TransportError>("mapped");
    QTest::newRow("refused") << int(QNetworkReply::ConnectionRefusedError) << false
                             << TransportError::ConnectionRefused;
    QTest::newRow("closed before headers")
        << int(QNetworkReply::RemoteHostClosedError) << false << TransportError::ConnectionReset;
    QTest::newRow("closed after headers")
        << int(QNetworkReply::RemoteHostClosedError) << true << TransportError::ClosedEarly;
    QTest::newRow("host not found") << int(QNetworkReply::HostNotFoundError) << false
                                    << TransportError::HostNotFound;
    QTest::newRow("tls") << int(QNetworkReply::SslHandshakeFailedError) << false << TransportError::Tls;
    QTest::newRow("tls after headers")
        << int(QNetworkReply::SslHandshakeFailedError) << true << TransportError::Tls;
    QTest::newRow("https to http redirect")
        << int(QNetworkReply::InsecureRedirectError) << false << TransportError::Tls;
    QTest::newRow("400 restated") << int(QNetworkReply::ProtocolInvalidOperationError) << true
                                  << TransportError::None;
    QTest::newRow("404 restated") << int(QNetworkReply::ContentNotFoundError) << true << TransportError::None;
    QTest::newRow("503 restated") << int(QNetworkReply::ServiceUnavailableError) << true
                                  << TransportError::None;
    QTest::newRow("protocol, no headers")
        << int(QNetworkReply::ProtocolFailure) << false << TransportError::Protocol;
}

void TestAttemptJudge::networkErrorMapping()
{
    QFETCH(int, error);
    QFETCH(bool, headers);
    QFETCH(TransportError, mapped);
    QCOMPARE(transportErrorName(Attempt::mapNetworkError(QNetworkReply::NetworkError(error), headers)),
             transportErrorName(mapped));
}

void TestAttemptJudge::statusNames()
{
    QCOMPARE(jobStatusName(JobStatus::Succeeded), u"succeeded"_s);
    QCOMPARE(jobStatusName(JobStatus::Interrupted), u"interrupted"_s);
}

QTEST_GUILESS_MAIN(TestAttemptJudge)
#include "tst_attemptjudge.moc"
