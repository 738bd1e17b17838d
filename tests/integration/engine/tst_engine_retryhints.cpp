#include "enginetestsupport.h"

#include <QElapsedTimer>
#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

// Server hints beat computed backoff (retry-after-ms, Retry-After, exhausted quota's
// reset); hints over the ceiling or past the deadline fail at once, naming the wait.
class TestEngineRetryHints final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hintWins_data();
    void hintWins();
    void ceilingAndDeadline_data();
    void ceilingAndDeadline();

private:
    std::unique_ptr<sim::SimServer> m_sim;
};

void TestEngineRetryHints::initTestCase()
{
    m_sim = startSim(u"quiet"_s);
    QVERIFY(m_sim);
}

void TestEngineRetryHints::hintWins_data()
{
    QTest::addColumn<QJsonObject>("headers");
    QTest::addColumn<qint64>("minDelay");
    QTest::addColumn<qint64>("maxDelay");
    QTest::addColumn<QString>("source");

    QTest::newRow("retry-after-ms beats Retry-After and reset")
        << QJsonObject { { u"retry-after-ms"_s, u"120"_s },
                         { u"Retry-After"_s, u"7"_s },
                         { u"x-ratelimit-remaining-requests"_s, u"0"_s },
                         { u"x-ratelimit-reset-requests"_s, u"9s"_s } }
        << qint64(120) << qint64(120) << u"retry-after-ms"_s;
    QTest::newRow("Retry-After beats reset") << QJsonObject { { u"Retry-After"_s, u"0.2"_s },
                                                              { u"x-ratelimit-limit-requests"_s, u"10"_s },
                                                              { u"x-ratelimit-remaining-requests"_s, u"0"_s },
                                                              { u"x-ratelimit-reset-requests"_s, u"9s"_s } }
                                             << qint64(200) << qint64(200) << u"Retry-After"_s;
    QTest::newRow("exhausted quota's reset")
        << QJsonObject { { u"x-ratelimit-limit-requests"_s, u"10"_s },
                         { u"x-ratelimit-remaining-requests"_s, u"0"_s },
                         { u"x-ratelimit-reset-requests"_s, u"150ms"_s } }
        << qint64(150) << qint64(150) << u"rate-limit reset"_s;
    QTest::newRow("quota left: backoff") << QJsonObject { { u"x-ratelimit-limit-requests"_s, u"10"_s },
                                                          { u"x-ratelimit-remaining-requests"_s, u"4"_s },
                                                          { u"x-ratelimit-reset-requests"_s, u"9s"_s } }
                                         << qint64(0) << qint64(10) << u"backoff"_s;
    QTest::newRow("no hint: backoff") << QJsonObject {} << qint64(0) << qint64(10) << u"backoff"_s;
}

void TestEngineRetryHints::hintWins()
{
    QFETCH(QJsonObject, headers);
    QFETCH(qint64, minDelay);
    QFETCH(qint64, maxDelay);
    QFETCH(QString, source);

    m_sim->resetStats();
    m_sim->enqueueFaults(
        QJsonArray { fault(u"status"_s, { { u"status"_s, 429 }, { u"headers"_s, headers } }) });
    Client client(fastConfig(m_sim->baseUrl()));
    QList<Event> retries;
    connect(&client, &Client::eventEmitted, this, [&](const Event &e) {
        if (e.kind == EventKind::RetryScheduled)
            retries.append(e);
    });
    RequestJob *job = client.submit(simpleRequest());
    QElapsedTimer clock;
    QList<qint64> starts;
    connect(job, &RequestJob::attemptStarted, this, [&] { starts.append(clock.elapsed()); });
    clock.start();
    const Outcome outcome = waitFor(job);
    QCOMPARE(outcome.status, JobStatus::Succeeded);
    QCOMPARE(outcome.attempts, 2);
    QCOMPARE(retries.size(), 1);
    QVERIFY2(retries.first().delayMs >= minDelay && retries.first().delayMs <= maxDelay,
             qPrintable(QString::number(retries.first().delayMs)));
    QVERIFY2(retries.first().message.contains(source), qPrintable(retries.first().message));
    QCOMPARE(retries.first().errorClass, ErrorClass::RateLimited);
    QCOMPARE(starts.size(), 2);
    QVERIFY(starts.at(1) - starts.at(0) >= minDelay); // the wait really happened
}

void TestEngineRetryHints::ceilingAndDeadline_data()
{
    QTest::addColumn<QJsonObject>("headers");
    QTest::addColumn<qint64>("deadlineMs");
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<QString>("says");

    QTest::newRow("Retry-After over the ceiling") << QJsonObject { { u"Retry-After"_s, u"300"_s } }
                                                  << qint64(0) << ErrorClass::RetryHintTooLong << u"5 min"_s;
    QTest::newRow("retry-after-ms over the ceiling")
        << QJsonObject { { u"retry-after-ms"_s, u"150000"_s } } << qint64(0) << ErrorClass::RetryHintTooLong
        << u"2 min 30 s"_s;
    QTest::newRow("hint past the deadline") << QJsonObject { { u"retry-after-ms"_s, u"2000"_s } }
                                            << qint64(800) << ErrorClass::DeadlineExceeded << u"2 s"_s;
    QTest::newRow("reset past the deadline") << QJsonObject { { u"x-ratelimit-limit-tokens"_s, u"1000"_s },
                                                              { u"x-ratelimit-remaining-tokens"_s, u"0"_s },
                                                              { u"x-ratelimit-reset-tokens"_s, u"30s"_s } }
                                             << qint64(800) << ErrorClass::DeadlineExceeded << u"30 s"_s;
}

void TestEngineRetryHints::ceilingAndDeadline()
{
    QFETCH(QJsonObject, headers);
    QFETCH(qint64, deadlineMs);
    QFETCH(ErrorClass, cls);
    QFETCH(QString, says);

    m_sim->resetStats();
    m_sim->enqueueFaults(
        QJsonArray { fault(u"status"_s, { { u"status"_s, 429 }, { u"headers"_s, headers } }) });
    Client client(fastConfig(m_sim->baseUrl()));
    RequestOptions options;
    options.deadlineMs = deadlineMs;
    QElapsedTimer clock;
    clock.start();
    const Outcome outcome = waitFor(client.submit(simpleRequest(), options));
    QCOMPARE(outcome.status, JobStatus::Failed);
    QCOMPARE(errorClassName(outcome.error.errorClass), errorClassName(cls));
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(outcome.httpStatus, 429);
    QVERIFY2(outcome.error.message.contains(says), qPrintable(outcome.error.message));
    QVERIFY2(clock.elapsed() < 700, "failed at once, not after waiting"); // deadline rows are 800 ms
    QCOMPARE(simRequests(*m_sim), 1);
}

QTEST_GUILESS_MAIN(TestEngineRetryHints)
#include "tst_engine_retryhints.moc"
