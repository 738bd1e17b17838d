#include "enginetestsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

// What the server can make us hold is bounded: a too-large body or SSE line ends the job
// once and clearly (fatal: the same response would come again), a huge header too.
class TestEngineLimits final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void bodyCap_data();
    void bodyCap();
    void streamLineCap();
    void hugeHeader();

private:
    Outcome runWithFault(const QJsonObject &fault, const ClientConfig &config, int *finishedCount);
    std::unique_ptr<sim::SimServer> m_sim;
};

void TestEngineLimits::initTestCase()
{
    m_sim = startSim(u"quiet"_s);
    QVERIFY(m_sim);
}

Outcome TestEngineLimits::runWithFault(const QJsonObject &fault, const ClientConfig &config,
                                       int *finishedCount)
{
    m_sim->resetStats();
    QString error;
    if (!fault.isEmpty() && !m_sim->enqueueFaults(QJsonArray { fault }, &error))
        qWarning("enqueueFaults: %s", qPrintable(error));
    Client client(config);
    RequestJob *job = client.submit(simpleRequest());
    QSignalSpy finished(job, &RequestJob::finished);
    const Outcome o = waitFor(job);
    // Anything queued after the end (a second finished) would show up in this spin.
    QCoreApplication::processEvents();
    *finishedCount = int(finished.size());
    return o;
}

void TestEngineLimits::bodyCap_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("bodyBytes");
    QTest::addColumn<JobStatus>("expected");

    QTest::newRow("200 over the cap") << 200 << 64 * 1024 << JobStatus::Failed;
    QTest::newRow("500 over the cap") << 500 << 64 * 1024 << JobStatus::Failed;
    QTest::newRow("200 under the cap, not json: retried") << 200 << 1000 << JobStatus::Succeeded;
}

void TestEngineLimits::bodyCap()
{
    QFETCH(int, status);
    QFETCH(int, bodyBytes);
    QFETCH(JobStatus, expected);
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.timeouts.maxResponseBytes = 4096;
    const QString body(bodyBytes, u'x');
    int finishedCount = 0;
    const Outcome o = runWithFault(fault(u"status"_s, { { u"status"_s, status }, { u"body"_s, body } }),
                                   config, &finishedCount);
    QCOMPARE(finishedCount, 1);
    QCOMPARE(jobStatusName(o.status), jobStatusName(expected));
    if (bodyBytes > config.timeouts.maxResponseBytes) {
        QCOMPARE(o.error.errorClass, ErrorClass::MalformedResponse);
        QCOMPARE(o.error.message, u"response body exceeds 4096 bytes"_s);
        QCOMPARE(o.attempts, 1); // fatal: not retried
        QVERIFY(o.responseBody.isEmpty());
    } else {
        QCOMPARE(o.attempts, 2); // an ordinary malformed body stays retriable
    }
}

// Sweeps the line bound across the chunk sizes: too small fails before any output (Failed),
// between content and the longer final chunks interrupts after output with the partial text.
void TestEngineLimits::streamLineCap()
{
    bool sawFailed = false;
    bool sawInterrupted = false;
    for (int bound = 64; bound <= 1024 && !(sawFailed && sawInterrupted); bound += 32) {
        ClientConfig config = fastConfig(m_sim->baseUrl());
        config.timeouts.maxStreamLineBytes = bound;
        Client client(config);
        RequestOptions options;
        options.stream = true;
        RequestJob *job = client.submit(simpleRequest(), options);
        QSignalSpy finished(job, &RequestJob::finished);
        QString deltas;
        connect(job, &RequestJob::streamDelta, this,
                [&](const QString &content, const QString &) { deltas += content; });
        const Outcome o = waitFor(job);
        QCoreApplication::processEvents();
        QCOMPARE(finished.size(), 1);
        if (o.status == JobStatus::Succeeded)
            break; // every line fits from here on
        QVERIFY2(o.error.message.contains(u"SSE "_s) && o.error.message.contains(QString::number(bound)),
                 qPrintable(o.error.message));
        QCOMPARE(o.attempts, 1);
        if (o.status == JobStatus::Failed) {
            QCOMPARE(o.error.errorClass, ErrorClass::MalformedResponse);
            QVERIFY(deltas.isEmpty());
            sawFailed = true;
        } else {
            QCOMPARE(jobStatusName(o.status), jobStatusName(JobStatus::Interrupted));
            QCOMPARE(o.error.errorClass, ErrorClass::Interrupted);
            QVERIFY(!o.partialText.isEmpty());
            QCOMPARE(o.partialText, deltas);
            sawInterrupted = true;
        }
    }
    QVERIFY(sawFailed);
    QVERIFY(sawInterrupted);
}

// Qt bounds response headers itself; whatever it decides, the job ends exactly once and says why.
void TestEngineLimits::hugeHeader()
{
    m_sim->resetStats();
    QString error;
    const QJsonObject huge { { u"x-huge"_s, QString(512 * 1024, u'h') } };
    QVERIFY2(m_sim->enqueueFaults(
                 QJsonArray { fault(u"status"_s, { { u"status"_s, 200 }, { u"headers"_s, huge } }) }, &error),
             qPrintable(error));
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.timeouts.firstByteMs = 1000; // Qt 6.4 stalls on the huge header: our timeouts end it
    config.timeouts.idleMs = 1000;
    Client client(config);
    QList<Event> attempts;
    connect(&client, &Client::eventEmitted, this, [&attempts](const Event &e) {
        if (e.kind == EventKind::AttemptFinished)
            attempts.append(e);
    });
    RequestJob *job = client.submit(simpleRequest());
    QSignalSpy finished(job, &RequestJob::finished);
    const Outcome o = waitFor(job);
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!attempts.isEmpty());
    const Event &first = attempts.first();
    qInfo("512 KiB header value: first attempt %s (%s); job %s after %d attempt(s)",
          qPrintable(errorClassName(first.errorClass)), qPrintable(first.message),
          qPrintable(jobStatusName(o.status)), o.attempts);
    if (first.errorClass != ErrorClass::None)
        QVERIFY(!first.message.isEmpty()); // refused by Qt: said clearly, then retried once the fault is gone
    QCOMPARE(o.status, JobStatus::Succeeded);
}

QTEST_GUILESS_MAIN(TestEngineLimits)
#include "tst_engine_limits.moc"
