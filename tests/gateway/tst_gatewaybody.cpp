// The gateway passes a client's request body upstream byte for byte unless GrokPulse must change
// it: real curl sends the bytes, a recording loopback upstream shows what went on the wire.
#include "app/gateway/gatewayoptions.h"
#include "app/gateway/gatewaysession.h"
#include "app/gateway/gatewaytoken.h"
#include "rawhttp.h"
#include "recordingupstream.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

namespace {

// Unusual on purpose: keys out of the usual order, spaces and newlines, \u escapes (one a
// surrogate pair), a field no OpenAI schema has, numbers written the long way.
const QByteArray kOddChat
    = "{\n  \"messages\" : [ {\"content\":\"caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\"\",\n"
      "  \"role\":\"user\"} ],\n\t\"x_unknown_field\": {\"nested\": [1, 2.50, true]},\n"
      "  \"temperature\": 0.70, \"model\":\"grok-4\"   }";
const QByteArray kOddStream
    = "{\"stream_options\": {\"include_usage\": true, \"x_extra\": 1},\n \"stream\": true,"
      " \"model\": \"grok-4\", \"messages\": [{\"role\": \"user\", \"content\": "
      "\"\\u0048ello\"}], \"seed\" : 7}";
const QByteArray kOddResponses = "{ \"input\" : \"caf\\u00e9\", \"x_trace\": \"abc\",\n \"model\":\"grok-4\","
                                 " \"store\":false }";

} // namespace

class TestGatewayBody final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void bodyReachesUpstream_data();
    void bodyReachesUpstream();
    void estimateComesFromTheParsedBody();

private:
    bool startGateway(double tokensPerMinute = 0.0);
    int curl(const QByteArray &path, const QByteArray &body, QByteArray *answer = nullptr);

    QTemporaryDir m_dir;
    std::unique_ptr<RecordingUpstream> m_upstream;
    std::unique_ptr<GatewaySession> m_gateway;
    QByteArray m_token;
    quint16 m_port = 0;
};

void TestGatewayBody::init()
{
    if (QStandardPaths::findExecutable(u"curl"_s).isEmpty())
        QSKIP("curl is not installed");
    qputenv(KeyEnv, UpstreamKey);
    m_upstream = std::make_unique<RecordingUpstream>();
    QVERIFY(m_upstream->listen());
}

void TestGatewayBody::cleanup()
{
    m_gateway.reset();
    m_upstream.reset();
}

bool TestGatewayBody::startGateway(double tokensPerMinute)
{
    GatewayOptions options;
    options.listenPort = 0;
    options.upstream = QUrl(m_upstream->baseUrl());
    options.apiKeyEnv = QString::fromLatin1(KeyEnv);
    options.useKeychain = false;
    options.tokenFile = m_dir.filePath(u"token"_s);
    options.tokensPerMinute = tokensPerMinute;
    options.quiet = true;
    m_gateway = std::make_unique<GatewaySession>(options);
    QString error;
    if (const int code = m_gateway->start(&error)) {
        qWarning() << "gateway:" << code << error;
        return false;
    }
    bool created = false;
    m_token = *GatewayToken::loadOrCreate(options.tokenFile, &created, &error);
    m_port = m_gateway->port();
    return true;
}

// Real curl, the body from a file with --data-binary (sent exactly as written).
int TestGatewayBody::curl(const QByteArray &path, const QByteArray &body, QByteArray *answer)
{
    QFile file(m_dir.filePath(u"body.json"_s));
    if (!file.open(QIODevice::WriteOnly) || file.write(body) != body.size())
        return -1;
    file.close();
    QProcess process;
    process.start(u"curl"_s,
                  { u"-sS"_s, u"-o"_s, m_dir.filePath(u"answer"_s), u"-w"_s, u"%{http_code}"_s, u"-H"_s,
                    u"Authorization: Bearer "_s + QString::fromLatin1(m_token), u"-H"_s,
                    u"Content-Type: application/json"_s, u"--data-binary"_s, u"@"_s + file.fileName(),
                    u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(QString::fromLatin1(path)) });
    if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 20000))
        return -1;
    QFile out(m_dir.filePath(u"answer"_s));
    if (answer && out.open(QIODevice::ReadOnly))
        *answer = out.readAll();
    return process.readAllStandardOutput().toInt();
}

void TestGatewayBody::bodyReachesUpstream_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("identical");
    QTest::newRow("chat, odd but complete") << QByteArray("/v1/chat/completions") << kOddChat << true;
    QTest::newRow("chat stream asking for usage") << QByteArray("/v1/chat/completions") << kOddStream << true;
    QTest::newRow("responses") << QByteArray("/v1/responses") << kOddResponses << true;
    // GrokPulse must add what these lack, so it sends its own serialisation.
    QByteArray noUsage = kOddStream;
    noUsage.replace("\"include_usage\": true, ", "");
    QTest::newRow("stream without include_usage") << QByteArray("/v1/chat/completions") << noUsage << false;
    QByteArray noModel = kOddChat;
    noModel.replace(", \"model\":\"grok-4\"", "");
    QTest::newRow("chat without a model") << QByteArray("/v1/chat/completions") << noModel << false;
}

void TestGatewayBody::bodyReachesUpstream()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(bool, identical);
    QVERIFY(startGateway());
    QByteArray answer;
    QCOMPARE(curl(path, body, &answer), 200);
    QVERIFY2(answer.contains("hi"), answer.constData());
    QCOMPARE(m_upstream->requests().size(), 1);
    const RecordingUpstream::Request &sent = m_upstream->requests().first();
    QCOMPARE(sent.path, path);
    if (identical) {
        QCOMPARE(sent.body, body);
        return;
    }
    QVERIFY(sent.body != body);
    const QJsonObject upstream = QJsonDocument::fromJson(sent.body).object();
    QCOMPARE(upstream.value("model"_L1).toString(), u"grok-4"_s);
    if (upstream.value("stream"_L1).toBool())
        QCOMPARE(upstream.value("stream_options"_L1).toObject().value("include_usage"_L1).toBool(), true);
    // What GrokPulse rebuilt still says what the client said.
    const QJsonObject client = QJsonDocument::fromJson(body).object();
    QCOMPARE(upstream.value("messages"_L1), client.value("messages"_L1));
    QCOMPARE(upstream.value("x_unknown_field"_L1), client.value("x_unknown_field"_L1));
}

// The bytes pass through, but pacing still reads the parsed request: a prompt of ~1,500 tokens
// is refused against a 500 tokens-per-minute limit before anything is sent; a short one is sent.
void TestGatewayBody::estimateComesFromTheParsedBody()
{
    QVERIFY(startGateway(500.0));
    const QByteArray big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + QByteArray(6000, 'a')
        + "\"}],  \"model\":\"grok-4\"}";
    QByteArray answer;
    const int status = curl("/v1/chat/completions", big, &answer);
    QVERIFY2(status >= 400, answer.constData());
    QVERIFY2(answer.contains("token"), answer.constData());
    QCOMPARE(m_upstream->requests().size(), 0);
    QCOMPARE(curl("/v1/chat/completions", kOddChat), 200);
    QCOMPARE(m_upstream->requests().size(), 1);
    QCOMPARE(m_upstream->requests().first().body, kOddChat);
}

QTEST_GUILESS_MAIN(TestGatewayBody)
#include "tst_gatewaybody.moc"
