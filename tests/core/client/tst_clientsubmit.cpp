// A job never finishes inside Client::submit(): every path that fails at once (endpoint
// refused, unusable base URL, request larger than the token limit, queue full, a pacer that
// refuses or rejects inside enqueue) delivers finished on a later event-loop turn, so a caller
// that connects after submit() returns always hears the end.
#include "core/client/client.h"
#include "core/pacing/pacer.h"
#include "core/pacing/scheduler.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {

// Refuses every ticket: with an error from enqueue(), or by emitting rejected inside it.
class RefusingPacer final : public Pacer
{
public:
    explicit RefusingPacer(bool emitInside, QObject *parent = nullptr)
        : Pacer(parent)
        , m_emitInside(emitInside)
    { }
    std::optional<Error> enqueue(const PaceTicket &ticket) override
    {
        const Error error { ErrorClass::RetryBudgetExhausted, 0, {}, u"refused by the test pacer"_s };
        if (!m_emitInside)
            return error;
        Q_EMIT rejected(ticket.jobId, error);
        return std::nullopt;
    }
    void cancel(quint64) override { }
    void release(const PaceFeedback &) override { }
    PacingState state() const override { return {}; }

private:
    bool m_emitInside = false;
};

enum class Path { EndpointRefused, BadBaseUrl, TooLarge, QueueFull, PacerError, PacerRejectsInside };

ChatRequest smallRequest(int maxTokens = 16)
{
    ChatRequest request;
    request.messages = { { u"user"_s, u"hello"_s } };
    request.maxCompletionTokens = maxTokens;
    return request;
}

} // namespace

namespace {

qsizetype terminalEventsOf(const QSignalSpy &events, quint64 jobId)
{
    return std::count_if(events.cbegin(), events.cend(), [jobId](const QList<QVariant> &args) {
        const auto event = args.at(0).value<Event>();
        return event.jobId == jobId && isTerminal(event.kind);
    });
}

} // namespace

class TestClientSubmit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void neverFinishesInsideSubmit_data();
    void neverFinishesInsideSubmit();
    void deletedBeforeDeliveryStillReportsTerminal();
};

void TestClientSubmit::neverFinishesInsideSubmit_data()
{
    QTest::addColumn<Path>("path");
    QTest::addColumn<ErrorClass>("expected");
    QTest::newRow("plain http to a remote host") << Path::EndpointRefused << ErrorClass::Tls;
    QTest::newRow("base url without host") << Path::BadBaseUrl << ErrorClass::BadRequest;
    QTest::newRow("request larger than the tpm limit") << Path::TooLarge << ErrorClass::RequestTooLarge;
    QTest::newRow("pacing queue full") << Path::QueueFull << ErrorClass::QueueFull;
    QTest::newRow("pacer refuses in enqueue") << Path::PacerError << ErrorClass::RetryBudgetExhausted;
    QTest::newRow("pacer rejects inside enqueue")
        << Path::PacerRejectsInside << ErrorClass::RetryBudgetExhausted;
}

void TestClientSubmit::neverFinishesInsideSubmit()
{
    QFETCH(Path, path);
    QFETCH(ErrorClass, expected);

    ClientConfig config;
    config.baseUrl = QUrl(u"http://127.0.0.1:9/v1"_s); // discard port: nothing is ever answered
    config.retry.maxAttempts = 1;
    if (path == Path::EndpointRefused)
        config.baseUrl = QUrl(u"http://example.com/v1"_s);
    if (path == Path::BadBaseUrl)
        config.baseUrl = QUrl(u"file:///v1"_s);
    Client client(config);

    PacingConfig pacing;
    pacing.tokensPerMinute = path == Path::TooLarge ? 6000 : 0;
    pacing.requestsPerSecond = path == Path::QueueFull ? 0.01 : 0; // one now, then none for 100 s
    pacing.requestBurst = 1;
    pacing.maxQueued = 1;
    Scheduler scheduler(pacing);
    RefusingPacer refusing(path == Path::PacerRejectsInside);
    if (path == Path::PacerError || path == Path::PacerRejectsInside)
        client.setPacer(&refusing);
    else
        client.setPacer(&scheduler);

    QSignalSpy events(&client, &Client::eventEmitted); // connected before submit(): sees inside it

    // Queue full needs the queue filled first: one in flight (or queued) and one waiting.
    QList<RequestJob *> fillers;
    if (path == Path::QueueFull) {
        for (int i = 0; i < 3; ++i) {
            RequestJob *job = client.submit(smallRequest());
            if (job->isFinished())
                break; // this one is the refusal under test
            fillers.append(job);
        }
    }
    RequestJob *job = client.submit(smallRequest(path == Path::TooLarge ? 100000 : 16));
    QVERIFY(job);
    job->setAutoDelete(false); // read after finished() below
    QCOMPARE(terminalEventsOf(events, job->id()), 0); // not inside submit()
    QSignalSpy finished(job, &RequestJob::finished);
    QVERIFY(finished.wait(2000));
    QCOMPARE(finished.size(), 1);
    const auto outcome = finished.at(0).at(0).value<Outcome>();
    QCOMPARE(outcome.status, JobStatus::Failed);
    QCOMPARE(outcome.error.errorClass, expected);
    QVERIFY(!outcome.error.message.isEmpty());
    QVERIFY(job->isFinished());

    bool sawTerminal = false;
    for (const auto &args : std::as_const(events)) {
        const auto event = args.at(0).value<Event>();
        if (event.jobId == job->id() && event.kind == EventKind::Failed)
            sawTerminal = true;
    }
    QVERIFY(sawTerminal);
    QCoreApplication::processEvents(); // nothing further may arrive for the job
    QCOMPARE(finished.size(), 1);
    client.cancelAll();
}

void TestClientSubmit::deletedBeforeDeliveryStillReportsTerminal()
{
    ClientConfig config;
    config.baseUrl = QUrl(u"http://example.com/v1"_s);
    Client client(config);
    QSignalSpy events(&client, &Client::eventEmitted);
    QPointer<RequestJob> job = client.submit(smallRequest());
    const quint64 id = job->id();
    delete job.data();
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                         [id](const QList<QVariant> &args) {
                                             const auto event = args.at(0).value<Event>();
                                             return event.jobId == id && event.kind == EventKind::Failed;
                                         }),
                             2000);
}

QTEST_GUILESS_MAIN(TestClientSubmit)
#include "tst_clientsubmit.moc"
