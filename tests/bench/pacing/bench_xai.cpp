// xAI-shaped pacing benchmark: nothing configured, side by side with the design article's
// loop, a plain-retry client (the OpenAI SDK's defaults) and a client told the exact limit.
// Every row at 20-80 ms and at LLM-like latency; medians of 3. Label "bench".
// GP_BENCH_ROW=<substring> runs matching rows, GP_BENCH_LATENCY=<substring> matching latencies,
// GP_BENCH_WHO=<substring>[,<substring>...] matching clients; GP_BENCH_RUNS=n changes the 3,
// GP_BENCH_RUN=k runs only run k (0-based; rows split over processes). Run k of every row seeds the
// simulator with 42 + k and every client of the row (GrokPulse, the article loop, the told client, the
// sdk) with 11 + k. The simulator keys its draws on the request ("draws": "per_request"): request i's
// attempt j gets the same fault and latency in every client (every client sends request i's own
// body), so the clients of one run are compared on the same dice. GrokPulse's probe: GP_BENCH_WINDOW
// (start window, 0: none), _GROWTH, _PACING, _HORIZON; GP_BENCH_SLOWSTART_RPS, GP_BENCH_DOUBLING
// (see PacingConfig). GP_BENCH_REMEMBER=1 runs GrokPulse twice per run k on a fresh server, cold
// ("GP-cold") and then with the limits the cold run remembered (the row's GrokPulse line).
// GP_BENCH_TRACE=1 prints
// GrokPulse's pacing state every second and its 429s; GP_BENCH_JOBTRACE=<file> writes every job
// event and breaker change of GrokPulse's runs there (ms since the run's start, job, attempt, kind,
// status, class, delay).
// The sdk's line of a run also gives GrokPulse's time to the sdk's completed count (the sdk gives up
// after 3 attempts, GrokPulse after 5: its wall includes the requests the sdk lost).
// LLM-like latency runs twice: the limiter's 429 answered at admission in network time (what API
// gateways do), and after a full answer's latency (the pessimistic bound).
#include "core/client/client.h"
#include "core/pacing/scheduler.h"
#include "core/pacing/statedlimitkeeper.h"
#include "core/sim/simserver.h"
#include "core/wire/apiurl.h"
#include "tests/bench/pacing/baselineclient.h"
#include "tests/bench/pacing/benchxairun.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

using namespace gp;
using namespace gp::bench;
using namespace Qt::StringLiterals;

namespace {

constexpr int RunTimeoutMs = 900000; // the token row's 200 requests take ~6 min at 6,000 TPM

// GP_BENCH_TRACE and GP_BENCH_JOBTRACE for one GrokPulse run.
void traceRun(Client &client, Scheduler &scheduler, QEventLoop &loop, QTimer &trace, QFile &jobs,
              const QElapsedTimer &clock)
{
    if (qEnvironmentVariableIsSet("GP_BENCH_JOBTRACE")) {
        jobs.setFileName(qEnvironmentVariable("GP_BENCH_JOBTRACE"));
        if (jobs.open(QIODevice::Append | QIODevice::Text))
            QObject::connect(&client, &Client::eventEmitted, &loop, [&](const Event &e) {
                const bool breaker = e.kind == EventKind::BreakerOpened
                    || e.kind == EventKind::BreakerHalfOpen || e.kind == EventKind::BreakerClosed;
                if (e.jobId != 0 || breaker)
                    jobs.write(QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                                   .arg(clock.elapsed())
                                   .arg(e.jobId)
                                   .arg(e.attempt)
                                   .arg(eventKindName(e.kind))
                                   .arg(e.httpStatus)
                                   .arg(int(e.errorClass))
                                   .arg(e.delayMs)
                                   .toUtf8());
            });
    }
    if (!qEnvironmentVariableIsSet("GP_BENCH_TRACE"))
        return;
    QObject::connect(&trace, &QTimer::timeout, &loop, [&] {
        const PacingState st = scheduler.state();
        std::printf("      %5.1f s: in flight %d, queued %d, wait '%s', learned %.1f rps\n",
                    double(clock.elapsed()) / 1000.0, st.inFlight, st.queued[0] + st.queued[1] + st.queued[2],
                    qPrintable(st.waitReason), st.learnedRps.value_or(0.0));
    });
    trace.start(1000);
    QObject::connect(&client, &Client::eventEmitted, &loop, [&](const Event &e) {
        if (e.kind == EventKind::AttemptFinished && e.httpStatus == 429)
            std::printf("      429 at %.2f s (job %llu): %s\n", double(clock.elapsed()) / 1000.0,
                        static_cast<unsigned long long>(e.jobId),
                        qPrintable(e.message.mid(e.message.indexOf(u"(actual"_s), 40)));
    });
}

// memoryPath non-empty: GrokPulse remembers stated limits in that file, as the app does (GP_BENCH_REMEMBER).
Run runGrokPulse(sim::SimServer &sim, const Shape &s, const Latency &latency, const Seeds &seeds,
                 const QString &memoryPath = {})
{
    sim.setSeed(seeds.sim);
    sim.resetStats();
    ClientConfig config;
    config.baseUrl = sim.baseUrl();
    config.apiKey = u"bench-key"_s;
    config.maxInFlight = latency.inFlight;
    config.randomSeed = seeds.client;
    Client client(config);
    PacingConfig pacing;
    pacing.maxInFlight = latency.inFlight;
    pacing.adaptiveStartWindow = envNumber("GP_BENCH_WINDOW", pacing.adaptiveStartWindow);
    pacing.adaptiveWindowPacing = envNumber("GP_BENCH_WINDOW_PACING", pacing.adaptiveWindowPacing);
    pacing.adaptiveWindowPerSuccess = envNumber("GP_BENCH_WINDOW_GROWTH", pacing.adaptiveWindowPerSuccess);
    pacing.adaptiveWindowHorizonRtts = envNumber("GP_BENCH_WINDOW_HORIZON", pacing.adaptiveWindowHorizonRtts);
    pacing.adaptiveSlowStartRps = envNumber("GP_BENCH_SLOWSTART_RPS", pacing.adaptiveSlowStartRps);
    pacing.adaptiveSlowStartDoublingMs = envNumber("GP_BENCH_DOUBLING", pacing.adaptiveSlowStartDoublingMs);
    Scheduler scheduler(pacing);
    client.setPacer(&scheduler);
    std::unique_ptr<StatedLimitKeeper> keeper;
    if (!memoryPath.isEmpty()) {
        keeper = std::make_unique<StatedLimitKeeper>(
            &scheduler,
            StatedLimitKeeper::Config { memoryPath, StatedLimitMemory::originOf(config.baseUrl),
                                        StatedLimitMemory::keyIdOf(config.apiKey) });
        keeper->start();
    }
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer trace;
    QFile jobs;
    traceRun(client, scheduler, loop, trace, jobs, clock);
    int finished = 0;
    qint64 clientAttempts = 0;
    qint64 wallMs = 0;
    Run run;
    for (int i = 0; i < s.requests; ++i) {
        RequestJob *job = client.submit(makeRequest(s, i));
        QObject::connect(job, &RequestJob::finished, &loop, [&](const Outcome &outcome) {
            if (outcome.isSuccess())
                run.successMs.push_back(clock.elapsed());
            clientAttempts += outcome.attempts;
            if (++finished == s.requests) {
                wallMs = clock.elapsed();
                loop.quit();
            }
        });
    }
    if (!runLoop(loop, RunTimeoutMs))
        wallMs = clock.elapsed();
    collect(sim, s, int(run.successMs.size()), wallMs, &run);
    run.clientAttemptsPerRequest = double(clientAttempts) / double(s.requests);
    const PacingState end = scheduler.state();
    run.limitSource = limitSourceText(end.limitSource, end.limitRememberedAgoMs);
    return run;
}

Run runBaseline(sim::SimServer &sim, const Shape &s, const Latency &latency, Who who, const Seeds &seeds)
{
    sim.setSeed(seeds.sim);
    sim.resetStats();
    BaselineClient::Options options;
    options.mode = who == Who::Article ? BaselineClient::Mode::ArticleLoop : BaselineClient::Mode::SdkRetry;
    options.workers = latency.inFlight;
    options.managers = (latency.inFlight + 5) / 6;
    options.seed = seeds.client;
    if (who == Who::ToldLimit) {
        if (s.tokenBound) {
            options.tokensPerSecond = s.limitPerSecond;
            options.tokensPerRequest = s.estimateTokens;
        } else {
            options.requestsPerSecond = s.limitPerSecond;
        }
    }
    std::vector<QByteArray> bodies; // request i's own body, as GrokPulse sends request i
    for (int i = 0; i < s.requests; ++i)
        bodies.push_back(makeRequest(s, i).toJson());
    BaselineClient baseline(joinApiUrl(sim.baseUrl(), u"chat/completions"_s), std::move(bodies), options);
    QEventLoop loop;
    QObject::connect(&baseline, &BaselineClient::done, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    baseline.start();
    runLoop(loop, RunTimeoutMs);
    Run run;
    run.successMs = baseline.successMs();
    collect(sim, s, baseline.succeeded(), baseline.wallMs() > 0 ? baseline.wallMs() : clock.elapsed(), &run);
    run.clientAttemptsPerRequest = double(baseline.attempts()) / double(s.requests);
    return run;
}

bool wanted(const QByteArray &filter, const char *name)
{
    if (filter.isEmpty())
        return true;
    for (const QByteArray &part : filter.split(','))
        if (!part.isEmpty() && QByteArray(name).contains(part))
            return true;
    return false;
}

// GrokPulse against the sdk on the same seeds: wall ratio, and GrokPulse's time to the sdk's count.
void reportPaired(int k, const Run &grokPulse, const Run &sdk)
{
    const double toCount = timeToCountS(grokPulse, sdk);
    std::printf(
        "    paired     run %d: GrokPulse/sdk wall %.3f (%.1f / %.1f s, lost %d / %d); GrokPulse to the "
        "sdk's %zu completed %.1f s, %.3f of the sdk's wall\n",
        k, grokPulse.wallS / sdk.wallS, grokPulse.wallS, sdk.wallS, grokPulse.lost, sdk.lost,
        sdk.successMs.size(), toCount, toCount / sdk.wallS);
    std::fflush(stdout);
}

QJsonObject noHeaders(QJsonObject o)
{
    o.insert(u"headers"_s, u"none"_s);
    o.insert(u"retry_after"_s, u"none"_s);
    o.insert(u"retry_after_ms"_s, false);
    return o;
}

// Every client of one row, run after run; the sdk's runs paired with GrokPulse's of the same seeds.
void runRow(sim::SimServer &sim, const Shape &shape, const Latency &latency, int runs, int onlyRun)
{
    const QByteArray onlyWho = qgetenv("GP_BENCH_WHO");
    const bool remember = envNumber("GP_BENCH_REMEMBER", 0) != 0;
    std::vector<Who> who { Who::GrokPulse, Who::Article, Who::SdkRetry };
    if (shape.limitPerSecond > 0)
        who.back() = Who::ToldLimit;
    std::map<int, Run> grokPulse;
    std::vector<double> wallRatios, countRatios;
    for (const Who w : who) {
        if (!wanted(onlyWho, whoName(w)))
            continue;
        std::vector<Run> results;
        for (int k = 0; k < runs; ++k) {
            if (onlyRun >= 0 && k != onlyRun)
                continue;
            const Seeds seeds { 42 + quint64(k), 11 + quint64(k) };
            if (w == Who::GrokPulse && remember) {
                // The same run twice on a fresh server: cold, then with what the cold run remembered.
                QTemporaryDir dir;
                const QString file = dir.filePath(u"stated-limits.json"_s);
                reportRun("GP-cold", k, seeds, runGrokPulse(sim, shape, latency, seeds, file));
                results.push_back(runGrokPulse(sim, shape, latency, seeds, file));
            } else {
                results.push_back(w == Who::GrokPulse ? runGrokPulse(sim, shape, latency, seeds)
                                                      : runBaseline(sim, shape, latency, w, seeds));
            }
            reportRun(whoName(w), k, seeds, results.back());
            if (w == Who::GrokPulse)
                grokPulse[k] = results.back();
            else if (w == Who::SdkRetry && grokPulse.count(k)) {
                reportPaired(k, grokPulse[k], results.back());
                wallRatios.push_back(grokPulse[k].wallS / results.back().wallS);
                countRatios.push_back(timeToCountS(grokPulse[k], results.back()) / results.back().wallS);
            }
        }
        report(whoName(w), results);
        if (w == Who::SdkRetry && !wallRatios.empty())
            std::printf(
                "  paired     GrokPulse/sdk wall %.3f, GrokPulse to the sdk's completed count %.3f of the "
                "sdk's wall (medians of %zu)\n",
                median(wallRatios), median(countRatios), wallRatios.size());
    }
}

std::vector<Shape> shapes()
{
    const QJsonObject rps10 { { u"requests_per_second"_s, 10 }, { u"burst"_s, 5 } };
    const QJsonObject completion { { u"words"_s, 12 }, { u"chunk_interval_ms"_s, 0 } };
    const QJsonObject tpm6000 { { u"requests_per_second"_s, 50 },
                                { u"burst"_s, 50 },
                                { u"tokens_per_minute"_s, 6000 } };
    const QJsonObject longer { { u"words"_s, 60 }, { u"chunk_interval_ms"_s, 0 } };
    const auto limited = [](const char *wording, const QJsonObject &limits, const QJsonObject &completion) {
        return noHeaders(QJsonObject { { u"wording"_s, QString::fromLatin1(wording) },
                                       { u"limits"_s, limits },
                                       { u"completion"_s, completion } });
    };
    return {
        { "10 rps burst 5, no headers, 429 states the limit (xai wording)",
          [=] { return limited("xai", rps10, completion); }, 300, 20, 0, false, 10.0, 0, 5 },
        // 200 requests: a batch of hundreds, so the one 429 that teaches the limit is 0.5%, not 1.6% of 60.
        { "6,000 TPM, ~200-token requests, no headers, xai token wording",
          [=] { return limited("xai", tpm6000, longer); }, 200, 400, 100, true, 100.0, 200.0, 6000 },
        { "10 rps burst 5, no headers, 429 says only 'at capacity'",
          [=] { return limited("capacity", rps10, completion); }, 300, 20, 0, false, 10.0, 0, 5 },
        { "20% faults (503 10%, 500 5%, RST 3%, 529 2%), no limit",
          [=] {
              const QJsonArray faults {
                  QJsonObject {
                      { u"kind"_s, u"status"_s }, { u"status"_s, 503 }, { u"probability"_s, 0.10 } },
                  QJsonObject {
                      { u"kind"_s, u"status"_s }, { u"status"_s, 500 }, { u"probability"_s, 0.05 } },
                  QJsonObject { { u"kind"_s, u"reset_before_headers"_s }, { u"probability"_s, 0.03 } },
                  QJsonObject {
                      { u"kind"_s, u"status"_s }, { u"status"_s, 529 }, { u"probability"_s, 0.02 } },
              };
              return noHeaders(QJsonObject {
                  { u"wording"_s, u"xai"_s }, { u"faults"_s, faults }, { u"completion"_s, completion } });
          },
          400, 20, 0, false, 0.0, 0, 0 },
        { "10 rps burst 5, OpenAI quota headers",
          [=] {
              return QJsonObject { { u"headers"_s, u"openai"_s },
                                   { u"limits"_s, rps10 },
                                   { u"completion"_s, completion } };
          },
          300, 20, 0, false, 10.0, 0, 5 },
        { "10 rps burst 5, IETF draft headers",
          [=] {
              return QJsonObject { { u"headers"_s, u"ietf"_s },
                                   { u"limits"_s, rps10 },
                                   { u"completion"_s, completion } };
          },
          300, 20, 0, false, 10.0, 0, 5 },
    };
}

std::vector<Latency> latencies()
{
    const auto llm = [](bool atAdmission) {
        QJsonObject o { { u"distribution"_s, u"lognormal"_s },
                        { u"median_ms"_s, 1500 },
                        { u"sigma"_s, 0.99 },
                        { u"min_ms"_s, 200 },
                        { u"max_ms"_s, 30000 } };
        o.insert(u"rejections"_s, atAdmission ? u"at_admission"_s : u"after_latency"_s);
        return o; // at admission: the default 20-80 ms
    };
    return {
        { "20-80 ms",
          QJsonObject { { u"distribution"_s, u"uniform"_s }, { u"min_ms"_s, 20 }, { u"max_ms"_s, 80 } }, 16 },
        { "LLM-like (lognormal median 1.5 s, p99 ~15 s), 429 at admission in network time", llm(true), 64 },
        { "LLM-like (lognormal median 1.5 s, p99 ~15 s), 429 after the latency", llm(false), 64 },
    };
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QByteArray onlyRow = qgetenv("GP_BENCH_ROW");
    const QByteArray onlyLatency = qgetenv("GP_BENCH_LATENCY");
    const int runs = envNumber("GP_BENCH_RUNS", 3);
    const int onlyRun = envNumber("GP_BENCH_RUN", -1);
    std::printf("xAI-shaped pacing benchmark, nothing configured; util = work / (burst + limit x wall); "
                "medians of %d\n",
                runs);
    for (const Latency &latency : latencies()) {
        if (!onlyLatency.isEmpty() && !QByteArray(latency.label).contains(onlyLatency))
            continue;
        for (const Shape &shape : shapes()) {
            if (!onlyRow.isEmpty() && !QByteArray(shape.label).contains(onlyRow))
                continue;
            QJsonObject scenario = shape.scenario();
            scenario.insert(u"latency"_s, latency.json);
            scenario.insert(u"draws"_s, u"per_request"_s); // the same dice for every client (see above)
            sim::SimServer sim;
            QString error;
            if (!sim.setScenarioJson(scenario, &error) || !sim.listen(0)) {
                std::printf("cannot start the simulator for %s: %s\n", shape.label, qPrintable(error));
                return 1;
            }
            std::printf("%s, %s, %d in flight\n", shape.label, latency.label, latency.inFlight);
            runRow(sim, shape, latency, runs, onlyRun);
        }
    }
    return 0;
}
