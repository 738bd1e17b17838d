#include "app/gateway/gatewayoptions.h"
#include "app/gateway/gatewayserver.h"
#include "app/gateway/gatewaysession.h"
#include "app/gateway/gatewaytoken.h"
#include "core/client/client.h"
#include "core/sim/simserver.h"
#include "rawhttp.h"

#include <QFile>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace gp;
using namespace Qt::StringLiterals;

using namespace gp::test;

class TestGateway final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void refusals_data();
    void refusals();
    void slowClients_data();
    void slowClients();
    void connectionCap();
    void queueFull();
    void streamRetriedBeforeOutputLeavesNoTrace();
    void cutAfterOutputIsPassedOnAsCut();
    void givingUpAnswersInOpenAiShape_data();
    void givingUpAnswersInOpenAiShape();
    void upstreamBadRequestPassesThrough();
    void jobsAreLabelledByClient();
    void tokenFile();
    void nonLoopbackNeedsFlag();

private:
    bool startStack(GatewayOptions options = {}, const QJsonObject &scenario = quietScenario());

    QTemporaryDir m_dir;
    std::unique_ptr<sim::SimServer> m_sim;
    std::unique_ptr<GatewaySession> m_gateway;
    QByteArray m_token;
};

bool TestGateway::startStack(GatewayOptions options, const QJsonObject &scenario)
{
    m_sim = std::make_unique<sim::SimServer>();
    QString error;
    if (!m_sim->setScenarioJson(scenario, &error) || !m_sim->listen(0)) {
        qWarning() << "sim:" << error;
        return false;
    }
    m_sim->setSeed(1);
    m_sim->setRequiredApiKey(QString::fromLatin1(UpstreamKey));
    options.listenPort = 0;
    options.upstream = m_sim->baseUrl();
    options.apiKeyEnv = QString::fromLatin1(KeyEnv);
    options.tokenFile = m_dir.filePath(u"token"_s);
    options.quiet = true;
    m_gateway = std::make_unique<GatewaySession>(options);
    if (const int code = m_gateway->start(&error)) {
        qWarning() << "gateway:" << code << error;
        return false;
    }
    bool created = false;
    m_token = *GatewayToken::loadOrCreate(options.tokenFile, &created, &error);
    return true;
}

void TestGateway::init()
{
    qputenv(KeyEnv, UpstreamKey);
}

void TestGateway::cleanup()
{
    m_gateway.reset();
    m_sim.reset();
    QFile::remove(m_dir.filePath(u"token"_s));
}

void TestGateway::refusals_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QByteArray t = "TOKEN";
    QTest::newRow("malformed json") << post(t, "{\"model\": ") << 400 << u"invalid_json"_s;
    QTest::newRow("not an object") << post(t, "[1,2]") << 400 << u"invalid_json"_s;
    QTest::newRow("no messages") << post(t, "{\"model\":\"grok-4\"}") << 400 << u"invalid_request"_s;
    QTest::newRow("wrong token") << post("wrong-token", chatBody()) << 401 << u"invalid_api_key"_s;
    QTest::newRow("upstream key as token") << post(UpstreamKey, chatBody()) << 401 << u"invalid_api_key"_s;
    QTest::newRow("body over the limit") << post(t, QByteArray(5000, 'x')) << 413 << u"request_too_large"_s;
    QTest::newRow("bad priority") << post(t, chatBody(), "x-grokpulse-priority: urgent\r\n") << 400
                                  << u"invalid_priority"_s;
    QTest::newRow("unknown path") << QByteArray("GET /v1/nothing HTTP/1.1\r\nAuthorization: Bearer TOKEN\r\n"
                                                "Connection: close\r\n\r\n")
                                  << 404 << u"unknown_url"_s;
    QTest::newRow("wrong method") << QByteArray("GET /v1/chat/completions HTTP/1.1\r\nAuthorization: Bearer "
                                                "TOKEN\r\nConnection: close\r\n\r\n")
                                  << 405 << u"method_not_allowed"_s;
    QTest::newRow("chunked body") << QByteArray("POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: "
                                                "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                                  << 501 << u"bad_http_request"_s;
}

void TestGateway::refusals()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, code);
    GatewayOptions options;
    options.maxBodyBytes = 4096;
    QVERIFY(startStack(options));
    request.replace("TOKEN", m_token);
    const RawReply reply = exchange(m_gateway->port(), request);
    QCOMPARE(reply.status(), status);
    const QJsonObject error = reply.json().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), code);
    QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    QVERIFY(!error.value(u"type"_s).toString().isEmpty());
    QVERIFY(!reply.bytes.contains(UpstreamKey));
    QCOMPARE(m_sim->stats().value(u"requests"_s).toInt(), 0); // nothing went upstream
}

void TestGateway::slowClients_data()
{
    QTest::addColumn<QByteArray>("partial");
    QTest::addColumn<int>("status");
    QTest::newRow("headers never end")
        << QByteArray("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n") << 408;
    QTest::newRow("body never ends") << QByteArray(
        "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"model\"")
                                     << 408;
    QTest::newRow("idle keep-alive") << QByteArray() << 0;
}

void TestGateway::slowClients()
{
    QFETCH(QByteArray, partial);
    QFETCH(int, status);
    GatewayOptions options;
    options.headerTimeoutMs = 300;
    options.bodyTimeoutMs = 300;
    options.idleTimeoutMs = 300;
    QVERIFY(startStack(options));
    QElapsedTimer clock;
    clock.start();
    const RawReply reply = exchange(m_gateway->port(), partial, 5000);
    QVERIFY(reply.closedByServer);
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(reply.status(), status);
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->server()->connectionCount(), 0, 2000);
}

void TestGateway::connectionCap()
{
    GatewayOptions options;
    options.maxConnections = 2;
    QVERIFY(startStack(options));
    QTcpSocket first, second;
    first.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    second.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->server()->connectionCount(), 2, 2000);
    const RawReply third = exchange(m_gateway->port(), post(m_token, chatBody()));
    QCOMPARE(third.status(), 503);
    QCOMPARE(third.json().value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"gateway_connections_full"_s);
    first.abort();
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->server()->connectionCount(), 1, 2000);
    QCOMPARE(exchange(m_gateway->port(), post(m_token, chatBody())).status(), 200);
}

void TestGateway::queueFull()
{
    GatewayOptions options;
    options.maxPending = 1;
    QVERIFY(startStack(options, quietScenario(0, 1500)));
    QTcpSocket slow;
    const QByteArray request = post(m_token, chatBody());
    connect(&slow, &QTcpSocket::connected, &slow, [&slow, request] { slow.write(request); });
    slow.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->server()->pendingCount(), 1, 2000);
    const RawReply refused = exchange(m_gateway->port(), post(m_token, chatBody()));
    QCOMPARE(refused.status(), 429);
    QCOMPARE(refused.header("Retry-After"), QByteArray("1"));
    QCOMPARE(refused.json().value(u"error"_s).toObject().value(u"code"_s).toString(),
             u"gateway_queue_full"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_gateway->server()->pendingCount(), 0, 5000);
    QCOMPARE(m_sim->stats().value(u"requests"_s).toInt(), 1);
}

void TestGateway::streamRetriedBeforeOutputLeavesNoTrace()
{
    QVERIFY(startStack());
    m_sim->enqueueFaults(QJsonArray { QJsonObject { { u"kind"_s, u"reset_after_headers"_s } } });
    const RawReply reply = exchange(m_gateway->port(), post(m_token, chatBody(true)));
    QCOMPARE(reply.status(), 200);
    QCOMPARE(reply.header("x-grokpulse-attempts"), QByteArray("2"));
    QVERIFY(reply.bytes.endsWith("0\r\n\r\n")); // a complete chunked stream
    QCOMPARE(reply.body().count("data: [DONE]"), 1);
    QVERIFY(!reply.body().contains("sim-1-00000001")); // nothing of the failed attempt
    QVERIFY(reply.body().contains("sim-1-00000002"));
}

void TestGateway::cutAfterOutputIsPassedOnAsCut()
{
    QVERIFY(startStack());
    m_sim->enqueueFaults(
        QJsonArray { QJsonObject { { u"kind"_s, u"cut_mid_stream"_s }, { u"after_chunks"_s, 3 } } });
    const RawReply reply = exchange(m_gateway->port(), post(m_token, chatBody(true)));
    QCOMPARE(reply.status(), 200);
    QVERIFY(reply.closedByServer);
    QVERIFY(reply.body().count("data: {") >= 1);
    QVERIFY(!reply.bytes.endsWith("0\r\n\r\n")); // no last chunk: the client sees the cut
    QVERIFY(!reply.body().contains("[DONE]"));
    QCOMPARE(m_sim->stats().value(u"requests"_s).toInt(), 1); // no silent retry
}

void TestGateway::givingUpAnswersInOpenAiShape_data()
{
    QTest::addColumn<QJsonObject>("fault");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("429s") << QJsonObject { { u"kind"_s, u"rate_limit"_s } } << 429 << u"rate_limited"_s;
    QTest::newRow("503s") << QJsonObject { { u"kind"_s, u"status"_s }, { u"status"_s, 503 } } << 502
                          << u"server_error"_s;
    QTest::newRow("upstream rejects the gateway's key")
        << QJsonObject { { u"kind"_s, u"unauthorized"_s } } << 502 << u"authentication"_s;
    QTest::newRow("credits") << QJsonObject { { u"kind"_s, u"credits_exhausted"_s } } << 429
                             << u"credits_exhausted"_s;
}

void TestGateway::givingUpAnswersInOpenAiShape()
{
    QFETCH(QJsonObject, fault);
    QFETCH(int, status);
    QFETCH(QString, code);
    GatewayOptions options;
    options.maxAttempts = 2;
    QVERIFY(startStack(options));
    m_sim->enqueueFaults(QJsonArray { fault, fault });
    const RawReply reply = exchange(m_gateway->port(), post(m_token, chatBody()));
    QCOMPARE(reply.status(), status);
    const QJsonObject error = reply.json().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), code);
    QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    QCOMPARE(reply.header("x-should-retry"), QByteArray("false"));
    QVERIFY(!reply.bytes.contains(UpstreamKey));
}

void TestGateway::upstreamBadRequestPassesThrough()
{
    QVERIFY(startStack());
    m_sim->enqueueFaults(QJsonArray { QJsonObject { { u"kind"_s, u"status"_s }, { u"status"_s, 422 } } });
    const RawReply reply = exchange(m_gateway->port(), post(m_token, chatBody()));
    QCOMPARE(reply.status(), 422);
    QCOMPARE(reply.header("x-grokpulse-error-class"), QByteArray("bad_request"));
    QVERIFY(!reply.json().value(u"error"_s).isObject()
            || reply.json().contains(u"code"_s)); // the sim's own body
    QVERIFY(reply.header("x-request-id").startsWith("sim-"));
}

void TestGateway::jobsAreLabelledByClient()
{
    QVERIFY(startStack());
    QStringList labels;
    connect(m_gateway->client(), &Client::eventEmitted, this, [&labels](const Event &event) {
        if (isTerminal(event.kind))
            labels << event.client + u'/' + priorityName(event.priority);
    });
    QCOMPARE(exchange(m_gateway->port(),
                      post(m_token, chatBody(),
                           "x-grokpulse-client: alice\r\nx-grokpulse-priority: background\r\n"))
                 .status(),
             200);
    QCOMPARE(exchange(m_gateway->port(), post(m_token, chatBody())).status(), 200);
    QCOMPARE(labels, QStringList({ u"alice/background"_s, u"default/normal"_s }));
    QCOMPARE(m_gateway->server()->stats().rows().value(u"alice"_s).succeeded, 1);
}

void TestGateway::tokenFile()
{
    const QString path = m_dir.filePath(u"new/token"_s);
    bool created = false;
    QString error;
    const auto token = GatewayToken::loadOrCreate(path, &created, &error);
    QVERIFY2(token, qPrintable(error));
    QVERIFY(created);
    QCOMPARE(QFile::permissions(path) & 0x0077, QFileDevice::Permissions()); // no group/other bits
    const auto again = GatewayToken::loadOrCreate(path, &created, &error);
    QCOMPARE(*again, *token);
    QVERIFY(!created);
    QVERIFY(GatewayToken::matches("Bearer " + *token, *token));
    QVERIFY(!GatewayToken::matches("Bearer " + token->chopped(1), *token));
    QVERIFY(!GatewayToken::matches(*token, *token));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    QVERIFY(!GatewayToken::loadOrCreate(path, &created, &error));
    QVERIFY(error.contains(u"chmod 600"_s));
}

void TestGateway::nonLoopbackNeedsFlag()
{
    QString error;
    QVERIFY(!GatewayOptions::parse({ u"--listen"_s, u"0.0.0.0:8787"_s }, &error));
    QVERIFY(error.contains(u"--allow-remote"_s));
    const auto allowed
        = GatewayOptions::parse({ u"--listen"_s, u"0.0.0.0:8787"_s, u"--allow-remote"_s }, &error);
    QVERIFY(allowed);
    QCOMPARE(allowed->listenPort, quint16(8787));
    QVERIFY(GatewayOptions::parse({ u"--listen=localhost:0"_s }, &error));
    QVERIFY(!GatewayOptions::parse({ u"--max-body"_s, u"-1"_s }, &error));
    QVERIFY(!GatewayOptions::parse({ u"--bogus"_s }, &error));
}

QTEST_GUILESS_MAIN(TestGateway)
#include "tst_gateway.moc"
