// RequestJob in the KJob shape: one completion signal only the job can emit, exactly once,
// never inside submit(), and the job deletes itself after it unless the caller keeps it.
#include "core/client/client.h"
#include "enginetestsupport.h"

#include <QMetaMethod>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <type_traits>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

class TestEngineJob final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void deletesItselfAfterFinished_data();
    void deletesItselfAfterFinished();
    void keptWhenTheCallerAsks();
    void oneCompletionSignal();
    void finishedOnceEvenWhenCancelledAfter();

private:
    std::unique_ptr<sim::SimServer> m_sim;
};

void TestEngineJob::initTestCase()
{
    m_sim = startSim(u"quiet"_s);
    QVERIFY(m_sim);
}

void TestEngineJob::deletesItselfAfterFinished_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("succeeded") << u"succeeded"_s;
    QTest::newRow("refused at submit") << u"refused"_s;
    QTest::newRow("cancelled") << u"cancelled"_s;
}

void TestEngineJob::deletesItselfAfterFinished()
{
    QFETCH(QString, path);
    const QUrl base = path == u"refused" ? QUrl(u"http://example.invalid/v1"_s) : m_sim->baseUrl();
    Client client(fastConfig(base));
    QPointer<RequestJob> job = client.submit(simpleRequest());
    QVERIFY(job->isAutoDelete());
    QSignalSpy finished(job.data(), &RequestJob::finished);
    Outcome outcome;
    connect(job, &RequestJob::finished, this, [&outcome, &job](const Outcome &o) {
        outcome = o;
        QVERIFY(job); // alive while its finished() runs
    });
    if (path == u"cancelled")
        job->cancel();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(job.isNull(), 1000); // nobody deleted it but itself
    QCOMPARE(finished.size(), 1);
    QCOMPARE(outcome.status,
             path == u"succeeded"       ? JobStatus::Succeeded
                 : path == u"cancelled" ? JobStatus::Cancelled
                                        : JobStatus::Failed);
    QVERIFY(client.findChildren<RequestJob *>().isEmpty());
    QCOMPARE(client.activeJobs(), 0);
}

void TestEngineJob::keptWhenTheCallerAsks()
{
    Client client(fastConfig(m_sim->baseUrl()));
    QPointer<RequestJob> job = client.submit(simpleRequest());
    job->setAutoDelete(false);
    QCOMPARE(waitFor(job).status, JobStatus::Succeeded);
    // Every pending deleteLater() runs now: a kept job survives them.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(job);
    QVERIFY(job->isFinished());
    QCOMPARE(job->outcome().status, JobStatus::Succeeded);
    delete job.data(); // the caller's to delete now; the client does not mind
    QCOMPARE(client.activeJobs(), 0);
}

void TestEngineJob::oneCompletionSignal()
{
    // The client has no signal about jobs: a job's end is told by the job alone.
    const QMetaObject &meta = Client::staticMetaObject;
    for (int i = meta.methodOffset(); i < meta.methodCount(); ++i) {
        const QMetaMethod method = meta.method(i);
        if (method.methodType() != QMetaMethod::Signal)
            continue;
        for (int p = 0; p < method.parameterCount(); ++p)
            QVERIFY2(method.parameterMetaType(p) != QMetaType::fromType<RequestJob *>(),
                     method.methodSignature().constData());
    }
    // And only the job may emit it: finished() takes a QPrivateSignal.
    QVERIFY((!std::is_invocable_v<decltype(&RequestJob::finished), RequestJob *, const Outcome &>));
    const QMetaMethod finished = QMetaMethod::fromSignal(&RequestJob::finished);
    QCOMPARE(finished.methodSignature(), QByteArray("finished(gp::Outcome)"));
}

void TestEngineJob::finishedOnceEvenWhenCancelledAfter()
{
    Client client(fastConfig(m_sim->baseUrl()));
    RequestJob *job = kept(client.submit(simpleRequest()));
    QSignalSpy finished(job, &RequestJob::finished);
    QVERIFY(finished.wait(5000));
    job->cancel(); // finished already: a no-op
    client.cancelAll();
    QCoreApplication::sendPostedEvents(); // a queued second finished() would arrive here
    QVERIFY(!finished.wait(50)); // or from a timer, within a bound
    QCOMPARE(finished.size(), 1);
    QCOMPARE(job->outcome().status, JobStatus::Succeeded);
}

QTEST_GUILESS_MAIN(TestEngineJob)
#include "tst_engine_job.moc"
