#include "core/telemetry/labelledmetrics.h"
#include "core/telemetry/metricshub.h"
#include "core/telemetry/prometheusformatter.h"

#include <QRegularExpression>
#include <QTest>

using namespace gp;

namespace {

constexpr qint64 T0 = 1'790'000'040'000;

QByteArray render(const LabelledMetrics &labelled)
{
    return PrometheusFormatter::render(MetricsHub().snapshot(), labelled);
}

// Lines of one family whose labels hold `labelPart` (empty: every line of the family).
QList<QByteArray> lines(const QByteArray &text, const QByteArray &name, const QByteArray &labelPart = {})
{
    QList<QByteArray> out;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(QByteArray(name + '{')) || line.startsWith(QByteArray(name + ' '))) {
            if (labelPart.isEmpty() || line.contains(labelPart))
                out.append(line);
        }
    }
    return out;
}

PacingState limit(LimitSource source, const QString &model, std::optional<double> rps,
                  std::optional<double> tpm)
{
    PacingState s;
    s.limitSource = source;
    s.limitModel = model;
    s.limitRequestsPerSecond = rps;
    s.limitTokensPerMinute = tpm;
    return s;
}

Event terminal(quint64 job, const QString &client, EventKind kind = EventKind::Succeeded)
{
    Event e;
    e.timeMs = T0;
    e.jobId = job;
    e.kind = kind;
    e.model = QStringLiteral("grok-4");
    e.client = client;
    e.durationMs = 1500;
    if (kind == EventKind::Succeeded)
        e.usage = { 10, 20, 5, 0, 35, std::nullopt, true };
    return e;
}

} // namespace

// The families by limit source, by gateway client, and the GenAI time per output chunk.
class TestLabelledMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void limitsBySource_data();
    void limitsBySource();
    void statedLimitsStayPerModel();
    void limitModelsAreBounded();
    void clientLabels_data();
    void clientLabels();
    void noClientReadsAsBefore();
    void clientsAreBounded();
    void timePerOutputChunk();
};

void TestLabelledMetrics::limitsBySource_data()
{
    QTest::addColumn<PacingState>("state");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("configured rps and tpm")
        << limit(LimitSource::Configured, {}, 10, 6000)
        << QByteArray("grokpulse_limit_requests_per_second{model=\"all\",source=\"configured\"} 10\n"
                      "grokpulse_limit_tokens_per_minute{model=\"all\",source=\"configured\"} 6000\n"
                      "grokpulse_limit_active{model=\"all\",source=\"configured\"} 1\n");
    QTest::newRow("headers") << limit(LimitSource::Headers, {}, 2.5, std::nullopt)
                             << QByteArray(
                                    "grokpulse_limit_requests_per_second{model=\"all\",source=\"headers\"} "
                                    "2.5\n");
    QTest::newRow("stated by server")
        << limit(LimitSource::StatedByServer, QStringLiteral("grok-4-0709"), std::nullopt, 16000)
        << QByteArray(
               "grokpulse_limit_tokens_per_minute{model=\"grok-4-0709\",source=\"stated_by_server\"} 16000\n"
               "grokpulse_limit_active{model=\"grok-4-0709\",source=\"stated_by_server\"} 1\n");
    PacingState learned = limit(LimitSource::Learned, {}, 4.5, std::nullopt);
    learned.learnedRps = 4.5;
    QTest::newRow("learned") << learned
                             << QByteArray(
                                    "grokpulse_limit_requests_per_second{model=\"all\",source=\"learned\"} "
                                    "4.5\n");
}

void TestLabelledMetrics::limitsBySource()
{
    QFETCH(PacingState, state);
    QFETCH(QByteArray, expected);
    LabelledMetrics m;
    m.recordPacing(state);
    const QByteArray text = render(m);
    for (const QByteArray &line : expected.split('\n')) {
        if (!line.isEmpty())
            QVERIFY2(text.contains(QByteArray(line + '\n')), line.constData());
    }
    // Exactly one limit is the one admission follows.
    QCOMPARE(lines(text, "grokpulse_limit_active").size(), 1);
    QVERIFY(text.contains("# TYPE grokpulse_limit_tokens_per_minute gauge\n"));
}

void TestLabelledMetrics::statedLimitsStayPerModel()
{
    LabelledMetrics m;
    PacingState headers = limit(LimitSource::Headers, {}, 8, std::nullopt);
    headers.learnedRps = 3; // the adaptive limiter's value stays visible beside the stronger one
    m.recordPacing(headers);
    m.recordPacing(limit(LimitSource::StatedByServer, QStringLiteral("grok-4.3"), 2, std::nullopt));
    m.recordPacing(limit(LimitSource::StatedByServer, QStringLiteral("grok-4-0709"), std::nullopt, 16000));
    const QByteArray text = render(m);
    // grok-4.3's stated rate is still what the pacer paces grok-4.3 by; the header limit is gone.
    QVERIFY(text.contains(
        "grokpulse_limit_requests_per_second{model=\"grok-4.3\",source=\"stated_by_server\"} 2\n"));
    QVERIFY(text.contains(
        "grokpulse_limit_tokens_per_minute{model=\"grok-4-0709\",source=\"stated_by_server\"} 16000\n"));
    QVERIFY(lines(text, "grokpulse_limit_requests_per_second", "source=\"headers\"").isEmpty());
    QVERIFY(lines(text, "grokpulse_limit_requests_per_second", "source=\"learned\"").isEmpty());
    QCOMPARE(
        lines(text, "grokpulse_limit_active"),
        QList<QByteArray> { "grokpulse_limit_active{model=\"grok-4-0709\",source=\"stated_by_server\"} 1" });
    m.recordPacing(PacingState {}); // nothing limits admission now
    QVERIFY(lines(render(m), "grokpulse_limit_active").isEmpty());
}

void TestLabelledMetrics::limitModelsAreBounded()
{
    LabelledMetrics m;
    for (int i = 0; i < 200; ++i)
        m.recordPacing(
            limit(LimitSource::StatedByServer, QStringLiteral("model-%1").arg(i), i + 1, std::nullopt));
    const QList<QByteArray> rps = lines(render(m), "grokpulse_limit_requests_per_second");
    QCOMPARE(rps.size(), ModelLabels::kDefaultCap + 1);
    QCOMPARE(lines(render(m), "grokpulse_limit_requests_per_second", "model=\"other\"").size(), 1);
}

void TestLabelledMetrics::clientLabels_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("requests") << QByteArray(
        "grokpulse_requests_total{outcome=\"succeeded\",client=\"alice\"} 2\n");
    QTest::newRow("failed") << QByteArray("grokpulse_requests_total{outcome=\"failed\",client=\"bob\"} 1\n");
    QTest::newRow("latency") << QByteArray(
        "grokpulse_request_duration_seconds_bucket{client=\"alice\",le=\"2.5\"} 2\n");
    QTest::newRow("latency count") << QByteArray(
        "grokpulse_request_duration_seconds_count{client=\"bob\"} 1\n");
    QTest::newRow("retries") << QByteArray(
        "grokpulse_retries_total{model=\"grok-4\",client=\"bob\",reason=\"429_rate\"} 1\n");
    QTest::newRow("tokens") << QByteArray(
        "grokpulse_tokens_total{model=\"grok-4\",client=\"alice\",kind=\"completion\"} 40\n");
    QTest::newRow("no usage for bob")
        << QByteArray("grokpulse_tokens_total{model=\"grok-4\",client=\"bob\",kind=\"completion\"} 0\n");
    QTest::newRow("genai") << QByteArray(
        "gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name=\"chat\",gen_ai_provider_name="
        "\"_OTHER\",gen_ai_request_model=\"grok-4\",grokpulse_client=\"alice\"} 2\n");
}

void TestLabelledMetrics::clientLabels()
{
    QFETCH(QByteArray, line);
    LabelledMetrics m;
    m.record(terminal(1, QStringLiteral("alice")));
    m.record(terminal(2, QStringLiteral("alice")));
    Event retry = terminal(3, QStringLiteral("bob"), EventKind::RetryScheduled);
    retry.errorClass = ErrorClass::RateLimited;
    m.record(retry);
    Event failed = terminal(3, QStringLiteral("bob"), EventKind::Failed);
    failed.errorClass = ErrorClass::RateLimited;
    m.record(failed);
    const QByteArray text = render(m);
    QVERIFY2(text.contains(line), text.constData());
}

void TestLabelledMetrics::noClientReadsAsBefore()
{
    LabelledMetrics m;
    m.record(terminal(1, QString()));
    const QByteArray text = render(m);
    QVERIFY(text.contains("grokpulse_requests_total{outcome=\"succeeded\"} 1\n"));
    QVERIFY(text.contains("grokpulse_request_duration_seconds_count 1\n"));
    QVERIFY(text.contains("grokpulse_tokens_total{model=\"grok-4\",kind=\"prompt\"} 10\n"));
    QVERIFY(!text.contains("client="));
}

void TestLabelledMetrics::clientsAreBounded()
{
    LabelledMetrics m;
    for (quint64 i = 0; i < 500; ++i)
        m.record(terminal(i + 1, QStringLiteral("app-%1").arg(i)));
    m.record(terminal(1000, QStringLiteral("xai-") + QString(40, u'k'))); // looks like a key
    const QByteArray text = render(m);
    const QList<QByteArray> succeeded = lines(text, "grokpulse_requests_total", "outcome=\"succeeded\"");
    QCOMPARE(succeeded.size(), 1 + ModelLabels::kClientCap + 1); // no client, 32 clients, other
    QVERIFY(text.contains("grokpulse_requests_total{outcome=\"succeeded\",client=\"other\"} 469\n"));
    QVERIFY(!text.contains("kkkkkkkk"));
    QVERIFY(lines(text, "gen_ai_client_operation_duration_seconds_count").size()
            <= ModelLabels::kClientCap + 1);
}

void TestLabelledMetrics::timePerOutputChunk()
{
    LabelledMetrics m;
    Event e = terminal(1, QString());
    e.stream = true;
    e.firstChunkMs = 400;
    for (const double gap : { 0.005, 0.015, 0.015, 0.1, 3.0 })
        e.chunkGaps.add(gap);
    m.record(e);
    Event plain = terminal(2, QString()); // not streamed: never recorded
    plain.chunkGaps.add(0.5);
    m.record(plain);
    const QByteArray text = render(m);
    const QByteArray g
        = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"_OTHER\",gen_ai_request_model=\"grok-4\"";
    const QByteArray name = "gen_ai_client_operation_time_per_output_chunk_seconds";
    QVERIFY(text.contains(QByteArray("# TYPE " + name + " histogram\n")));
    QVERIFY(text.contains(QByteArray(name + "_bucket{" + g + ",le=\"0.01\"} 1\n")));
    QVERIFY(text.contains(QByteArray(name + "_bucket{" + g + ",le=\"0.02\"} 3\n")));
    QVERIFY(text.contains(QByteArray(name + "_bucket{" + g + ",le=\"0.16\"} 4\n")));
    QVERIFY(text.contains(QByteArray(name + "_bucket{" + g + ",le=\"5.12\"} 5\n")));
    QVERIFY(text.contains(QByteArray(name + "_bucket{" + g + ",le=\"81.92\"} 5\n")));
    QVERIFY(text.contains(QByteArray(name + "_count{" + g + "} 5\n")));
    QVERIFY(text.contains(QByteArray(name + "_sum{" + g + "} 3.135\n")));
    QCOMPARE(lines(text, QByteArray(name + "_bucket")).size(), 15);
}

QTEST_GUILESS_MAIN(TestLabelledMetrics)
#include "tst_labelledmetrics.moc"
