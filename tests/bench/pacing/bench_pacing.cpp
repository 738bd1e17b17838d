// Pacing benchmark: GrokPulse's Scheduler against the design article's loop,
// side by side in one run, on the in-process simulator. Label "bench": scripts/bench.sh.
#include "core/client/client.h"
#include "core/pacing/scheduler.h"
#include "core/sim/simserver.h"
#include "core/wire/apiurl.h"
#include "tests/bench/pacing/baselineclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace gp;
using gp::bench::runLoop;

namespace {

struct Case
{
    const char *label;
    const char *scenario;
    const char *headerStyle; // "" = the scenario's
    int requests;
    int promptChars;
    qint64 maxCompletionTokens; // 0 = unset
    bool tokenBound;
    double limitPerSecond; // requests/s, or tokens/s when token-bound
    double burst; // what the server lets through at once
};

struct Row
{
    int succeeded = 0;
    int lost = 0;
    qint64 wallMs = 0;
    qint64 serverAttempts = 0;
    qint64 refused429 = 0;
    qint64 tokens = 0;
};

ChatRequest makeRequest(const Case &c, int i)
{
    ChatRequest r;
    r.model = QStringLiteral("grok-4");
    QString prompt = QStringLiteral("Request %1: say something short.").arg(i);
    while (prompt.size() < c.promptChars)
        prompt += QStringLiteral(" Padding to size the prompt.");
    r.messages.append(ChatMessage { QStringLiteral("user"), prompt.left(std::max<int>(c.promptChars, 20)) });
    if (c.maxCompletionTokens > 0)
        r.maxCompletionTokens = c.maxCompletionTokens;
    return r;
}

void collectServerStats(const sim::SimServer &sim, Row *row)
{
    const QJsonObject stats = sim.stats();
    row->serverAttempts = stats.value(QStringLiteral("requests")).toInteger();
    const QJsonObject refused = stats.value(QStringLiteral("rejected_429")).toObject();
    for (auto it = refused.begin(); it != refused.end(); ++it)
        row->refused429 += it.value().toInteger();
    row->tokens = stats.value(QStringLiteral("tokens")).toObject().value(QStringLiteral("total")).toInteger();
}

Row runGrokPulse(sim::SimServer &sim, const Case &c)
{
    sim.resetStats();
    ClientConfig config;
    config.baseUrl = sim.baseUrl();
    config.apiKey = QStringLiteral("bench-key");
    config.maxInFlight = 16;
    config.randomSeed = 11;
    Client client(config);
    PacingConfig pacing;
    pacing.maxInFlight = 16;
    if (qEnvironmentVariableIsSet("GP_BENCH_BETA")) // tuning knobs, off by default
        pacing.adaptiveBeta = qEnvironmentVariable("GP_BENCH_BETA").toDouble();
    if (qEnvironmentVariableIsSet("GP_BENCH_C"))
        pacing.adaptiveCubicC = qEnvironmentVariable("GP_BENCH_C").toDouble();
    Scheduler scheduler(pacing);
    client.setPacer(&scheduler);
    Row row;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    if (qEnvironmentVariableIsSet("GP_BENCH_TRACE")) {
        QObject::connect(&client, &Client::eventEmitted, &loop, [&](const Event &e) {
            if (e.kind == EventKind::AttemptFinished && e.httpStatus == 429)
                std::printf("      429 at %lld ms (job %llu), quota rate %.2f/s, retry in %lld ms\n",
                            static_cast<long long>(clock.elapsed()), static_cast<unsigned long long>(e.jobId),
                            scheduler.quotaTracker().requestRatePerSecond(),
                            static_cast<long long>(e.delayMs));
        });
        QObject::connect(&scheduler, &Scheduler::limitLearned, &loop, [&](double rps, double confidence) {
            std::printf("      learned %.2f (%.2f) at %lld ms\n", rps, confidence,
                        static_cast<long long>(clock.elapsed()));
        });
    }
    int finished = 0;
    for (int i = 0; i < c.requests; ++i) {
        RequestJob *job = client.submit(makeRequest(c, i));
        QObject::connect(job, &RequestJob::finished, &loop, [&](const Outcome &outcome) {
            if (outcome.isSuccess())
                ++row.succeeded;
            if (++finished == c.requests) {
                row.wallMs = clock.elapsed();
                loop.quit();
            }
        });
    }
    if (!runLoop(loop, 300000))
        row.wallMs = clock.elapsed();
    row.lost = c.requests - row.succeeded;
    collectServerStats(sim, &row);
    if (const auto learned = scheduler.state().learnedRps)
        std::printf("    (learned limit %.2f rps, confidence %.2f)\n", *learned,
                    scheduler.state().learnedConfidence);
    return row;
}

Row runBaseline(sim::SimServer &sim, const Case &c)
{
    sim.resetStats();
    const QByteArray body = makeRequest(c, 0).toJson();
    bench::BaselineClient baseline(joinApiUrl(sim.baseUrl(), QStringLiteral("chat/completions")), body,
                                   c.requests, 16);
    QEventLoop loop;
    QObject::connect(&baseline, &bench::BaselineClient::done, &loop, &QEventLoop::quit);
    baseline.start();
    Row row;
    QElapsedTimer clock;
    clock.start();
    runLoop(loop, 300000);
    row.succeeded = baseline.succeeded();
    row.lost = c.requests - baseline.succeeded();
    row.wallMs = baseline.wallMs() > 0 ? baseline.wallMs() : clock.elapsed();
    collectServerStats(sim, &row);
    return row;
}

void print(const char *who, const Case &c, const Row &r)
{
    const double seconds = double(std::max<qint64>(1, r.wallMs)) / 1000.0;
    const double work = c.tokenBound ? double(r.tokens) : double(r.succeeded);
    const double utilization = work / (c.limitPerSecond * seconds);
    const double beyondBurst = std::max(0.0, work - c.burst) / (c.limitPerSecond * seconds);
    const double share429 = r.serverAttempts > 0 ? double(r.refused429) / double(r.serverAttempts) : 0.0;
    std::printf("  %-9s util %.3f (beyond burst %.3f)  429s %5.2f%% (%lld of %lld)  lost %3d  "
                "attempts/request %.2f  wall %.1f s%s\n",
                who, utilization, beyondBurst, 100.0 * share429, static_cast<long long>(r.refused429),
                static_cast<long long>(r.serverAttempts), r.lost,
                double(r.serverAttempts) / double(c.requests), seconds,
                c.tokenBound ? " (token utilization)" : "");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const std::vector<Case> cases = {
        { "quota headers, OpenAI style", "tight-quota", "openai", 300, 20, 0, false, 10.0, 5.0 },
        { "quota headers, IETF draft style", "tight-quota", "ietf", 300, 20, 0, false, 10.0, 5.0 },
        { "no quota headers, no Retry-After", "no-headers", "", 300, 20, 0, false, 10.0, 5.0 },
        { "tokens-per-minute bound (6000/min, 60 requests)", "tpm-bound", "", 60, 400, 64, true, 100.0,
          6000.0 },
    };
    const QByteArray only = qgetenv("GP_BENCH_CASE"); // run one case by scenario/style substring
    std::printf(
        "Pacing benchmark: 16 in flight, everything submitted at once; util = work / (limit x wall)\n");
    for (const Case &c : cases) {
        const QByteArray key = QByteArray(c.scenario) + '/' + c.headerStyle;
        if (!only.isEmpty() && !key.contains(only))
            continue;
        sim::SimServer sim;
        QString error;
        sim.setSeed(42);
        if (!sim.loadScenario(QString::fromLatin1(c.scenario), &error)
            || !sim.setHeaderStyle(QString::fromLatin1(c.headerStyle), &error) || !sim.listen(0)) {
            std::printf("cannot start the simulator for %s: %s\n", c.label, qPrintable(error));
            return 1;
        }
        std::printf("%s\n", c.label);
        print("GrokPulse", c, runGrokPulse(sim, c));
        if (!qEnvironmentVariableIsSet("GP_BENCH_NO_BASELINE"))
            print("baseline", c, runBaseline(sim, c));
    }
    return 0;
}
