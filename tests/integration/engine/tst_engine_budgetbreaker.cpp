#include "enginetestsupport.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

// Retry budget (retries wait for budget; fail only past the deadline) and the circuit
// breaker's transitions, against the simulator.
class TestEngineBudgetBreaker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void budgetDelaysRetriesAndLosesNothing();
    void budgetFailsOnlyPastDeadline();
    void breakerOpensHoldsAndCloses();
    void breakerFailsFastWhenDeadlineIsShort();
    void failedProbeReopens();
    void clientErrorsDoNotTrip();
    void healthyEndpointRetriesSoon();
    void chanceFailuresLoseNothing();

private:
    QJsonArray repeated(const QJsonObject &f, int n) const;
    std::unique_ptr<sim::SimServer> m_sim;
};

void TestEngineBudgetBreaker::init()
{
    m_sim = startSim(u"quiet"_s);
    QVERIFY(m_sim);
}

QJsonArray TestEngineBudgetBreaker::repeated(const QJsonObject &f, int n) const
{
    QJsonArray a;
    for (int i = 0; i < n; ++i)
        a.append(f);
    return a;
}

void TestEngineBudgetBreaker::budgetDelaysRetriesAndLosesNothing()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.retry.budgetRatio = 0.0;
    config.retry.budgetMinPerSecond = 10.0; // 3 retries per 300 ms window
    config.retry.budgetWindowMs = 300;
    // Six on the wire (one pooled manager's worth): the scripted 503s go to the attempts
    // in arrival order, and a first attempt on a second, cold manager could arrive after a
    // 2 ms retry and take its 200.
    config.maxInFlight = 6;
    Client client(config);
    m_sim->enqueueFaults(repeated(fault(u"status"_s, { { u"status"_s, 503 } }), 9));
    QElapsedTimer clock;
    clock.start();
    QList<qint64> retryStarts;
    connect(&client, &Client::eventEmitted, this, [&](const Event &e) {
        if (e.kind == EventKind::AttemptStarted && e.attempt >= 2)
            retryStarts.append(clock.elapsed());
    });
    QList<RequestJob *> jobs;
    for (int i = 0; i < 9; ++i)
        jobs.append(kept(client.submit(simpleRequest())));
    int attempts = 0; // a due retry goes before first tries, so some retry may draw a scripted 503
    for (RequestJob *job : jobs) {
        const Outcome o = waitFor(job, 5000);
        QCOMPARE(o.status, JobStatus::Succeeded);
        attempts += o.attempts;
    }
    QCOMPARE(attempts, 18); // the 9 failures, each retried once
    QCOMPARE(retryStarts.size(), 9);
    std::sort(retryStarts.begin(), retryStarts.end());
    // No window of the budget's length saw more than its 3 retries (10 ms of timer slack).
    for (qsizetype i = 3; i < retryStarts.size(); ++i)
        QVERIFY2(retryStarts[i] - retryStarts[i - 3] >= 290,
                 qPrintable(QString::number(retryStarts[i] - retryStarts[i - 3])));
    QCOMPARE(simRequests(*m_sim), 18);
}

void TestEngineBudgetBreaker::budgetFailsOnlyPastDeadline()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.retry.budgetRatio = 0.0;
    config.retry.budgetMinPerSecond = 0.1; // one retry per 10 s window
    config.retry.budgetWindowMs = 10000;
    Client client(config);
    m_sim->enqueueFaults(repeated(fault(u"status"_s, { { u"status"_s, 503 } }), 2));
    RequestOptions options;
    options.deadlineMs = 1500;
    RequestJob *a = kept(client.submit(simpleRequest(), options));
    RequestJob *b = kept(client.submit(simpleRequest(), options));
    const Outcome oa = waitFor(a);
    const Outcome ob = waitFor(b);
    QList<Outcome> outcomes { oa, ob };
    const auto succeeded = std::count_if(outcomes.cbegin(), outcomes.cend(),
                                         [](const Outcome &o) { return o.status == JobStatus::Succeeded; });
    QCOMPARE(succeeded, 1);
    const Outcome &failed = oa.status == JobStatus::Failed ? oa : ob;
    QCOMPARE(failed.error.errorClass, ErrorClass::RetryBudgetExhausted);
    QVERIFY2(failed.error.message.contains(u"retry budget exhausted"), qPrintable(failed.error.message));
    QVERIFY(failed.latencyMs < 1000); // rejected as soon as the budget could not fit, not at the deadline
}

void TestEngineBudgetBreaker::breakerOpensHoldsAndCloses()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.breaker.consecutiveFailures = 3;
    config.breaker.cooldownMs = 300;
    config.retry.maxAttempts = 1;
    Client client(config);
    QList<BreakerState> states;
    connect(&client, &Client::breakerStateChanged, this, [&](BreakerState s, const QString &endpoint) {
        states.append(s);
        QVERIFY(endpoint.startsWith(u"http://127.0.0.1:"));
    });
    QList<EventKind> breakerEvents;
    connect(&client, &Client::eventEmitted, this, [&](const Event &e) {
        if (e.kind == EventKind::BreakerOpened || e.kind == EventKind::BreakerHalfOpen
            || e.kind == EventKind::BreakerClosed)
            breakerEvents.append(e.kind);
    });
    m_sim->enqueueFaults(repeated(fault(u"status"_s, { { u"status"_s, 503 } }), 3));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(waitFor(client.submit(simpleRequest())).error.errorClass, ErrorClass::ServerError);
    QCOMPARE(client.breakerState(), BreakerState::Open);

    QElapsedTimer clock;
    clock.start();
    RequestJob *held = kept(client.submit(simpleRequest()));
    RequestJob *second = kept(client.submit(simpleRequest()));
    QTRY_COMPARE_WITH_TIMEOUT(int(held->stage()), int(RequestJob::Stage::Holding), 1000);
    const Outcome o = waitFor(held);
    QCOMPARE(o.status, JobStatus::Succeeded);
    QVERIFY(clock.elapsed() >= 200); // waited for the cooldown
    QCOMPARE(waitFor(second).status, JobStatus::Succeeded);
    QCOMPARE(states,
             (QList<BreakerState> { BreakerState::Open, BreakerState::HalfOpen, BreakerState::Closed }));
    QCOMPARE(breakerEvents,
             (QList<EventKind> { EventKind::BreakerOpened, EventKind::BreakerHalfOpen,
                                 EventKind::BreakerClosed }));
    QCOMPARE(simRequests(*m_sim), 5);
}

void TestEngineBudgetBreaker::breakerFailsFastWhenDeadlineIsShort()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.breaker.consecutiveFailures = 2;
    config.breaker.cooldownMs = 5000;
    config.retry.maxAttempts = 1;
    Client client(config);
    m_sim->enqueueFaults(repeated(fault(u"reset_before_headers"_s), 6)); // Qt resends resets: queue enough
    for (int i = 0; i < 2; ++i)
        QCOMPARE(waitFor(client.submit(simpleRequest())).error.errorClass, ErrorClass::Network);
    QCOMPARE(client.breakerState(), BreakerState::Open);
    m_sim->resetStats();
    RequestOptions options;
    options.deadlineMs = 1000;
    const Outcome o = waitFor(client.submit(simpleRequest(), options));
    QCOMPARE(o.status, JobStatus::Failed);
    QCOMPARE(o.error.errorClass, ErrorClass::CircuitOpen);
    QVERIFY2(o.error.message.contains(u"circuit breaker open"), qPrintable(o.error.message));
    QVERIFY(o.latencyMs < 500);
    QCOMPARE(o.attempts, 0);
    QCOMPARE(simRequests(*m_sim), 0); // failing fast sends nothing
}

void TestEngineBudgetBreaker::failedProbeReopens()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.breaker.consecutiveFailures = 2;
    config.breaker.cooldownMs = 150;
    config.retry.maxAttempts = 4;
    Client client(config);
    QList<BreakerState> states;
    connect(&client, &Client::breakerStateChanged, this, [&](BreakerState s) { states.append(s); });
    // two failures trip it; the first probe fails too; the second probe succeeds
    m_sim->enqueueFaults(repeated(fault(u"status"_s, { { u"status"_s, 500 } }), 3));
    const Outcome o = waitFor(client.submit(simpleRequest()));
    QCOMPARE(o.status, JobStatus::Succeeded);
    QCOMPARE(o.attempts, 4);
    QCOMPARE(states,
             (QList<BreakerState> { BreakerState::Open, BreakerState::HalfOpen, BreakerState::Open,
                                    BreakerState::HalfOpen, BreakerState::Closed }));
    QVERIFY(o.latencyMs >= 250); // two cooldowns
}

void TestEngineBudgetBreaker::clientErrorsDoNotTrip()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.breaker.consecutiveFailures = 2;
    Client client(config);
    QSignalSpy changes(&client, &Client::breakerStateChanged);
    m_sim->enqueueFaults(QJsonArray {
        fault(u"status"_s, { { u"status"_s, 400 } }), fault(u"status"_s, { { u"status"_s, 404 } }),
        fault(u"rate_limit"_s, { { u"headers"_s, QJsonObject { { u"retry-after-ms"_s, u"1"_s } } } }),
        fault(u"rate_limit"_s, { { u"headers"_s, QJsonObject { { u"retry-after-ms"_s, u"1"_s } } } }) });
    waitFor(client.submit(simpleRequest()));
    waitFor(client.submit(simpleRequest()));
    QCOMPARE(waitFor(client.submit(simpleRequest())).status, JobStatus::Succeeded);
    QCOMPARE(changes.size(), 0);
    QCOMPARE(client.breakerState(), BreakerState::Closed);
}

// An endpoint that answers most attempts (a full breaker window, 13% failed): a fault's retries
// wait at most a quarter second whatever the attempt (Envoy's default backoff stops at 250 ms);
// the retry budget, not the backoff, bounds their load. Default retry and breaker settings.
void TestEngineBudgetBreaker::healthyEndpointRetriesSoon()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.retry = RetryConfig {};
    config.breaker = BreakerConfig {};
    Client client(config);
    for (int i = 0; i < 60; ++i) // the breaker's window (>= 20 outcomes) fills with successes
        QCOMPARE(waitFor(kept(client.submit(simpleRequest()))).status, JobStatus::Succeeded);
    QList<qint64> delays;
    connect(&client, &Client::eventEmitted, this, [&](const Event &e) {
        if (e.kind == EventKind::RetryScheduled)
            delays.append(e.delayMs);
    });
    for (int round = 0; round < 3; ++round) { // one request failing three times, three times over
        m_sim->enqueueFaults(repeated(fault(u"status"_s, { { u"status"_s, 503 } }), 3));
        const Outcome o = waitFor(kept(client.submit(simpleRequest())), 10000);
        QCOMPARE(o.status, JobStatus::Succeeded);
        QCOMPARE(o.attempts, 4);
    }
    QCOMPARE(delays.size(), 9);
    for (const qint64 d : delays) // full jitter below the growth (0.5, 1, 2 s) and the cap
        QVERIFY2(d >= 0 && d <= config.retry.baseMs / 2, qPrintable(QString::number(d)));
}

// A flaky but healthy endpoint (about one attempt in six failing): a request that meets six
// failures in a row is chance there, not a broken endpoint, and still succeeds; a limit set
// for the request holds.
void TestEngineBudgetBreaker::chanceFailuresLoseNothing()
{
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.retry = RetryConfig {};
    config.breaker = BreakerConfig {};
    Client client(config);
    for (int i = 0; i < 50; ++i) { // every 5th request fails once: the window at ~17% failures
        if (i % 5 == 0)
            m_sim->enqueueFaults(repeated(fault(u"status"_s, { { u"status"_s, 503 } }), 1));
        QCOMPARE(waitFor(kept(client.submit(simpleRequest())), 10000).status, JobStatus::Succeeded);
    }
    m_sim->enqueueFaults(repeated(fault(u"status"_s, { { u"status"_s, 503 } }), 6));
    const Outcome stretched = waitFor(kept(client.submit(simpleRequest())), 15000);
    QCOMPARE(stretched.status, JobStatus::Succeeded);
    QCOMPARE(stretched.attempts, 7);
    QCOMPARE(client.breakerState(), BreakerState::Closed);

    m_sim->enqueueFaults(repeated(fault(u"status"_s, { { u"status"_s, 503 } }), 5));
    RequestOptions five;
    five.maxAttempts = 5;
    const Outcome limited = waitFor(kept(client.submit(simpleRequest(), five)), 15000);
    QCOMPARE(limited.status, JobStatus::Failed);
    QCOMPARE(limited.attempts, 5);
    QVERIFY2(limited.error.message.contains(u"gave up after 5 attempts"_s),
             qPrintable(limited.error.message));
}

QTEST_GUILESS_MAIN(TestEngineBudgetBreaker)
#include "tst_engine_budgetbreaker.moc"
