#include "enginetestsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace gp::test {

ClientConfig fastConfig(const QUrl &baseUrl)
{
    ClientConfig c;
    c.baseUrl = baseUrl;
    c.apiKey = u"test-key-0123456789"_s;
    c.apiKeySource = u"TEST_KEY"_s;
    c.retry.baseMs = 2;
    c.retry.capMs = 10;
    c.retry.maxAttempts = 3;
    c.retry.budgetMinPerSecond = 10000; // budget out of the way
    c.timeouts.firstByteMs = 3000;
    c.timeouts.idleMs = 3000;
    c.timeouts.attemptMs = 20000;
    c.breaker.consecutiveFailures = 1000000; // breaker out of the way
    c.breaker.minSamples = 1000000;
    c.maxInFlight = 8;
    c.randomSeed = 42;
    return c;
}

ChatRequest simpleRequest(const QString &text)
{
    ChatRequest r;
    r.model = u"grok-4"_s;
    r.messages = { ChatMessage { u"user"_s, text } };
    r.maxCompletionTokens = 64;
    return r;
}

QJsonObject quietScenario()
{
    return QJsonObject {
        { u"name"_s, u"quiet"_s },
        { u"headers"_s, u"openai"_s },
        { u"retry_after"_s, u"seconds"_s },
        { u"limits"_s, QJsonObject { { u"requests_per_second"_s, 100000 }, { u"burst"_s, 100000 } } },
        { u"completion"_s,
          QJsonObject { { u"words"_s, 12 }, { u"chunk_interval_ms"_s, 0 }, { u"words_per_chunk"_s, 1 } } },
    };
}

std::unique_ptr<sim::SimServer> startSim(const QString &scenario)
{
    auto server = std::make_unique<sim::SimServer>();
    QString error;
    const bool loaded = scenario == u"quiet" ? server->setScenarioJson(quietScenario(), &error)
                                             : server->loadScenario(scenario, &error);
    if (!loaded) {
        qWarning("scenario: %s", qPrintable(error));
        return nullptr;
    }
    server->setSeed(1);
    if (!server->listen(0))
        return nullptr;
    return server;
}

RequestJob *kept(RequestJob *job)
{
    job->setAutoDelete(false);
    return job;
}

Outcome waitFor(RequestJob *job, int timeoutMs)
{
    if (job->isFinished())
        return job->outcome();
    QSignalSpy spy(job, &RequestJob::finished);
    if (!spy.wait(timeoutMs)) {
        qWarning("job %llu did not finish in %d ms", job->id(), timeoutMs);
        return Outcome {};
    }
    return spy.first().first().value<Outcome>();
}

QJsonObject fault(const QString &kind, const QJsonObject &extra)
{
    QJsonObject f = extra;
    f.insert(u"kind"_s, kind);
    return f;
}

int simRequests(const sim::SimServer &server)
{
    return server.stats().value(u"requests"_s).toInt();
}

} // namespace gp::test
