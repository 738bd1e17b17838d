#include "enginetestsupport.h"

#include "core/client/attempt.h"
#include "core/pacing/pacer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

// 1,000 requests through the `flaky` scenario (20% of attempts fail: 503, 500, 529,
// resets): every job finishes exactly once, none is lost, and retries stay in budget.
class TestEngineChaos final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void thousandRequestsThroughFlaky();
    void nothingLeftBehind_data();
    void nothingLeftBehind();
};

namespace {
QJsonObject flakyScenario()
{
    QFile file(u":/scenarios/flaky.json"_s);
    QJsonObject s;
    if (file.open(QIODevice::ReadOnly))
        s = QJsonDocument::fromJson(file.readAll()).object();
    if (s.isEmpty()) // resource not linked in: the same faults, written out
        s = QJsonObject {
            { u"name"_s, u"flaky"_s },
            { u"faults"_s,
              QJsonArray {
                  QJsonObject {
                      { u"kind"_s, u"status"_s }, { u"status"_s, 503 }, { u"probability"_s, 0.06 } },
                  QJsonObject {
                      { u"kind"_s, u"status"_s }, { u"status"_s, 500 }, { u"probability"_s, 0.05 } },
                  QJsonObject {
                      { u"kind"_s, u"status"_s }, { u"status"_s, 529 }, { u"probability"_s, 0.05 } },
                  QJsonObject { { u"kind"_s, u"reset_before_headers"_s }, { u"probability"_s, 0.04 } } } }
        };
    // Keep the faults; lift the rate limit and shorten completions so the run takes seconds.
    s.insert(u"limits"_s, QJsonObject { { u"requests_per_second"_s, 100000 }, { u"burst"_s, 100000 } });
    s.insert(u"completion"_s, QJsonObject { { u"words"_s, 8 }, { u"chunk_interval_ms"_s, 0 } });
    s.remove(u"latency"_s);
    return s;
}
} // namespace

void TestEngineChaos::thousandRequestsThroughFlaky()
{
    constexpr int kJobs = 1000;
    sim::SimServer server;
    QString error;
    const QJsonObject scenario = flakyScenario();
    QVERIFY2(server.setScenarioJson(scenario, &error), qPrintable(error));
    QCOMPARE(scenario.value(u"faults"_s).toArray().size(), 4);
    server.setSeed(7);
    QVERIFY(server.listen(0));

    ClientConfig config = fastConfig(server.baseUrl());
    config.retry = RetryConfig {}; // the real budget: 20% of attempts, at least 3 retries/s over 10 s
    config.retry.baseMs = 2;
    config.retry.capMs = 20;
    config.retry.maxAttempts = 8;
    config.maxInFlight = 16;
    Client client(config);

    QElapsedTimer clock;
    clock.start();
    int attempts = 0;
    int retries = 0;
    int worstExcess = -1000000;
    connect(&client, &Client::eventEmitted, this, [&](const Event &e) {
        if (e.kind != EventKind::AttemptStarted)
            return;
        ++attempts;
        if (e.attempt > 1) {
            ++retries;
            // The whole run fits in one 10 s window, so the budget is cumulative here.
            const double allowed = std::max(3.0 * 10.0, 0.2 * double(attempts));
            worstExcess = std::max(worstExcess, int(std::ceil(double(retries) - allowed)));
        }
    });
    QHash<quint64, int> finishedCount;
    QHash<quint64, Outcome> outcomes;
    for (int i = 0; i < kJobs; ++i) {
        RequestOptions options;
        options.customId = u"chaos-"_s + QString::number(i);
        options.stream = (i % 4 == 0); // a quarter streamed
        RequestJob *job = client.submit(simpleRequest(u"prompt "_s + QString::number(i)), options);
        connect(job, &RequestJob::finished, this, [&, id = job->id()](const Outcome &o) {
            ++finishedCount[id];
            outcomes.insert(id, o);
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(int(finishedCount.size()), kJobs, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(client.activeJobs(), 0, 1000);

    int succeeded = 0;
    for (auto it = finishedCount.cbegin(); it != finishedCount.cend(); ++it) {
        QCOMPARE(it.value(), 1); // exactly once
        const Outcome &o = outcomes.value(it.key());
        if (o.status == JobStatus::Succeeded) {
            ++succeeded;
            QVERIFY(!o.response.text().isEmpty());
        } else {
            // The only acceptable failure: a retriable fault on every one of the attempts.
            QCOMPARE(o.status, JobStatus::Failed);
            QCOMPARE(o.attempts, config.retry.maxAttempts);
        }
    }
    const QJsonObject stats = server.stats();
    const double perRequest = double(attempts) / kJobs;
    qInfo("chaos: %d jobs, %d succeeded, %d attempts (%.3f per request), %d retries, sim saw %d requests, "
          "faults %s, %lld ms",
          kJobs, succeeded, attempts, perRequest, retries, stats.value(u"requests"_s).toInt(),
          QJsonDocument(stats.value(u"faults"_s).toObject()).toJson(QJsonDocument::Compact).constData(),
          clock.elapsed());
    QCOMPARE(succeeded, kJobs); // nothing lost: 8 attempts make an all-fail job ~1e-6 likely
    QVERIFY2(worstExcess <= 1, qPrintable(QString::number(worstExcess))); // never over budget
    QVERIFY(retries > 100); // the faults really happened
    QVERIFY(perRequest < 1.4); // about 1.25 attempts per request
    QVERIFY(stats.value(u"requests"_s).toInt() >= attempts); // Qt may resend a reset on its own
}

void TestEngineChaos::nothingLeftBehind_data()
{
    QTest::addColumn<int>("cancelEvery"); // 0: none
    QTest::addColumn<bool>("stream");
    QTest::newRow("faults") << 0 << false;
    QTest::newRow("faults, streamed") << 0 << true;
    QTest::newRow("faults and cancellations") << 3 << true;
}

// After every job finished and was deleteLater()'d, the client holds nothing per job: no
// job, attempt or reply objects, no queued or in-flight tickets (memory stays flat).
void TestEngineChaos::nothingLeftBehind()
{
    QFETCH(int, cancelEvery);
    QFETCH(bool, stream);
    sim::SimServer server;
    QString error;
    QVERIFY2(server.setScenarioJson(flakyScenario(), &error), qPrintable(error));
    server.setSeed(3);
    QVERIFY(server.listen(0));
    ClientConfig config = fastConfig(server.baseUrl());
    config.retry.baseMs = 2;
    config.retry.capMs = 20;
    config.retry.budgetMinPerSecond = 1000; // lifecycles, not budget waits
    config.maxInFlight = 8;
    Client client(config);
    const qsizetype childrenBefore = client.children().size();
    int finished = 0;
    constexpr int kJobs = 200;
    for (int i = 0; i < kJobs; ++i) {
        RequestOptions options;
        options.customId = u"left-"_s + QString::number(i);
        options.stream = stream;
        RequestJob *job = client.submit(simpleRequest(u"prompt "_s + QString::number(i)), options);
        connect(job, &RequestJob::finished, this, [&finished] { ++finished; }); // the job deletes itself
        if (cancelEvery > 0 && i % cancelEvery == 0)
            connect(job, &RequestJob::attemptStarted, job, &RequestJob::cancel, Qt::QueuedConnection);
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished, kJobs, 20000);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCOMPARE(client.activeJobs(), 0);
    QVERIFY(client.findChildren<RequestJob *>().isEmpty());
    QVERIFY(client.findChildren<Attempt *>().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(client.findChildren<QNetworkReply *>().isEmpty(), 1000);
    QCOMPARE(client.children().size(), childrenBefore);
    const PacingState pacing = client.pacer()->state();
    QCOMPARE(pacing.inFlight, 0);
    for (const int queued : pacing.queued)
        QCOMPARE(queued, 0);
}

QTEST_GUILESS_MAIN(TestEngineChaos)
#include "tst_engine_chaos.moc"
