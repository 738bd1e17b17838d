#include "enginetestsupport.h"

#include <QTest>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

// Every row of the classification table, end to end through a real simulator on loopback:
// a retriable fault is retried once and then succeeds; a fatal one fails after one attempt.
class TestEngineClassification final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void faultRow_data();
    void faultRow();
    void successCarriesResponse();
    void customIdAndUrlJoin();

private:
    std::unique_ptr<sim::SimServer> m_sim;
};

void TestEngineClassification::initTestCase()
{
    m_sim = startSim(u"quiet"_s);
    QVERIFY(m_sim);
}

void TestEngineClassification::faultRow_data()
{
    QTest::addColumn<QJsonObject>("fault");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<ErrorClass>("firstClass"); // what the first attempt was classified as
    QTest::addColumn<bool>("retried");
    QTest::addColumn<int>("repeat"); // the fault is queued this many times (Qt resends twice on a reset)

    const auto status = [](int s, QJsonObject extra = {}) {
        extra.insert(u"status"_s, s);
        return fault(u"status"_s, extra);
    };
    for (int s : { 408, 409, 500, 502, 503, 504 })
        QTest::newRow(qPrintable(u"status "_s + QString::number(s)))
            << status(s) << false << ErrorClass::ServerError << true << 1;
    QTest::newRow("status 529") << status(529) << false << ErrorClass::Capacity << true << 1;
    QTest::newRow("rate_limit") << fault(
        u"rate_limit"_s, { { u"headers"_s, QJsonObject { { u"retry-after-ms"_s, u"5"_s } } } })
                                << false << ErrorClass::RateLimited << true << 1;
    QTest::newRow("capacity") << fault(u"capacity"_s) << false << ErrorClass::Capacity << true << 1;
    QTest::newRow("reset_before_headers")
        << fault(u"reset_before_headers"_s) << false << ErrorClass::Network << true << 3;
    // A 200 whose connection dies after the headers is a truncated success body.
    QTest::newRow("reset_after_headers")
        << fault(u"reset_after_headers"_s) << false << ErrorClass::MalformedResponse << true << 1;
    QTest::newRow("truncated_body") << fault(u"truncated_body"_s) << false << ErrorClass::MalformedResponse
                                    << true << 1;
    QTest::newRow("malformed_json") << fault(u"malformed_json"_s) << false << ErrorClass::MalformedResponse
                                    << true << 1;
    QTest::newRow("malformed_json stream")
        << fault(u"malformed_json"_s) << true << ErrorClass::MalformedResponse << true << 1;
    QTest::newRow("stall_before_headers") << fault(u"stall_before_headers"_s, { { u"ms"_s, 1500 } }) << false
                                          << ErrorClass::Timeout << true << 1;
    QTest::newRow("latency within timeout")
        << fault(u"latency"_s, { { u"ms"_s, 50 } }) << false << ErrorClass::None << false << 1;
    QTest::newRow("503 x-should-retry false")
        << status(503, { { u"headers"_s, QJsonObject { { u"x-should-retry"_s, u"false"_s } } } }) << false
        << ErrorClass::ServerError << false << 1;
    QTest::newRow("400 x-should-retry true")
        << status(400, { { u"headers"_s, QJsonObject { { u"x-should-retry"_s, u"true"_s } } } }) << false
        << ErrorClass::BadRequest << true << 1;
    // fatal
    QTest::newRow("status 400") << status(400) << false << ErrorClass::BadRequest << false << 1;
    QTest::newRow("400 incorrect key") << status(
        400,
        { { u"body"_s,
            u"{\"code\":\"Client specified an invalid argument\",\"error\":\"Incorrect API key provided\"}"_s } })
                                       << false << ErrorClass::Authentication << false << 1;
    QTest::newRow("status 401") << status(401) << false << ErrorClass::Authentication << false << 1;
    QTest::newRow("unauthorized") << fault(u"unauthorized"_s) << false << ErrorClass::Authentication << false
                                  << 1;
    QTest::newRow("status 403") << status(403) << false << ErrorClass::PermissionDenied << false << 1;
    QTest::newRow("status 404") << status(404) << false << ErrorClass::NotFound << false << 1;
    for (int s : { 405, 415, 422 })
        QTest::newRow(qPrintable(u"status "_s + QString::number(s)))
            << status(s) << false << ErrorClass::BadRequest << false << 1;
    QTest::newRow("credits 429") << fault(u"credits_exhausted"_s) << false << ErrorClass::CreditsExhausted
                                 << false << 1;
    QTest::newRow("credits 403") << fault(u"credits_exhausted"_s, { { u"status"_s, 403 } }) << false
                                 << ErrorClass::CreditsExhausted << false << 1;
    // The scripted fault states A = this request's own reservation and L below it: by the
    // numbers this request alone exceeds the limit, so it is final. (A full window, A over L
    // with this request far under L, is retried: tst_scheduler_stated and the xai bench.)
    QTest::newRow("tokens_exceed, this request alone over the limit")
        << fault(u"tokens_exceed"_s) << false << ErrorClass::RequestTooLarge << false << 1;
    QTest::newRow("html 502 body") << status(502) << false << ErrorClass::ServerError << true << 1;
}

void TestEngineClassification::faultRow()
{
    QFETCH(QJsonObject, fault);
    QFETCH(bool, stream);
    QFETCH(ErrorClass, firstClass);
    QFETCH(bool, retried);
    QFETCH(int, repeat);

    m_sim->resetStats();
    QString error;
    QJsonArray faults;
    for (int i = 0; i < repeat; ++i)
        faults.append(fault);
    QVERIFY2(m_sim->enqueueFaults(faults, &error), qPrintable(error));
    ClientConfig config = fastConfig(m_sim->baseUrl());
    config.timeouts.firstByteMs = 300;
    Client client(config);
    QList<Event> attemptsFinished;
    connect(&client, &Client::eventEmitted, this, [&](const Event &e) {
        if (e.kind == EventKind::AttemptFinished)
            attemptsFinished.append(e);
    });
    RequestOptions options;
    options.stream = stream;
    const Outcome outcome = waitFor(client.submit(simpleRequest(), options));

    QVERIFY(!attemptsFinished.isEmpty());
    QCOMPARE(errorClassName(attemptsFinished.first().errorClass), errorClassName(firstClass));
    if (firstClass == ErrorClass::None || retried) {
        QCOMPARE(jobStatusName(outcome.status), u"succeeded"_s);
        if (repeat == 1)
            QCOMPARE(outcome.attempts, firstClass == ErrorClass::None ? 1 : 2);
        else
            QVERIFY(outcome.attempts >= 2 && outcome.attempts <= 3);
        QVERIFY(!outcome.response.text().isEmpty());
    } else {
        QCOMPARE(jobStatusName(outcome.status), u"failed"_s);
        QCOMPARE(errorClassName(outcome.error.errorClass), errorClassName(firstClass));
        QCOMPARE(outcome.attempts, 1);
        QVERIFY(!outcome.error.message.isEmpty());
        QVERIFY(!outcome.error.message.contains(config.apiKey));
        if (firstClass == ErrorClass::Authentication)
            QVERIFY2(outcome.error.message.contains(u"TEST_KEY"), qPrintable(outcome.error.message));
    }
    // Qt's HTTP layer silently resends a request whose connection reset before any reply.
    if (repeat == 1)
        QCOMPARE(simRequests(*m_sim), outcome.attempts);
    else
        QCOMPARE(simRequests(*m_sim), repeat + 1); // every queued reset was consumed, then one success
}

void TestEngineClassification::successCarriesResponse()
{
    m_sim->resetStats();
    Client client(fastConfig(m_sim->baseUrl()));
    const Outcome outcome = waitFor(client.submit(simpleRequest()));
    QCOMPARE(outcome.status, JobStatus::Succeeded);
    QCOMPARE(outcome.httpStatus, 200);
    QVERIFY(outcome.response.usage.present);
    QVERIFY(outcome.response.usage.totalTokens > 0);
    QVERIFY(!outcome.requestId.isEmpty());
    QVERIFY(outcome.ttfbMs >= 0);
    QVERIFY(!outcome.responseBody.isEmpty());
    QCOMPARE(outcome.error.errorClass, ErrorClass::None);
    QCOMPARE(client.activeJobs(), 0);
}

void TestEngineClassification::customIdAndUrlJoin()
{
    m_sim->resetStats();
    ClientConfig config = fastConfig(QUrl(m_sim->baseUrl().toString() + u"/"_s)); // trailing slash tolerated
    Client client(config);
    RequestOptions options;
    options.customId = u"row-7"_s;
    QCOMPARE(waitFor(client.submit(simpleRequest(), options)).status, JobStatus::Succeeded);
    const QJsonObject ids = m_sim->stats().value(u"custom_ids"_s).toObject();
    QCOMPARE(ids.value(u"row-7"_s).toInt(), 1);
}

QTEST_GUILESS_MAIN(TestEngineClassification)
#include "tst_engine_classification.moc"
