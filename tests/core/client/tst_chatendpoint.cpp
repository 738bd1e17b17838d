#include "core/client/chatendpoint.h"
#include "core/client/client.h"
#include "core/client/networkpool.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

// Plain http carries the key in clear: only loopback hosts get it without allowInsecureHttp.
class TestChatEndpoint final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusal_data();
    void refusal();
    void refusedClientNeverConnects();
    void requestHeaders();
    void poolSize_data();
    void poolSize();
};

void TestChatEndpoint::refusal_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<bool>("allowInsecure");
    QTest::addColumn<bool>("refused");

    QTest::newRow("https remote") << u"https://api.x.ai/v1"_s << false << false;
    QTest::newRow("http remote") << u"http://example.invalid/v1"_s << false << true;
    QTest::newRow("HTTP remote, upper case") << u"HTTP://Example.Invalid/v1"_s << false << true;
    QTest::newRow("http remote, allowed") << u"http://example.invalid/v1"_s << true << false;
    QTest::newRow("http 127.0.0.1") << u"http://127.0.0.1:8080/v1"_s << false << false;
    QTest::newRow("http 127.3.4.5") << u"http://127.3.4.5/v1"_s << false << false;
    QTest::newRow("http ::1") << u"http://[::1]:9000/v1"_s << false << false;
    QTest::newRow("http localhost") << u"http://localhost:9000/v1"_s << false << false;
    QTest::newRow("http LOCALHOST") << u"http://LOCALHOST/v1"_s << false << false;
    QTest::newRow("http 10.0.0.1") << u"http://10.0.0.1/v1"_s << false << true;
    QTest::newRow("http 128.0.0.1") << u"http://128.0.0.1/v1"_s << false << true;
    QTest::newRow("http localhost.evil.com") << u"http://localhost.evil.com/v1"_s << false << true;
}

void TestChatEndpoint::refusal()
{
    QFETCH(QString, base);
    QFETCH(bool, allowInsecure);
    QFETCH(bool, refused);
    const ChatEndpoint endpoint(QUrl(base), allowInsecure);
    QCOMPARE(!endpoint.refusal().isEmpty(), refused);
    if (refused) {
        QVERIFY2(endpoint.refusal().contains(QUrl(base).host()), qPrintable(endpoint.refusal()));
        QVERIFY(endpoint.refusal().contains(u"--allow-insecure-http"_s));
    }
}

// The refused job fails inside submit(): no attempt starts, so no connection is opened.
void TestChatEndpoint::refusedClientNeverConnects()
{
    ClientConfig config;
    config.baseUrl = QUrl(u"http://example.invalid/v1"_s);
    config.apiKey = u"secret-key-123"_s;
    Client client(config);
    QCOMPARE(
        client.endpointRefusal(),
        u"refusing to send the API key over plain http to example.invalid; use https or --allow-insecure-http"_s);
    QList<Event> events;
    connect(&client, &Client::eventEmitted, this, [&events](const Event &e) { events.append(e); });
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 3; ++i) {
        RequestJob *job = client.submit(ChatRequest {});
        QVERIFY(job->isFinished()); // synchronously: nothing was queued or sent
        QCOMPARE(job->outcome().status, JobStatus::Failed);
        QCOMPARE(job->outcome().error.errorClass, ErrorClass::Tls);
        QCOMPARE(job->outcome().error.message, client.endpointRefusal());
        QCOMPARE(job->attempts(), 0);
        QCOMPARE(job->outcome().httpStatus, 0);
    }
    QVERIFY(clock.elapsed() < 200);
    QCOMPARE(client.activeJobs(), 0);
    // The terminal events follow on the next event-loop turn: never inside submit().
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 6, 1000); // submitted + failed, per job
    for (const Event &e : std::as_const(events)) {
        QVERIFY(e.kind != EventKind::AttemptStarted && e.kind != EventKind::Queued);
        QVERIFY(!e.message.contains(u"secret-key-123"_s));
    }
}

void TestChatEndpoint::requestHeaders()
{
    ChatEndpoint endpoint(QUrl(u"https://api.x.ai/v1/"_s), false);
    QCOMPARE(endpoint.url().toString(), u"https://api.x.ai/v1/chat/completions"_s);
    QCOMPARE(endpoint.name(), u"https://api.x.ai"_s);
    QVERIFY(endpoint.buildRequest(false, {}).rawHeader("Authorization").isEmpty());
    endpoint.setApiKey(u"k"_s);
    const QNetworkRequest r = endpoint.buildRequest(true, u"row-1"_s);
    QCOMPARE(r.rawHeader("Authorization"), QByteArray("Bearer k"));
    QCOMPARE(r.rawHeader("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(r.rawHeader("x-grokpulse-custom-id"), QByteArray("row-1"));
    // HTTP/2 where TLS offers it, never cleartext h2c; redirects never followed with the key.
    QCOMPARE(r.attribute(QNetworkRequest::Http2AllowedAttribute).toBool(), true);
    QVERIFY(!r.attribute(QNetworkRequest::Http2CleartextAllowedAttribute).toBool());
    QCOMPARE(r.attribute(QNetworkRequest::RedirectPolicyAttribute).toInt(),
             int(QNetworkRequest::ManualRedirectPolicy));
}

void TestChatEndpoint::poolSize_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("managers");
    QTest::newRow("one") << 1 << 1;
    QTest::newRow("six fit one manager") << 6 << 1;
    QTest::newRow("seven need two") << 7 << 2;
    QTest::newRow("64") << 64 << 11;
    QTest::newRow("256") << 256 << 43;
    QTest::newRow("capped") << 10000 << NetworkPool::kMaxManagers;
    QTest::newRow("zero is one") << 0 << 1;
}

void TestChatEndpoint::poolSize()
{
    QFETCH(int, capacity);
    QFETCH(int, managers);
    QCOMPARE(NetworkPool::managersFor(capacity), managers);
    NetworkPool pool(capacity);
    QCOMPARE(pool.managerCount(), 1); // the rest on demand
    QCOMPARE(pool.pick(), pool.primary()); // idle: the warm primary
    QCOMPARE(pool.inFlight(), 0);
}

QTEST_GUILESS_MAIN(TestChatEndpoint)
#include "tst_chatendpoint.moc"
