#include "core/telemetry/genaimetrics.h"
#include "core/telemetry/labelledmetrics.h"
#include "core/telemetry/metricsendpoint.h"
#include "core/telemetry/metricshub.h"
#include "core/telemetry/prometheusformatter.h"
#include "core/telemetry/prometheuswriter.h"
#include "core/wire/costmodel.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace gp;

namespace {

constexpr qint64 T0 = 1'790'000'040'000;

// One stream of events fed to both the hub and the labelled families, as Telemetry does.
struct Metrics
{
    MetricsHub hub;
    LabelledMetrics labelled;

    void record(const Event &e)
    {
        hub.record(e);
        labelled.record(e);
    }
    QByteArray render() const { return PrometheusFormatter::render(hub.snapshot(), labelled); }
};

Metrics &populated()
{
    static Metrics m;
    static bool once = [] {
        m.labelled.setServer(GenAiServer::fromUrl(QUrl(QStringLiteral("https://api.x.ai/v1"))));
        Event e;
        e.timeMs = T0;
        e.model = QStringLiteral("grok-4");
        for (quint64 id = 1; id <= 3; ++id) {
            e.jobId = id;
            e.kind = EventKind::Submitted;
            m.record(e);
            e.kind = EventKind::Queued;
            m.record(e);
        }
        e.jobId = 1;
        e.kind = EventKind::AttemptStarted;
        m.record(e);
        e.kind = EventKind::AttemptFinished;
        e.errorClass = ErrorClass::RateLimited;
        m.record(e);
        e.kind = EventKind::RetryScheduled;
        m.record(e);
        e.kind = EventKind::Queued;
        m.record(e);
        e.kind = EventKind::AttemptStarted;
        m.record(e);
        e.errorClass = ErrorClass::None;
        e.kind = EventKind::AttemptFinished;
        m.record(e);
        e.kind = EventKind::Succeeded; // 0.7 s, 100 in, 40 + 60 out, streamed: first chunk at 0.3 s
        e.responseModel = QStringLiteral("grok-4-0709");
        e.durationMs = 700;
        e.stream = true;
        e.firstChunkMs = 300;
        e.usage = { 100, 40, 60, 30, 200, qint64(25'000'000), true };
        m.record(e);
        e.jobId = 2;
        e.stream = false;
        e.firstChunkMs = -1;
        e.kind = EventKind::AttemptStarted;
        m.record(e);
        e.kind = EventKind::Succeeded; // 45 s, 5000 in, 0 out
        e.durationMs = 45'000;
        e.usage = { 5000, 0, 0, 0, 5000, std::nullopt, true };
        m.record(e);
        e.jobId = 3;
        e.kind = EventKind::Failed; // never sent: the deadline passed in the queue
        e.responseModel.clear();
        e.errorClass = ErrorClass::DeadlineExceeded;
        e.durationMs = 30;
        e.usage = {};
        m.record(e);
        e.jobId = 0;
        e.errorClass = ErrorClass::None;
        e.kind = EventKind::QuotaUpdated;
        e.quota.requests.remaining = 17;
        e.quota.requests.limit = 60;
        e.quota.tokens.remaining = 9000;
        m.record(e);
        PacingState p;
        p.inFlight = 2;
        p.learnedRps = 4.5;
        m.hub.recordPacing(p, T0, 0);
        m.labelled.recordPacing(p);
        return true;
    }();
    Q_UNUSED(once);
    return m;
}

// One request over a fresh connection, on the event loop (the endpoint runs on it too); the
// response once the server closes, or what had arrived after timeoutMs.
QByteArray fetch(quint16 port, const QByteArray &request, int timeoutMs = 5000)
{
    QTcpSocket socket;
    QByteArray response;
    bool closed = false;
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] { socket.write(request); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { response += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { closed = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket, [&] { closed = true; });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return closed; }, timeoutMs))
        socket.abort(); // what had arrived is the answer
    return response + socket.readAll();
}

const QByteArray kGenAiLabels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"x_ai\","
                                "gen_ai_request_model=\"grok-4\",gen_ai_response_model=\"grok-4-0709\","
                                "server_address=\"api.x.ai\",server_port=\"443\"";

} // namespace

class TestMetricsEndpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesMetricsOverTcp_data();
    void servesMetricsOverTcp();
    void genAiProvider_data();
    void genAiProvider();
    void modelsFoldIntoOther();
    void otherPathsAndMethods_data();
    void otherPathsAndMethods();
    void listensOnLoopbackOnly();
    void everyFamilyHasHelpAndType();
    void abuse_data();
    void abuse();
    void thousandConnectionsAreClosed();
    void hammeringRendersRarely();
};

void TestMetricsEndpoint::servesMetricsOverTcp_data()
{
    QTest::addColumn<QByteArray>("line");
    const QByteArray g = kGenAiLabels;
    QTest::newRow("duration 0.64") << "gen_ai_client_operation_duration_seconds_bucket{" + g
            + ",le=\"0.64\"} 0\n";
    QTest::newRow("duration 1.28") << "gen_ai_client_operation_duration_seconds_bucket{" + g
            + ",le=\"1.28\"} 1\n";
    QTest::newRow("duration 40.96") << "gen_ai_client_operation_duration_seconds_bucket{" + g
            + ",le=\"40.96\"} 1\n";
    QTest::newRow("duration 81.92") << "gen_ai_client_operation_duration_seconds_bucket{" + g
            + ",le=\"81.92\"} 2\n";
    QTest::newRow("duration inf") << "gen_ai_client_operation_duration_seconds_bucket{" + g
            + ",le=\"+Inf\"} 2\n";
    QTest::newRow("duration sum") << "gen_ai_client_operation_duration_seconds_sum{" + g + "} 45.7\n";
    QTest::newRow("duration failed") << QByteArray(
        "gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name=\"chat\","
        "gen_ai_provider_name=\"x_ai\",gen_ai_request_model=\"grok-4\",server_address=\"api.x.ai\","
        "server_port=\"443\",error_type=\"deadline_exceeded\"} 1\n");
    QTest::newRow("input 64") << "gen_ai_client_token_usage_bucket{" + g
            + ",gen_ai_token_type=\"input\",le=\"64\"} 0\n";
    QTest::newRow("input 256") << "gen_ai_client_token_usage_bucket{" + g
            + ",gen_ai_token_type=\"input\",le=\"256\"} 1\n";
    QTest::newRow("input 67108864") << "gen_ai_client_token_usage_bucket{" + g
            + ",gen_ai_token_type=\"input\",le=\"67108864\"} 2\n";
    QTest::newRow("input sum") << "gen_ai_client_token_usage_sum{" + g
            + ",gen_ai_token_type=\"input\"} 5100\n";
    QTest::newRow("output zero counts")
        << "gen_ai_client_token_usage_bucket{" + g + ",gen_ai_token_type=\"output\",le=\"1\"} 1\n";
    QTest::newRow("output with reasoning")
        << "gen_ai_client_token_usage_sum{" + g + ",gen_ai_token_type=\"output\"} 100\n";
    QTest::newRow("first chunk 0.32")
        << "gen_ai_client_operation_time_to_first_chunk_seconds_bucket{" + g + ",le=\"0.32\"} 1\n";
    QTest::newRow("first chunk streams only")
        << "gen_ai_client_operation_time_to_first_chunk_seconds_count{" + g + "} 1\n";
    QTest::newRow("requests") << QByteArray("grokpulse_requests_total{outcome=\"succeeded\"} 2\n");
    QTest::newRow("attempts") << QByteArray("grokpulse_attempts_total 2\n");
    QTest::newRow("retries") << QByteArray(
        "grokpulse_retries_total{model=\"grok-4\",reason=\"429_rate\"} 1\n");
    QTest::newRow("errors") << QByteArray("grokpulse_errors_total{class=\"429_rate\"} 1\n");
    QTest::newRow("bucket 60 s") << QByteArray("grokpulse_request_duration_seconds_bucket{le=\"60\"} 3\n");
    QTest::newRow("tokens") << QByteArray("grokpulse_tokens_total{model=\"grok-4\",kind=\"reasoning\"} 60\n");
    // The server's ticks for the first answer, the list price (CostModel) for the second.
    const double cost = 0.0 + 0.0025
        + CostModel::costOf({ 5000, 0, 0, 0, 5000, std::nullopt, true }, QStringLiteral("grok-4")).usd;
    QTest::newRow("cost") << "grokpulse_cost_usd_total{model=\"grok-4\"} " + PrometheusWriter::number(cost)
            + '\n';
    QTest::newRow("quota") << QByteArray(
        "grokpulse_quota_remaining{model=\"grok-4\",unit=\"requests\"} 17\n");
    QTest::newRow("quota limit") << QByteArray(
        "grokpulse_quota_limit{model=\"grok-4\",unit=\"requests\"} 60\n");
    QTest::newRow("queue: all started or ended")
        << QByteArray("grokpulse_queue_depth{model=\"grok-4\",priority=\"normal\"} 0\n");
    QTest::newRow("learned limit") << QByteArray(
        "grokpulse_limit_requests_per_second{model=\"all\",source=\"learned\"} 4.5\n");
    QTest::newRow("breaker") << QByteArray("grokpulse_breaker_state{server_address=\"api.x.ai\"} 0\n");
    QTest::newRow("in flight") << QByteArray("grokpulse_in_flight 2\n");
    QTest::newRow("type") << QByteArray("# TYPE gen_ai_client_token_usage histogram\n");
}

void TestMetricsEndpoint::servesMetricsOverTcp()
{
    QFETCH(QByteArray, line);
    MetricsEndpoint endpoint([] { return populated().render(); });
    QString error;
    QVERIFY2(endpoint.listen(0, &error), qPrintable(error));
    QVERIFY(endpoint.port() != 0);
    const QByteArray response = fetch(endpoint.port(), "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(response.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(response.contains("Content-Type: text/plain; version=0.0.4"));
    const QByteArray body = response.mid(response.indexOf("\r\n\r\n") + 4);
    QVERIFY(response.contains(QByteArray("Content-Length: " + QByteArray::number(body.size()))));
    QVERIFY2(body.contains(line), body.constData());
}

void TestMetricsEndpoint::genAiProvider_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("xAI") << "https://api.x.ai/v1"
                         << "x_ai"
                         << "api.x.ai" << 443;
    QTest::newRow("OpenAI") << "https://api.openai.com/v1"
                            << "openai"
                            << "api.openai.com" << 443;
    QTest::newRow("Azure OpenAI") << "https://team.openai.azure.com/openai"
                                  << "azure.ai.openai"
                                  << "team.openai.azure.com" << 443;
    QTest::newRow("Groq") << "https://api.groq.com/openai/v1"
                          << "groq"
                          << "api.groq.com" << 443;
    QTest::newRow("Gemini") << "https://generativelanguage.googleapis.com/v1beta/openai"
                            << "gcp.gemini"
                            << "generativelanguage.googleapis.com" << 443;
    QTest::newRow("Mistral") << "https://api.mistral.ai/v1"
                             << "mistral_ai"
                             << "api.mistral.ai" << 443;
    QTest::newRow("not x.ai by suffix") << "https://notx.ai/v1"
                                        << "notx.ai"
                                        << "notx.ai" << 443;
    QTest::newRow("simulator: the host") << "http://127.0.0.1:8155/v1"
                                         << "127.0.0.1"
                                         << "127.0.0.1" << 8155;
    QTest::newRow("gateway") << "http://llm.internal/v1"
                             << "llm.internal"
                             << "llm.internal" << 80;
    QTest::newRow("nothing") << ""
                             << "_OTHER"
                             << "" << 0;
}

void TestMetricsEndpoint::genAiProvider()
{
    QFETCH(QString, url);
    QFETCH(QString, provider);
    QFETCH(QString, address);
    QFETCH(int, port);
    const GenAiServer server = GenAiServer::fromUrl(QUrl(url));
    QCOMPARE(server.provider, provider);
    QCOMPARE(server.address, address);
    QCOMPARE(server.port, port);
}

void TestMetricsEndpoint::modelsFoldIntoOther()
{
    LabelledMetrics labelled;
    MetricsHub hub;
    Event e;
    e.timeMs = T0;
    e.kind = EventKind::Succeeded;
    e.durationMs = 100;
    for (int i = 0; i < 1000; ++i) {
        e.jobId = quint64(i + 1);
        e.model = QStringLiteral("model-%1").arg(i);
        e.responseModel = e.model;
        labelled.record(e);
    }
    const QByteArray text = PrometheusFormatter::render(hub.snapshot(), labelled);
    QVERIFY(text.contains("gen_ai_request_model=\"model-15\""));
    QVERIFY(!text.contains("gen_ai_request_model=\"model-16\""));
    QVERIFY(text.contains("gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name=\"chat\","
                          "gen_ai_provider_name=\"_OTHER\",gen_ai_request_model=\"other\","
                          "gen_ai_response_model=\"other\"} 984\n"));
    QVERIFY(text.contains("grokpulse_cost_usd_total{model=\"other\"} 0\n"));
    QVERIFY2(text.count('\n') < 2000, QByteArray::number(text.count('\n')).constData()); // bounded
}

void TestMetricsEndpoint::otherPathsAndMethods_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("root") << QByteArray("GET / HTTP/1.1\r\n\r\n") << QByteArray("404");
    QTest::newRow("post") << QByteArray("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
                          << QByteArray("405");
    QTest::newRow("empty line") << QByteArray("\r\n\r\n") << QByteArray("400");
    QTest::newRow("no version") << QByteArray("GET /metrics\r\n\r\n") << QByteArray("400");
    QTest::newRow("binary") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n\n", 14)
                            << QByteArray("400");
}

void TestMetricsEndpoint::otherPathsAndMethods()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    MetricsEndpoint endpoint([] { return QByteArray("x 1\n"); });
    QVERIFY(endpoint.listen(0));
    const QByteArray response = fetch(endpoint.port(), request);
    QVERIFY2(response.startsWith(QByteArray("HTTP/1.1 " + status)), response.constData());
}

void TestMetricsEndpoint::listensOnLoopbackOnly()
{
    MetricsEndpoint endpoint([] { return QByteArray(); });
    QVERIFY(endpoint.listen(0));
    const quint16 port = endpoint.port();
    MetricsEndpoint second([] { return QByteArray(); });
    QString error;
    QVERIFY(!second.listen(port, &error)); // taken: a clear error, not a crash
    QVERIFY(error.contains(QString::number(port)));
    QTcpServer probe; // the endpoint holds 127.0.0.1 only: the wildcard address is still free
    QVERIFY(probe.listen(QHostAddress::AnyIPv4, 0));
    endpoint.close();
    QCOMPARE(endpoint.port(), quint16(0));
}

void TestMetricsEndpoint::everyFamilyHasHelpAndType()
{
    const QByteArray text = populated().render();
    QSet<QByteArray> typed;
    QSet<QByteArray> helped;
    QSet<QByteArray> histograms;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith("# TYPE ")) {
            typed.insert(line.split(' ').value(2));
            if (line.endsWith(" histogram"))
                histograms.insert(line.split(' ').value(2));
        } else if (line.startsWith("# HELP ")) {
            helped.insert(line.split(' ').value(2));
        } else if (!line.isEmpty()) {
            QByteArray family = line.left(line.indexOf(line.contains('{') ? '{' : ' '));
            for (const char *suffix : { "_bucket", "_sum", "_count" }) {
                if (family.endsWith(suffix)
                    && histograms.contains(family.left(family.size() - qstrlen(suffix))))
                    family.chop(qstrlen(suffix));
            }
            QVERIFY2(typed.contains(family), family.constData());
            QVERIFY(family.startsWith("grokpulse_") || family.startsWith("gen_ai_client_"));
        }
    }
    QCOMPARE(typed, helped);
    QCOMPARE(PrometheusFormatter::escapeLabel(QStringLiteral("a\"b\\c\nd")), QByteArray("a\\\"b\\\\c\\nd"));
}

void TestMetricsEndpoint::abuse_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("answered");
    QTest::newRow("head over 8 KiB") << QByteArray("GET /metrics HTTP/1.1\r\nX: " + QByteArray(9000, 'a'))
                                     << false;
    QTest::newRow("never finishes its head") << QByteArray("GET /metrics HTTP/1.1\r\nHost: x\r\n") << false;
    QTest::newRow("nothing at all") << QByteArray() << false;
    QTest::newRow("pipelined: one answer")
        << QByteArray("GET /metrics HTTP/1.1\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n") << true;
}

void TestMetricsEndpoint::abuse()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, answered);
    MetricsEndpointLimits limits;
    limits.connectionTimeoutMs = 300;
    MetricsEndpoint endpoint([] { return QByteArray("x 1\n"); }, limits);
    QVERIFY(endpoint.listen(0));
    QElapsedTimer clock;
    clock.start();
    const QByteArray response = fetch(endpoint.port(), request, 3000);
    QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed()))); // closed, not left open
    QCOMPARE(response.count("HTTP/1.1 200"), answered ? 1 : 0);
    QTRY_COMPARE_WITH_TIMEOUT(endpoint.openConnections(), 0, 2000);
    QCOMPARE(endpoint.droppedRequests(), answered ? quint64(0) : quint64(1));
}

void TestMetricsEndpoint::thousandConnectionsAreClosed()
{
    MetricsEndpointLimits limits;
    limits.connectionTimeoutMs = 500;
    MetricsEndpoint endpoint([] { return QByteArray("x 1\n"); }, limits);
    QVERIFY(endpoint.listen(0));
    // 1,000 connections that never send a byte, opened 40 at a time (the listen backlog is 50):
    // never more than the cap open, the rest closed as they arrive, the idle ones timed out,
    // and a scrape in the middle of it is still answered.
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    int mostOpen = 0;
    for (int wave = 0; wave < 25; ++wave) {
        for (int i = 0; i < 40; ++i) {
            idle.push_back(std::make_unique<QTcpSocket>());
            idle.back()->connectToHost(QHostAddress::LocalHost, endpoint.port());
        }
        const quint64 expected = quint64(40 * (wave + 1));
        QTRY_VERIFY2_WITH_TIMEOUT((mostOpen = std::max(mostOpen, endpoint.openConnections()),
                                   endpoint.arrivedConnections() >= expected),
                                  qPrintable(QStringLiteral("refused %1, arrived %2")
                                                 .arg(endpoint.refusedConnections())
                                                 .arg(endpoint.arrivedConnections())),
                                  10000);
        if (wave == 12) {
            const QByteArray response = fetch(endpoint.port(), "GET /metrics HTTP/1.1\r\n\r\n");
            QVERIFY2(response.startsWith("HTTP/1.1 200"),
                     qPrintable(QStringLiteral("%1 (refused %2, open %3)")
                                    .arg(QString::fromLatin1(response.left(40)))
                                    .arg(endpoint.refusedConnections())
                                    .arg(endpoint.openConnections())));
        }
    }
    QVERIFY2(mostOpen <= limits.maxConnections, qPrintable(QString::number(mostOpen)));
    QVERIFY(endpoint.refusedConnections() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(endpoint.openConnections(), 0, 5000);
    idle.clear();
    // And it still answers.
    QVERIFY(fetch(endpoint.port(), "GET /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200"));
}

void TestMetricsEndpoint::hammeringRendersRarely()
{
    int renders = 0;
    MetricsEndpoint endpoint(
        [&renders] { return QByteArray("x ").append(QByteArray::number(++renders)).append('\n'); });
    QVERIFY(endpoint.listen(0));
    QElapsedTimer clock;
    clock.start();
    int answered = 0;
    for (int i = 0; i < 50; ++i)
        answered
            += fetch(endpoint.port(), "GET /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200") ? 1 : 0;
    QCOMPARE(answered, 50);
    // At most one rendering per 200 ms, and at least one.
    QVERIFY2(renders >= 1 && renders <= 1 + int(clock.elapsed() / 200),
             qPrintable(QStringLiteral("%1 renders in %2 ms").arg(renders).arg(clock.elapsed())));
}

QTEST_GUILESS_MAIN(TestMetricsEndpoint)
#include "tst_metricsendpoint.moc"
