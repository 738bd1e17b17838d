#include "enginetestsupport.h"

#include <QElapsedTimer>
#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

// Streams: deltas, usage from the last chunk, a synthesized body; retried only before the
// first content byte, Interrupted with the partial text after it.
class TestEngineStreaming final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void streamSucceeds();
    void faults_data();
    void faults();
    void idleLimitWithoutFirstByteLimit();

private:
    std::unique_ptr<sim::SimServer> m_sim;
};

void TestEngineStreaming::initTestCase()
{
    m_sim = startSim(u"quiet"_s);
    QVERIFY(m_sim);
}

void TestEngineStreaming::streamSucceeds()
{
    Client client(fastConfig(m_sim->baseUrl()));
    RequestOptions options;
    options.stream = true;
    RequestJob *job = client.submit(simpleRequest(), options);
    QString deltas;
    int deltaCount = 0;
    connect(job, &RequestJob::streamDelta, this, [&](const QString &content, const QString &) {
        deltas += content;
        ++deltaCount;
    });
    const Outcome o = waitFor(job);
    QCOMPARE(o.status, JobStatus::Succeeded);
    QVERIFY(deltaCount > 3);
    QCOMPARE(o.response.text(), deltas);
    QVERIFY(o.response.usage.present);
    QVERIFY(o.response.usage.completionTokens > 0);
    QVERIFY(!o.response.choices.first().finishReason.isEmpty());
    QString error;
    const auto reparsed = parseChatResponse(o.responseBody, &error);
    QVERIFY2(reparsed.has_value(), qPrintable(error));
    QCOMPARE(reparsed->text(), deltas);
    QCOMPARE(reparsed->usage.totalTokens, o.response.usage.totalTokens);
    QVERIFY(o.partialText.isEmpty());
}

void TestEngineStreaming::faults_data()
{
    QTest::addColumn<QJsonObject>("fault");
    QTest::addColumn<JobStatus>("status");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("says");

    QTest::newRow("cut before output: retried")
        << fault(u"cut_mid_stream"_s, { { u"after_chunks"_s, 0 } }) << JobStatus::Succeeded << 2 << QString();
    QTest::newRow("cut after output: interrupted") << fault(u"cut_mid_stream"_s, { { u"after_chunks"_s, 4 } })
                                                   << JobStatus::Interrupted << 1 << u"stream cut"_s;
    QTest::newRow("error event before output: retried")
        << fault(u"stream_error_event"_s, { { u"after_chunks"_s, 0 } }) << JobStatus::Succeeded << 2
        << QString();
    QTest::newRow("error event after output: interrupted")
        << fault(u"stream_error_event"_s, { { u"after_chunks"_s, 4 } }) << JobStatus::Interrupted << 1
        << u"internal error occurred"_s;
    QTest::newRow("stall before output: idle timeout, retried")
        << fault(u"stall_mid_stream"_s, { { u"after_chunks"_s, 0 }, { u"ms"_s, 2000 } })
        << JobStatus::Succeeded << 2 << QString();
    QTest::newRow("stall after output: interrupted")
        << fault(u"stall_mid_stream"_s, { { u"after_chunks"_s, 4 }, { u"ms"_s, 2000 } })
        << JobStatus::Interrupted << 1 << u"idle timeout"_s;
    QTest::newRow("reset after headers: retried")
        << fault(u"reset_after_headers"_s) << JobStatus::Succeeded << 2 << QString();
    QTest::newRow("503 before stream: retried")
        << fault(u"status"_s, { { u"status"_s, 503 } }) << JobStatus::Succeeded << 2 << QString();
}

void TestEngineStreaming::faults()
{
    QFETCH(QJsonObject, fault);
    QFETCH(JobStatus, status);
    QFETCH(int, attempts);
    QFETCH(QString, says);

    m_sim->resetStats();
    QString error;
    QVERIFY2(m_sim->enqueueFaults(QJsonArray { fault }, &error), qPrintable(error));
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.timeouts.idleMs = 300;
    Client client(config);
    RequestOptions options;
    options.stream = true;
    RequestJob *job = client.submit(simpleRequest(), options);
    QString deltas;
    connect(job, &RequestJob::streamDelta, this,
            [&](const QString &content, const QString &) { deltas += content; });
    const Outcome o = waitFor(job);
    QCOMPARE(jobStatusName(o.status), jobStatusName(status));
    QCOMPARE(o.attempts, attempts);
    if (status == JobStatus::Interrupted) {
        QCOMPARE(o.error.errorClass, ErrorClass::Interrupted);
        QVERIFY(!o.partialText.isEmpty());
        QCOMPARE(o.partialText, deltas);
        QVERIFY2(o.error.message.contains(says), qPrintable(o.error.message));
    } else {
        QCOMPARE(o.response.text(), deltas); // a failed attempt before output added nothing
        QVERIFY(!deltas.isEmpty());
    }
}

// The attempt's one timer is not moved when the headers arrive: the idle limit still holds after
// them when no first-byte limit would wake it earlier.
void TestEngineStreaming::idleLimitWithoutFirstByteLimit()
{
    m_sim->resetStats();
    QString error;
    QVERIFY2(m_sim->enqueueFaults(
                 QJsonArray { fault(u"stall_mid_stream"_s, { { u"after_chunks"_s, 4 }, { u"ms"_s, 3000 } }) },
                 &error),
             qPrintable(error));
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.timeouts.firstByteMs = 0;
    config.timeouts.idleMs = 300;
    Client client(config);
    RequestOptions options;
    options.stream = true;
    QElapsedTimer clock;
    clock.start();
    const Outcome o = waitFor(client.submit(simpleRequest(), options));
    QCOMPARE(jobStatusName(o.status), jobStatusName(JobStatus::Interrupted));
    QVERIFY2(o.error.message.contains(u"idle timeout"_s), qPrintable(o.error.message));
    QVERIFY2(clock.elapsed() < 2500, qPrintable(QString::number(clock.elapsed()))); // before the stall ends
}

QTEST_GUILESS_MAIN(TestEngineStreaming)
#include "tst_engine_streaming.moc"
