#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr auto PrometheusBin = "/usr/bin/prometheus";
constexpr auto PromtoolBin = "/usr/bin/promtool";
constexpr int AliceRequests = 12; // half of them streamed
constexpr int BobRequests = 4;
constexpr auto Model = "grok-4-0709";

// xAI as the simulator plays it, fast: the model's limits stated only in 429 bodies.
constexpr auto Scenario = R"({
  "name": "xai-fast", "description": "xAI wording, 2 rps burst 2 and 16000 TPM for grok-4-0709",
  "wording": "xai",
  "model_limits": { "grok-4-0709": { "requests_per_second": 2, "burst": 2, "tokens_per_minute": 16000 } },
  "completion": { "words": 20, "words_per_chunk": 2, "chunk_interval_ms": 5 },
  "latency": { "distribution": "uniform", "min_ms": 20, "max_ms": 80 }
})";

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

bool accepts(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(500);
}

void stop(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(10000)) {
        process.kill();
        process.waitForFinished(5000);
    }
}

} // namespace

// Debian's prometheus scrapes a running `grokpulse gateway --metrics-port` that two clients
// (x-grokpulse-client alice and bob) use against the simulator speaking xAI's 429 wording: the
// series split by client, the limits the 429 bodies stated, the time per output chunk, and the
// journal's export filtered by client all come out with the right values.
class TestPrometheusGateway final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void seriesByClient_data();
    void seriesByClient();
    void timePerOutputChunk();
    void promtoolAcceptsTheEndpoint();
    void exportFiltersByClient();

private:
    void startProcesses();
    void sendRequests();
    QByteArray get(const QUrl &url, int timeoutMs = 5000);
    std::optional<double> scalar(const QString &promql);

    QTemporaryDir m_dir;
    QProcess m_sim;
    QProcess m_gateway;
    QProcess m_prometheus;
    QNetworkAccessManager m_network;
    quint16 m_gatewayPort = 0;
    quint16 m_metricsPort = 0;
    quint16 m_webPort = 0;
};

QByteArray TestPrometheusGateway::get(const QUrl &url, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = m_network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(timeoutMs + 1000))
        reply->abort();
    const QByteArray body = reply->error() == QNetworkReply::NoError ? reply->readAll() : QByteArray();
    reply->deleteLater();
    return body;
}

std::optional<double> TestPrometheusGateway::scalar(const QString &promql)
{
    QUrl url(u"http://127.0.0.1:%1/api/v1/query"_s.arg(m_webPort));
    QUrlQuery q;
    q.addQueryItem(u"query"_s, QString::fromLatin1(QUrl::toPercentEncoding(promql)));
    url.setQuery(q);
    const QJsonObject answer = QJsonDocument::fromJson(get(url)).object();
    const QJsonArray result = answer.value("data"_L1).toObject().value("result"_L1).toArray();
    if (answer.value("status"_L1).toString() != "success"_L1 || result.size() != 1)
        return std::nullopt;
    return result.at(0).toObject().value("value"_L1).toArray().at(1).toString().toDouble();
}

void TestPrometheusGateway::startProcesses()
{
    QFile scenario(m_dir.filePath(u"scenario.json"_s));
    QVERIFY(scenario.open(QIODevice::WriteOnly));
    scenario.write(Scenario);
    scenario.close();
    const quint16 simPort = freePort();
    m_sim.start(QStringLiteral(GROKPULSE_BIN),
                { u"sim"_s, u"--port"_s, QString::number(simPort), u"--scenario"_s, scenario.fileName() });
    QVERIFY(m_sim.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(accepts(simPort), 10000);

    m_gatewayPort = freePort();
    m_metricsPort = freePort();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XAI_API_KEY"_s, u"xai-test-key-for-the-simulator"_s);
    m_gateway.setProcessEnvironment(env);
    m_gateway.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_gateway.start(QStringLiteral(GROKPULSE_BIN),
                    { u"gateway"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_gatewayPort), u"--upstream"_s,
                      u"http://127.0.0.1:%1/v1"_s.arg(simPort), u"--token-file"_s, m_dir.filePath(u"token"_s),
                      u"--journal"_s, m_dir.filePath(u"journal.sqlite"_s), u"--metrics-port"_s,
                      QString::number(m_metricsPort), u"--quiet"_s });
    QVERIFY(m_gateway.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(!get(QUrl(u"http://127.0.0.1:%1/healthz"_s.arg(m_gatewayPort))).isEmpty(),
                             10000);

    m_webPort = freePort();
    QFile config(m_dir.filePath(u"prometheus.yml"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                 "scrape_configs:\n  - job_name: gateway\n    static_configs:\n      - targets: ['127.0.0.1:"
                 + QByteArray::number(m_metricsPort) + "']\n");
    config.close();
    m_prometheus.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_prometheus.start(
        QLatin1String(PrometheusBin),
        { u"--config.file="_s + config.fileName(), u"--storage.tsdb.path="_s + m_dir.filePath(u"tsdb"_s),
          u"--web.listen-address=127.0.0.1:"_s + QString::number(m_webPort), u"--log.level=warn"_s });
    QVERIFY(m_prometheus.waitForStarted(5000));
}

void TestPrometheusGateway::sendRequests()
{
    QFile tokenFile(m_dir.filePath(u"token"_s));
    QVERIFY(tokenFile.open(QIODevice::ReadOnly));
    const QByteArray token = tokenFile.readAll().trimmed();
    int finished = 0;
    int ok = 0;
    for (int i = 0; i < AliceRequests + BobRequests; ++i) {
        const bool alice = i < AliceRequests;
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/v1/chat/completions"_s.arg(m_gatewayPort)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + token);
        request.setRawHeader("x-grokpulse-client", alice ? "alice" : "bob");
        request.setTransferTimeout(60000);
        const QJsonObject body {
            { u"model"_s, QLatin1String(Model) },
            { u"stream"_s, alice && i % 2 == 0 },
            { u"messages"_s,
              QJsonArray { QJsonObject { { u"role"_s, u"user"_s }, { u"content"_s, u"hi"_s } } } }
        };
        QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
        connect(reply, &QNetworkReply::finished, this, [reply, &finished, &ok] {
            ++finished;
            ok += reply->error() == QNetworkReply::NoError ? 1 : 0;
            reply->deleteLater();
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished, AliceRequests + BobRequests, 90000);
    QCOMPARE(ok, AliceRequests + BobRequests); // the gateway paced and retried every 429 away
}

void TestPrometheusGateway::initTestCase()
{
    if (!QFile::exists(QLatin1String(PrometheusBin)))
        QSKIP("prometheus is not installed (apt-get install prometheus, as scripts/install-deps.sh does)");
    QVERIFY(m_dir.isValid());
    startProcesses();
    if (QTest::currentTestFailed())
        return;
    sendRequests();
    if (QTest::currentTestFailed())
        return;
    // A scrape that saw every request end.
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(u"sum(grokpulse_requests_total{job=\"gateway\",outcome=\"succeeded\"})"_s),
        std::optional<double>(AliceRequests + BobRequests), 30000);
}

void TestPrometheusGateway::cleanupTestCase()
{
    stop(m_prometheus);
    stop(m_gateway);
    stop(m_sim);
}

void TestPrometheusGateway::seriesByClient_data()
{
    QTest::addColumn<QString>("promql");
    QTest::addColumn<double>("expected");
    QTest::newRow("alice's requests")
        << u"grokpulse_requests_total{client=\"alice\",outcome=\"succeeded\"}"_s << double(AliceRequests);
    QTest::newRow("bob's requests") << u"grokpulse_requests_total{client=\"bob\",outcome=\"succeeded\"}"_s
                                    << double(BobRequests);
    QTest::newRow("bob's latency count")
        << u"grokpulse_request_duration_seconds_count{client=\"bob\"}"_s << double(BobRequests);
    QTest::newRow("no job without a client") << u"sum(grokpulse_requests_total{client=\"\"})"_s << 0.0;
    QTest::newRow("GenAI operations of alice")
        << u"sum(gen_ai_client_operation_duration_seconds_count{grokpulse_client=\"alice\","
           "gen_ai_provider_name=\"127.0.0.1\",server_address=\"127.0.0.1\"})"_s
        << double(AliceRequests);
    QTest::newRow("first chunks: alice's streams only")
        << u"sum(gen_ai_client_operation_time_to_first_chunk_seconds_count{grokpulse_client=\"alice\"})"_s
        << double(AliceRequests / 2);
    QTest::newRow("tokens split by client, summing to the GenAI input")
        << u"sum(grokpulse_tokens_total{kind=\"prompt\"}) - sum(gen_ai_client_token_usage_sum{gen_ai_token_type=\"input\"})"_s
        << 0.0;
    QTest::newRow("stated requests per second")
        << u"grokpulse_limit_requests_per_second{model=\"grok-4-0709\",source=\"stated_by_server\"}"_s << 2.0;
    // Only request 429s come here (2 rps trips first): the token limit was never stated.
    QTest::newRow("no token limit stated")
        << u"count(grokpulse_limit_tokens_per_minute{source=\"stated_by_server\"}) or vector(0)"_s << 0.0;
    QTest::newRow("admission follows the stated limit")
        << u"grokpulse_limit_active{model=\"grok-4-0709\",source=\"stated_by_server\"}"_s << 1.0;
    QTest::newRow("retries were counted for someone")
        << u"clamp_max(sum(grokpulse_retries_total{reason=\"429_rate\"}), 1)"_s << 1.0;
}

void TestPrometheusGateway::seriesByClient()
{
    QFETCH(QString, promql);
    QFETCH(double, expected);
    const std::optional<double> value = scalar(promql);
    QVERIFY2(value, qPrintable(promql));
    QVERIFY2(qFuzzyCompare(*value + 1.0, expected + 1.0), qPrintable(u"%1 = %2"_s.arg(promql).arg(*value)));
}

void TestPrometheusGateway::timePerOutputChunk()
{
    const QString c = u"{grokpulse_client=\"alice\"}"_s;
    const auto gaps = scalar(u"sum(gen_ai_client_operation_time_per_output_chunk_seconds_count%1)"_s.arg(c));
    const auto gapSum = scalar(u"sum(gen_ai_client_operation_time_per_output_chunk_seconds_sum%1)"_s.arg(c));
    const auto durations = scalar(u"sum(gen_ai_client_operation_duration_seconds_sum%1)"_s.arg(c));
    const auto firsts = scalar(u"sum(gen_ai_client_operation_time_to_first_chunk_seconds_sum%1)"_s.arg(c));
    const auto bobGaps = scalar(
        u"sum(gen_ai_client_operation_time_per_output_chunk_seconds_count{grokpulse_client=\"bob\"}) or vector(0)"_s);
    QVERIFY(gaps && gapSum && durations && firsts && bobGaps);
    // 20 words, 2 a chunk: at least 9 chunks after the first in each of the 6 streams.
    QVERIFY2(*gaps >= 9.0 * AliceRequests / 2, qPrintable(QString::number(*gaps)));
    // The gaps come after the first chunk and before the end of their operation.
    QVERIFY2(*gapSum <= *durations - *firsts,
             qPrintable(u"%1 > %2 - %3"_s.arg(*gapSum).arg(*durations).arg(*firsts)));
    QCOMPARE(*bobGaps, 0.0); // bob never streamed
}

void TestPrometheusGateway::promtoolAcceptsTheEndpoint()
{
    if (!QFile::exists(QLatin1String(PromtoolBin)))
        QSKIP("promtool is not installed (it comes with the prometheus package)");
    const QByteArray exposition = get(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(m_metricsPort)));
    QVERIFY(exposition.contains("grokpulse_limit_requests_per_second{"));
    QVERIFY(exposition.contains("gen_ai_client_operation_time_per_output_chunk_seconds_bucket{"));
    QProcess promtool;
    promtool.start(QLatin1String(PromtoolBin), { u"check"_s, u"metrics"_s });
    QVERIFY(promtool.waitForStarted(5000));
    promtool.write(exposition);
    promtool.closeWriteChannel();
    QVERIFY(promtool.waitForFinished(20000));
    const QByteArray said = promtool.readAllStandardOutput() + promtool.readAllStandardError();
    QVERIFY2(promtool.exitCode() == 0 && said.trimmed().isEmpty(), said.constData());
}

void TestPrometheusGateway::exportFiltersByClient()
{
    const auto exportLines = [this](const QString &what, const QString &client) {
        QProcess p;
        p.start(QStringLiteral(GROKPULSE_BIN),
                { u"export"_s, u"--journal"_s, m_dir.filePath(u"journal.sqlite"_s), u"--what"_s, what,
                  u"--format"_s, u"jsonl"_s, u"--client"_s, client });
        p.waitForFinished(20000);
        QList<QJsonObject> rows;
        for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
            if (!line.isEmpty())
                rows.append(QJsonDocument::fromJson(line).object());
        }
        return rows;
    };
    // The journal is written off the request path: the last rows may need a moment.
    QTRY_COMPARE_WITH_TIMEOUT(exportLines(u"requests"_s, u"alice"_s).size(), AliceRequests, 10000);
    const QList<QJsonObject> bob = exportLines(u"requests"_s, u"bob"_s);
    QCOMPARE(bob.size(), BobRequests);
    for (const QJsonObject &row : bob) {
        QCOMPARE(row.value("client"_L1).toString(), u"bob"_s);
        QCOMPARE(row.value("outcome"_L1).toString(), u"succeeded"_s);
        QVERIFY(row.value("run_id"_L1).toInteger() > 0);
    }
    const QList<QJsonObject> events = exportLines(u"events"_s, u"bob"_s);
    QVERIFY(events.size() >= 3 * BobRequests); // submitted, attempts, the end
    for (const QJsonObject &row : events)
        QCOMPARE(row.value("client"_L1).toString(), u"bob"_s);
    QVERIFY(exportLines(u"requests"_s, u"carol"_s).isEmpty());
}

QTEST_GUILESS_MAIN(TestPrometheusGateway)
#include "tst_prometheus_gateway.moc"
