#include "core/telemetry/metricsendpoint.h"
#include "core/telemetry/metricshub.h"
#include "core/telemetry/prometheusformatter.h"

#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace gp;

namespace {

constexpr qint64 T0 = 1'790'000'040'000;

MetricsHub &populatedHub()
{
    static MetricsHub hub;
    static bool once = [] {
        Event e;
        e.timeMs = T0;
        for (int i = 0; i < 3; ++i) {
            e.kind = EventKind::Submitted;
            hub.record(e);
        }
        e.kind = EventKind::AttemptFinished;
        e.errorClass = ErrorClass::RateLimited;
        hub.record(e);
        e.kind = EventKind::RetryScheduled;
        hub.record(e);
        e.errorClass = ErrorClass::None;
        e.kind = EventKind::AttemptFinished;
        hub.record(e);
        e.kind = EventKind::Succeeded;
        e.durationMs = 700;
        e.usage = { 100, 40, 60, 30, 200, std::nullopt, true };
        hub.record(e);
        e.kind = EventKind::Succeeded;
        e.durationMs = 45'000;
        hub.record(e);
        e.kind = EventKind::QuotaUpdated;
        e.quota.requests.remaining = 17;
        e.quota.tokens.remaining = 9000;
        hub.record(e);
        PacingState p;
        p.queued[1] = 4;
        p.inFlight = 2;
        hub.recordPacing(p, T0, 0);
        return true;
    }();
    Q_UNUSED(once);
    return hub;
}

} // namespace

class TestMetricsEndpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesMetricsOverTcp_data();
    void servesMetricsOverTcp();
    void otherPathsAndMethods_data();
    void otherPathsAndMethods();
    void listensOnLoopbackOnly();
    void everyFamilyHasHelpAndType();
};

void TestMetricsEndpoint::servesMetricsOverTcp_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("requests") << QByteArray("grokpulse_requests_total{outcome=\"succeeded\"} 2\n");
    QTest::newRow("attempts") << QByteArray("grokpulse_attempts_total 2\n");
    QTest::newRow("retries") << QByteArray("grokpulse_retries_total{reason=\"429_rate\"} 1\n");
    QTest::newRow("errors") << QByteArray("grokpulse_errors_total{class=\"429_rate\"} 1\n");
    QTest::newRow("bucket 1 s") << QByteArray("grokpulse_request_duration_seconds_bucket{le=\"1\"} 1\n");
    QTest::newRow("bucket 60 s") << QByteArray("grokpulse_request_duration_seconds_bucket{le=\"60\"} 2\n");
    QTest::newRow("bucket inf") << QByteArray("grokpulse_request_duration_seconds_bucket{le=\"+Inf\"} 2\n");
    QTest::newRow("sum") << QByteArray("grokpulse_request_duration_seconds_sum 45.7\n");
    QTest::newRow("count") << QByteArray("grokpulse_request_duration_seconds_count 2\n");
    QTest::newRow("tokens") << QByteArray("grokpulse_tokens_total{kind=\"reasoning\"} 120\n");
    QTest::newRow("quota") << QByteArray("grokpulse_quota_remaining{unit=\"requests\"} 17\n");
    QTest::newRow("queue") << QByteArray("grokpulse_queue_depth{priority=\"normal\"} 4\n");
    QTest::newRow("in flight") << QByteArray("grokpulse_in_flight 2\n");
    QTest::newRow("type") << QByteArray("# TYPE grokpulse_request_duration_seconds histogram\n");
}

void TestMetricsEndpoint::servesMetricsOverTcp()
{
    QFETCH(QByteArray, line);
    MetricsEndpoint endpoint([] { return PrometheusFormatter::render(populatedHub().snapshot()); });
    QString error;
    QVERIFY2(endpoint.listen(0, &error), qPrintable(error));
    QVERIFY(endpoint.port() != 0);
    QByteArray response;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, endpoint.port());
    socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(
        (response += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState), 5000);
    response += socket.readAll();
    QVERIFY(response.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(response.contains("Content-Type: text/plain; version=0.0.4"));
    const QByteArray body = response.mid(response.indexOf("\r\n\r\n") + 4);
    QVERIFY(response.contains(QByteArray("Content-Length: " + QByteArray::number(body.size()))));
    QVERIFY2(body.contains(line), body.constData());
}

void TestMetricsEndpoint::otherPathsAndMethods_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("root") << QByteArray("GET / HTTP/1.1\r\n\r\n") << QByteArray("404");
    QTest::newRow("post") << QByteArray("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
                          << QByteArray("405");
    QTest::newRow("garbage") << QByteArray("\r\n\r\n") << QByteArray("400");
}

void TestMetricsEndpoint::otherPathsAndMethods()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    MetricsEndpoint endpoint([] { return QByteArray("x 1\n"); });
    QVERIFY(endpoint.listen(0));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, endpoint.port());
    socket.write(request);
    QByteArray response;
    QTRY_VERIFY_WITH_TIMEOUT(
        (response += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState), 5000);
    response += socket.readAll();
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
    endpoint.close();
    QCOMPARE(endpoint.port(), quint16(0));
}

void TestMetricsEndpoint::everyFamilyHasHelpAndType()
{
    const QByteArray text = PrometheusFormatter::render(populatedHub().snapshot());
    QSet<QByteArray> typed;
    QSet<QByteArray> helped;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith("# TYPE "))
            typed.insert(line.split(' ').value(2));
        else if (line.startsWith("# HELP "))
            helped.insert(line.split(' ').value(2));
        else if (!line.isEmpty()) {
            QByteArray family = line.left(line.indexOf(line.contains('{') ? '{' : ' '));
            for (const char *suffix : { "_bucket", "_sum", "_count" }) {
                if (family.endsWith(suffix) && family.startsWith("grokpulse_request_duration_seconds"))
                    family.chop(qstrlen(suffix));
            }
            QVERIFY2(typed.contains(family), family.constData());
            QVERIFY(family.startsWith("grokpulse_"));
        }
    }
    QCOMPARE(typed, helped);
    QCOMPARE(PrometheusFormatter::escapeLabel(QStringLiteral("a\"b\\c\nd")), QByteArray("a\\\"b\\\\c\\nd"));
}

QTEST_GUILESS_MAIN(TestMetricsEndpoint)
#include "tst_metricsendpoint.moc"
