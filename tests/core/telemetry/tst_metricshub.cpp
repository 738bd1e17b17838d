#include "core/telemetry/metricshub.h"

#include <QTest>

#include <cmath>

using namespace gp;

namespace {

constexpr qint64 T0 = 1'790'000'040'000; // a whole minute, ms since the epoch

Event ev(EventKind kind, qint64 t, ErrorClass errorClass = ErrorClass::None)
{
    Event e;
    e.kind = kind;
    e.timeMs = t;
    e.jobId = 1;
    e.errorClass = errorClass;
    return e;
}

double at(const QList<QPointF> &points, qint64 x)
{
    for (const QPointF &p : points) {
        if (qint64(p.x()) == x)
            return p.y();
    }
    return std::nan("");
}

} // namespace

class TestMetricsHub : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secondAndMinuteBuckets();
    void errorsAndRetriesByClass_data();
    void errorsAndRetriesByClass();
    void ringWrapsAround();
    void latencyPercentilesPerBucket();
    void tokensCostAndGauges();
    void quotaLeftAtItsOwnReset();
    void seriesReusesTheCallersBuffer();
    void recentPicksResolution_data();
    void recentPicksResolution();
};

void TestMetricsHub::secondAndMinuteBuckets()
{
    MetricsHub hub;
    hub.record(ev(EventKind::Submitted, T0 + 100));
    hub.record(ev(EventKind::Submitted, T0 + 900));
    hub.record(ev(EventKind::Submitted, T0 + 1500));
    hub.record(ev(EventKind::Submitted, T0 + 61'000));
    QList<QPointF> out;
    QCOMPARE(hub.series(Resolution::Second, T0, T0 + 1999, MetricField::Submitted, out), 2);
    QCOMPARE(at(out, T0), 2.0);
    QCOMPARE(at(out, T0 + 1000), 1.0);
    // Every second of the window is a point (empty ones are 0), up to the newest bucket.
    QCOMPARE(hub.series(Resolution::Second, T0, T0 + 61'999, MetricField::Submitted, out), 62);
    QCOMPARE(at(out, T0 + 30'000), 0.0);
    QCOMPARE(hub.series(Resolution::Minute, T0, T0 + 120'000, MetricField::Submitted, out), 2);
    QCOMPARE(at(out, T0), 3.0);
    QCOMPARE(at(out, T0 + 60'000), 1.0);
    QCOMPARE(hub.snapshot().submitted, quint64(4));
}

void TestMetricsHub::errorsAndRetriesByClass_data()
{
    QTest::addColumn<ErrorClass>("errorClass");
    QTest::addColumn<ErrorBucket>("bucket");
    QTest::newRow("429 rate") << ErrorClass::RateLimited << ErrorBucket::RateLimit429;
    QTest::newRow("429 capacity") << ErrorClass::Capacity << ErrorBucket::Capacity429;
    QTest::newRow("4xx") << ErrorClass::BadRequest << ErrorBucket::Client4xx;
    QTest::newRow("5xx") << ErrorClass::ServerError << ErrorBucket::Server5xx;
    QTest::newRow("network") << ErrorClass::Network << ErrorBucket::Network;
    QTest::newRow("timeout") << ErrorClass::Timeout << ErrorBucket::Timeout;
}

void TestMetricsHub::errorsAndRetriesByClass()
{
    QFETCH(ErrorClass, errorClass);
    QFETCH(ErrorBucket, bucket);
    MetricsHub hub;
    hub.record(ev(EventKind::AttemptFinished, T0 + 10, errorClass));
    hub.record(ev(EventKind::RetryScheduled, T0 + 11, errorClass));
    hub.record(ev(EventKind::AttemptFinished, T0 + 20));
    hub.record(ev(EventKind::Succeeded, T0 + 21));
    const MetricBucket w = hub.window(Resolution::Second, T0, T0 + 999);
    QCOMPARE(w.attempts, 2u);
    QCOMPARE(w.errors[size_t(bucket)], 1u);
    QCOMPARE(w.errorTotal(), 1u);
    QCOMPARE(w.retries[size_t(bucket)], 1u);
    QCOMPARE(w.value(MetricField::ErrorRate), 0.5);
    QList<QPointF> out;
    hub.series(Resolution::Minute, T0, T0, errorField(bucket), out);
    QCOMPARE(out.value(0).y(), 1.0);
    hub.series(Resolution::Second, T0, T0, retryField(bucket), out);
    QCOMPARE(out.value(0).y(), 1.0);
    QCOMPARE(hub.snapshot().errors[size_t(bucket)], quint64(1));
    QCOMPARE(hub.snapshot().outcomes[MetricsSnapshot::Succeeded], quint64(1));
}

void TestMetricsHub::ringWrapsAround()
{
    MetricsHub hub;
    hub.record(ev(EventKind::Submitted, T0));
    hub.record(ev(EventKind::Submitted, T0 + 3600'000 - 1000)); // the last second the 1 s ring holds
    QCOMPARE(hub.window(Resolution::Second, T0, T0).submitted, 1u);
    hub.record(ev(EventKind::Submitted, T0 + 3600'000)); // reuses T0's slot
    QCOMPARE(hub.window(Resolution::Second, T0, T0).submitted, 0u);
    QCOMPARE(hub.window(Resolution::Second, T0, T0 + 3600'000).submitted, 2u);
    QCOMPARE(hub.window(Resolution::Minute, T0, T0 + 3600'000).submitted, 3u);
    // An event older than the ring is dropped from the ring, not written into a wrong slot.
    hub.record(ev(EventKind::Submitted, T0 + 500));
    QCOMPARE(hub.window(Resolution::Second, T0 + 3600'000, T0 + 3600'000).submitted, 1u);
    // A jump of more than a day empties the minute ring too.
    hub.record(ev(EventKind::Submitted, T0 + 25 * 3600'000LL));
    QCOMPARE(hub.window(Resolution::Minute, T0, T0 + 25 * 3600'000LL).submitted, 1u);
    QList<QPointF> out;
    QCOMPARE(hub.series(Resolution::Minute, 0, T0 + 25 * 3600'000LL, MetricField::Submitted, out), 1440);
    QCOMPARE(hub.snapshot().submitted, quint64(5)); // totals keep everything
}

void TestMetricsHub::latencyPercentilesPerBucket()
{
    MetricsHub hub;
    for (int i = 1; i <= 100; ++i) {
        Event e = ev(EventKind::Succeeded, T0 + 5000 + i);
        e.durationMs = i * 100; // 100 .. 10000 ms
        hub.record(e);
        Event a = ev(EventKind::AttemptFinished, T0 + 5000 + i);
        a.ttfbMs = i * 10;
        hub.record(a);
    }
    const MetricBucket b = hub.window(Resolution::Second, T0 + 5000, T0 + 5999);
    const auto near
        = [](double v, double exact) { return std::abs(v - exact) / exact <= LogHistogram::kRelativeError; };
    QVERIFY(near(b.value(MetricField::LatencyP50), 5000));
    QVERIFY(near(b.value(MetricField::LatencyP95), 9500));
    QVERIFY(near(b.value(MetricField::LatencyP99), 9900));
    QVERIFY(near(b.value(MetricField::TtfbP95), 950));
    QVERIFY(std::isnan(hub.window(Resolution::Second, T0 + 7000, T0 + 7000).value(MetricField::LatencyP95)));
    const MetricsSnapshot &s = hub.snapshot();
    QCOMPARE(s.durationCount, quint64(100));
    QCOMPARE(s.durationSumSec, 505.0);
}

void TestMetricsHub::tokensCostAndGauges()
{
    MetricsHub hub;
    Event q = ev(EventKind::QuotaUpdated, T0);
    q.quota.requests.remaining = 40;
    q.quota.requests.limit = 60;
    q.quota.tokens.remaining = 1000;
    q.quota.tokens.limit = 16000;
    q.quota.tokens.resetInMs = 2500;
    hub.record(q);
    Event s = ev(EventKind::Succeeded, T0 + 2000);
    s.usage = { 10, 20, 30, 4, 60, 123'000'000, true };
    hub.record(s);
    hub.record(ev(EventKind::BreakerOpened, T0 + 2100));
    PacingState p;
    p.queued[0] = 1;
    p.queued[2] = 4;
    p.inFlight = 3;
    hub.recordPacing(p, T0 + 2200, 0);
    const MetricBucket b = hub.window(Resolution::Second, T0 + 2000, T0 + 2999);
    QCOMPARE(b.promptTokens, 10);
    QCOMPARE(b.reasoningTokens, 30);
    QCOMPARE(b.value(MetricField::CostUsd), 0.0123);
    QCOMPARE(b.value(MetricField::RequestsRemaining), 40.0);
    QCOMPARE(b.value(MetricField::TokenLimit), 16000.0);
    QCOMPARE(b.value(MetricField::QueueDepth), 5.0);
    QCOMPARE(b.value(MetricField::InFlight), 3.0);
    QCOMPARE(b.value(MetricField::BreakerState), 2.0);
    QCOMPARE(b.value(MetricField::QuotaResetInMs), 500.0);
    // Gauges carry forward into buckets that saw no update.
    hub.record(ev(EventKind::Submitted, T0 + 9000));
    QCOMPARE(hub.window(Resolution::Second, T0 + 9000, T0 + 9000).value(MetricField::TokensRemaining),
             1000.0);
    QList<QPointF> out;
    hub.series(Resolution::Second, T0 - 10'000, T0 - 1, MetricField::RequestsRemaining, out);
    QVERIFY(out.isEmpty());
}

// Each dimension reads full at its own announced reset; a later count without a reset is read as sent.
void TestMetricsHub::quotaLeftAtItsOwnReset()
{
    MetricsHub hub;
    Event q = ev(EventKind::QuotaUpdated, T0);
    q.quota.requests = { .limit = 60, .remaining = 2, .resetInMs = 30'000, .windowMs = {} };
    q.quota.tokens = { .limit = 16000, .remaining = 100, .resetInMs = 2'000, .windowMs = {} };
    hub.record(q);
    const MetricGauges &g = hub.snapshot().gauges;
    QCOMPARE(g.requestsLeftAt(T0 + 1'999), 2);
    QCOMPARE(g.tokensLeftAt(T0 + 1'999), 100);
    QCOMPARE(g.tokensLeftAt(T0 + 2'000), 16000);
    QVERIFY(g.tokensResetPassed(T0 + 2'000));
    QCOMPARE(g.requestsLeftAt(T0 + 2'000), 2);
    QVERIFY(!g.requestsResetPassed(T0 + 29'999));
    QCOMPARE(g.requestsLeftAt(T0 + 30'000), 60);
    Event later = ev(EventKind::QuotaUpdated, T0 + 40'000);
    later.quota.requests.remaining = 7; // no reset this time
    hub.record(later);
    QCOMPARE(hub.snapshot().gauges.requestsLeftAt(T0 + 90'000), 7);
    QCOMPARE(hub.snapshot().gauges.tokensLeftAt(T0 + 90'000), 16000);
}

void TestMetricsHub::seriesReusesTheCallersBuffer()
{
    MetricsHub hub;
    for (int i = 0; i < 600; ++i)
        hub.record(ev(EventKind::Submitted, T0 + i * 1000));
    QList<QPointF> out;
    out.reserve(3600);
    const QPointF *data = out.constData();
    QCOMPARE(hub.recent(300'000, T0 + 599'000, MetricField::Submitted, out), 300);
    QCOMPARE(out.constData(), data);
    QCOMPARE(out.first().x(), double(T0 + 300'000));
    QCOMPARE(out.last().x(), double(T0 + 599'000));
}

void TestMetricsHub::recentPicksResolution_data()
{
    QTest::addColumn<qint64>("span");
    QTest::addColumn<int>("resolution");
    QTest::newRow("5 min") << qint64(300'000) << int(Resolution::Second);
    QTest::newRow("1 h") << qint64(3600'000) << int(Resolution::Second);
    QTest::newRow("24 h") << qint64(86'400'000) << int(Resolution::Minute);
}

void TestMetricsHub::recentPicksResolution()
{
    QFETCH(qint64, span);
    QFETCH(int, resolution);
    QCOMPARE(int(MetricsHub::resolutionFor(span)), resolution);
}

QTEST_APPLESS_MAIN(TestMetricsHub)
#include "tst_metricshub.moc"
