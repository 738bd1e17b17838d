#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr auto PrometheusBin = "/usr/bin/prometheus";
constexpr auto PromtoolBin = "/usr/bin/promtool";
constexpr int Lines = 200; // at --rps 10: ~20 s of batch, plenty for one scrape

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
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

// Debian's prometheus scrapes a running `grokpulse batch --metrics-port` and the series arrive
// with the right names, labels and values; promtool accepts the exposition; every query of the
// Grafana dashboard is valid PromQL that finds data.
class TestPrometheus final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void scrapedSeries_data();
    void scrapedSeries();
    void sameScrapeAgrees();
    void promtoolAcceptsTheEndpoint();
    void dashboardQueriesFindData();

private:
    QByteArray get(const QUrl &url, int timeoutMs = 5000);
    QJsonArray query(const QString &promql);
    std::optional<double> scalar(const QString &promql);

    QTemporaryDir m_dir;
    QProcess m_batch;
    QProcess m_prometheus;
    QNetworkAccessManager m_network;
    quint16 m_metricsPort = 0;
    quint16 m_webPort = 0;
};

QByteArray TestPrometheus::get(const QUrl &url, int timeoutMs)
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

QJsonArray TestPrometheus::query(const QString &promql)
{
    QUrl url(u"http://127.0.0.1:%1/api/v1/query"_s.arg(m_webPort));
    QUrlQuery q;
    q.addQueryItem(u"query"_s, QString::fromLatin1(QUrl::toPercentEncoding(promql)));
    url.setQuery(q);
    const QJsonObject answer = QJsonDocument::fromJson(get(url)).object();
    if (answer.value("status"_L1).toString() != "success"_L1)
        return {};
    return answer.value("data"_L1).toObject().value("result"_L1).toArray();
}

std::optional<double> TestPrometheus::scalar(const QString &promql)
{
    const QJsonArray result = query(promql);
    if (result.size() != 1)
        return std::nullopt;
    return result.at(0).toObject().value("value"_L1).toArray().at(1).toString().toDouble();
}

void TestPrometheus::initTestCase()
{
    if (!QFile::exists(QLatin1String(PrometheusBin)))
        QSKIP("prometheus is not installed (apt-get install prometheus, as scripts/install-deps.sh does)");
    QVERIFY(m_dir.isValid());
    QFile input(m_dir.filePath(u"in.jsonl"_s));
    QVERIFY(input.open(QIODevice::WriteOnly));
    for (int i = 0; i < Lines; ++i)
        input.write(R"({"id":"p-)" + QByteArray::number(i)
                    + R"(","prompt":"the same prompt for every line"})"
                      "\n");
    input.close();

    m_metricsPort = freePort();
    m_batch.setProgram(QStringLiteral(GROKPULSE_BIN));
    m_batch.setArguments({ u"batch"_s, u"--simulate=steady"_s, u"--stream"_s, u"--rps"_s, u"10"_s, u"--tpm"_s,
                           u"600000"_s, u"--model"_s, u"grok-4"_s, u"--input"_s, input.fileName(),
                           u"--output"_s, m_dir.filePath(u"out.jsonl"_s), u"--metrics-port"_s,
                           QString::number(m_metricsPort), u"--quiet"_s });
    m_batch.start();
    QVERIFY(m_batch.waitForStarted(5000));

    m_webPort = freePort();
    QFile config(m_dir.filePath(u"prometheus.yml"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
        "scrape_configs:\n  - job_name: grokpulse\n    static_configs:\n      - targets: ['127.0.0.1:"
        + QByteArray::number(m_metricsPort) + "']\n");
    config.close();
    m_prometheus.setProgram(QLatin1String(PrometheusBin));
    m_prometheus.setArguments(
        { u"--config.file="_s + config.fileName(), u"--storage.tsdb.path="_s + m_dir.filePath(u"tsdb"_s),
          u"--web.listen-address=127.0.0.1:"_s + QString::number(m_webPort), u"--log.level=warn"_s });
    m_prometheus.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_prometheus.start();
    QVERIFY(m_prometheus.waitForStarted(5000));

    // One scrape that saw finished requests: bounded by 40 s on a busy machine.
    std::optional<double> done;
    QTRY_VERIFY2_WITH_TIMEOUT(
        (done = scalar(u"sum(gen_ai_client_operation_duration_seconds_count{job=\"grokpulse\"})"_s))
            && *done >= 5,
        qPrintable(u"prometheus %1, batch %2"_s.arg(m_prometheus.state()).arg(m_batch.state())), 40000);
    QCOMPARE(scalar(u"up{job=\"grokpulse\"}"_s), std::optional<double>(1.0));
}

void TestPrometheus::cleanupTestCase()
{
    stop(m_prometheus);
    stop(m_batch);
}

void TestPrometheus::scrapedSeries_data()
{
    QTest::addColumn<QString>("promql");
    QTest::addColumn<double>("atLeast");
    QTest::addColumn<double>("atMost");
    const QString labels = uR"(gen_ai_operation_name="chat",gen_ai_provider_name="127.0.0.1",)"
                           uR"(gen_ai_request_model="grok-4",server_address="127.0.0.1")"_s;
    QTest::newRow("duration buckets: 14 bounds and +Inf")
        << u"count(gen_ai_client_operation_duration_seconds_bucket{%1})"_s.arg(labels) << 15.0 << 15.0;
    QTest::newRow("duration 81.92 bound")
        << u"count(gen_ai_client_operation_duration_seconds_bucket{le=\"81.92\"})"_s << 1.0 << 1.0;
    QTest::newRow("token buckets: 14 bounds and +Inf per type")
        << u"count(gen_ai_client_token_usage_bucket{%1,gen_ai_token_type=\"input\"})"_s.arg(labels) << 15.0
        << 15.0;
    QTest::newRow("token 67108864 bound")
        << u"count(gen_ai_client_token_usage_bucket{gen_ai_token_type=\"output\",le=\"67108864\"})"_s << 1.0
        << 1.0;
    QTest::newRow("a response model")
        << u"count(gen_ai_client_operation_duration_seconds_count{gen_ai_response_model!=\"\"})"_s << 1.0
        << 1.0;
    QTest::newRow("server port")
        << u"count(gen_ai_client_operation_duration_seconds_count{server_port=~\"[0-9]+\"})"_s << 1.0 << 1.0;
    QTest::newRow("no failures")
        << u"count(gen_ai_client_operation_duration_seconds_count{error_type!=\"\"}) or vector(0)"_s << 0.0
        << 0.0;
    QTest::newRow("+Inf bucket is the count")
        << u"sum(gen_ai_client_operation_duration_seconds_bucket{le=\"+Inf\"}) - sum(gen_ai_client_operation_duration_seconds_count)"_s
        << 0.0 << 0.0;
    // Paced at 10 rps behind a queue: operations (submission to end) take longer than attempts.
    QTest::newRow("queue waits are part of the operation")
        << u"sum(gen_ai_client_operation_duration_seconds_sum) / sum(gen_ai_client_operation_duration_seconds_count)"_s
        << 0.0 << 60.0;
    QTest::newRow("first chunk before the end")
        << u"sum(gen_ai_client_operation_time_to_first_chunk_seconds_sum) - sum(gen_ai_client_operation_duration_seconds_sum)"_s
        << -1e9 << 0.0;
    QTest::newRow("queue by priority") << u"count(grokpulse_queue_depth{model=\"grok-4\"})"_s << 3.0 << 3.0;
    QTest::newRow("retries by reason") << u"count(grokpulse_retries_total{model=\"grok-4\"})"_s << 9.0 << 9.0;
    QTest::newRow("quota from OpenAI headers")
        << u"grokpulse_quota_limit{model=\"grok-4\",unit=\"requests\"}"_s << 1.0 << 1e9;
    QTest::newRow("paced at 10 rps: queued work") << u"sum(grokpulse_queue_depth)"_s << 1.0 << double(Lines);
    QTest::newRow("--rps 10 is the configured limit")
        << u"grokpulse_limit_requests_per_second{model=\"all\",source=\"configured\"}"_s << 10.0 << 10.0;
    QTest::newRow("--tpm 600000 too")
        << u"grokpulse_limit_tokens_per_minute{model=\"all\",source=\"configured\"}"_s << 600000.0
        << 600000.0;
    QTest::newRow("admission follows it")
        << u"grokpulse_limit_active{model=\"all\",source=\"configured\"}"_s << 1.0 << 1.0;
    QTest::newRow("one active limit") << u"count(grokpulse_limit_active)"_s << 1.0 << 1.0;
    QTest::newRow("a batch has no client label")
        << u"count(grokpulse_requests_total{client!=\"\"}) or vector(0)"_s << 0.0 << 0.0;
    QTest::newRow("streams: time per output chunk")
        << u"sum(gen_ai_client_operation_time_per_output_chunk_seconds_count) - sum(gen_ai_client_operation_time_to_first_chunk_seconds_count)"_s
        << 0.0 << 1e9;
}

void TestPrometheus::scrapedSeries()
{
    QFETCH(QString, promql);
    QFETCH(double, atLeast);
    QFETCH(double, atMost);
    const std::optional<double> value = scalar(promql);
    QVERIFY2(value, qPrintable(promql));
    QVERIFY2(*value >= atLeast && *value <= atMost, qPrintable(u"%1 = %2"_s.arg(promql).arg(*value)));
}

void TestPrometheus::sameScrapeAgrees()
{
    // One scrape's numbers agree with each other and with what the responses said.
    const auto ops = scalar(u"sum(gen_ai_client_operation_duration_seconds_count)"_s);
    const auto outputs = scalar(u"sum(gen_ai_client_token_usage_count{gen_ai_token_type=\"output\"})"_s);
    const auto chunks = scalar(u"sum(gen_ai_client_operation_time_to_first_chunk_seconds_count)"_s);
    const auto succeeded = scalar(u"grokpulse_requests_total{outcome=\"succeeded\"}"_s);
    const auto inputSum = scalar(u"sum(gen_ai_client_token_usage_sum{gen_ai_token_type=\"input\"})"_s);
    const auto outputSum = scalar(u"sum(gen_ai_client_token_usage_sum{gen_ai_token_type=\"output\"})"_s);
    const auto prompt = scalar(u"grokpulse_tokens_total{kind=\"prompt\"}"_s);
    QVERIFY(ops && outputs && chunks && succeeded && inputSum && outputSum && prompt);
    QCOMPARE(*outputs, *ops);
    QCOMPARE(*chunks, *ops); // every request streamed
    QCOMPARE(*succeeded, *ops);
    QCOMPARE(*inputSum, *prompt);
    // Every line asks the same: each response's usage, as the output file holds it, is the mean.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_dir.filePath(u"out.jsonl"_s)).size() > 0, 5000);
    QFile out(m_dir.filePath(u"out.jsonl"_s));
    QVERIFY(out.open(QIODevice::ReadOnly));
    const QJsonObject first = QJsonDocument::fromJson(out.readLine()).object();
    const QJsonObject usage
        = first.value("response"_L1).toObject().value("body"_L1).toObject().value("usage"_L1).toObject();
    const double promptTokens = usage.value("prompt_tokens"_L1).toDouble();
    const double outputTokens = usage.value("completion_tokens"_L1).toDouble()
        + usage.value("completion_tokens_details"_L1).toObject().value("reasoning_tokens"_L1).toDouble();
    QVERIFY2(promptTokens > 0,
             first.isEmpty() ? "no output line" : QJsonDocument(first).toJson().constData());
    QCOMPARE(*inputSum / *ops, promptTokens);
    QCOMPARE(*outputSum / *ops, outputTokens);
}

void TestPrometheus::promtoolAcceptsTheEndpoint()
{
    if (!QFile::exists(QLatin1String(PromtoolBin)))
        QSKIP("promtool is not installed (it comes with the prometheus package)");
    const QByteArray exposition = get(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(m_metricsPort)));
    QVERIFY(exposition.contains("gen_ai_client_token_usage_bucket"));
    QProcess promtool;
    promtool.start(QLatin1String(PromtoolBin), { u"check"_s, u"metrics"_s });
    QVERIFY(promtool.waitForStarted(5000));
    promtool.write(exposition);
    promtool.closeWriteChannel();
    QVERIFY(promtool.waitForFinished(20000));
    const QByteArray said = promtool.readAllStandardOutput() + promtool.readAllStandardError();
    QVERIFY2(promtool.exitCode() == 0, said.constData());
}

void TestPrometheus::dashboardQueriesFindData()
{
    QFile file(QStringLiteral(GP_SOURCE_DIR "/resources/grafana/grokpulse.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject dash = QJsonDocument::fromJson(file.readAll()).object();
    int checked = 0;
    for (const QJsonValue &panel : dash.value("panels"_L1).toArray()) {
        for (const QJsonValue &target : panel.toObject().value("targets"_L1).toArray()) {
            QString expr = target.toObject().value("expr"_L1).toString();
            // Grafana's variables, as Grafana would fill them in for this short run.
            expr.replace(u"$__rate_interval"_s, u"10s"_s)
                .replace(u"$__range"_s, u"5m"_s)
                .replace(u"$model"_s, u".*"_s)
                .replace(u"$client"_s, u".*"_s);
            QUrl url(u"http://127.0.0.1:%1/api/v1/query"_s.arg(m_webPort));
            QUrlQuery q;
            q.addQueryItem(u"query"_s, QString::fromLatin1(QUrl::toPercentEncoding(expr)));
            url.setQuery(q);
            const QJsonObject answer = QJsonDocument::fromJson(get(url)).object();
            QVERIFY2(answer.value("status"_L1).toString() == "success"_L1,
                     qPrintable(expr + u": "_s + answer.value("error"_L1).toString()));
            ++checked;
        }
    }
    QVERIFY(checked >= 20);
}

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
