// xAI-shaped pacing benchmark: nothing configured, side by side with the design article's
// loop, a plain-retry client (the OpenAI SDK's defaults) and a client told the exact limit.
// Every row at 20-80 ms and at LLM-like latency; medians of 3. Label "bench".
// GP_BENCH_ROW=<substring> runs matching rows, GP_BENCH_LATENCY=<substring> matching latencies,
// GP_BENCH_WHO=<substring> matching clients; GP_BENCH_RUNS=n changes the 3, GP_BENCH_RUN=k runs only
// run k (0-based; rows split over processes). Run k of every row seeds the simulator with 42 + k and
// every client of the row (GrokPulse, the article loop, the told client, the sdk) with 11 + k, so a
// median of 3 spans three random draws and the clients of one run see the same. GrokPulse's probe:
// GP_BENCH_WINDOW (start window, 0: none), _GROWTH, _PACING, _HORIZON; GP_BENCH_SLOWSTART_RPS,
// GP_BENCH_DOUBLING. LLM-like latency runs twice: the limiter's 429 answered at admission in network time
// (what API gateways do), and after a full answer's latency (the pessimistic bound).
#include "core/client/client.h"
#include "core/pacing/scheduler.h"
#include "core/sim/simserver.h"
#include "core/wire/apiurl.h"
#include "tests/bench/pacing/baselineclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {

constexpr int RunTimeoutMs = 900000; // the token row's 200 requests take ~6 min at 6,000 TPM

struct Shape
{
    const char *label;
    std::function<QJsonObject()> scenario;
    int requests;
    int promptChars;
    qint64 maxCompletionTokens;
    bool tokenBound;
    double limitPerSecond; // requests/s, or tokens/s when token-bound; 0 = no limit
    double estimateTokens; // what a told client reserves per request (token-bound)
    double burst; // what the server lets through at once (requests, or tokens when token-bound)
};

struct Latency
{
    const char *label;
    QJsonObject json;
    int inFlight;
};

struct Run
{
    double util = 0.0;
    double share429 = 0.0;
    double refused = 0.0; // 429 answers the server gave
    int lost = 0;
    double wallS = 0.0;
    double attemptsPerRequest = 0.0; // as the server saw them
    double clientAttemptsPerRequest = 0.0; // as the client counted them (0 = not counted)
    double sendUtil = 0.0; // requests accepted by the second the server accepted the last (rows by requests)
    QString limitSource;
};

enum class Who { GrokPulse, Article, SdkRetry, ToldLimit };

const char *whoName(Who who)
{
    switch (who) {
    case Who::GrokPulse: return "GrokPulse";
    case Who::Article: return "article";
    case Who::SdkRetry: return "sdk-retry";
    case Who::ToldLimit: return "told-limit";
    }
    return "?";
}

template<typename T> T envNumber(const char *name, T fallback)
{
    return qEnvironmentVariableIsSet(name) ? T(qEnvironmentVariable(name).toDouble()) : fallback;
}

ChatRequest makeRequest(const Shape &s, int i)
{
    ChatRequest r;
    r.model = u"grok-4-0709"_s;
    QString prompt = u"Request %1: say something short."_s.arg(i);
    while (prompt.size() < s.promptChars)
        prompt += u" Padding to size the prompt."_s;
    r.messages.append(ChatMessage { u"user"_s, prompt.left(std::max(s.promptChars, 20)) });
    if (s.maxCompletionTokens > 0)
        r.maxCompletionTokens = s.maxCompletionTokens;
    return r;
}

bool runLoop(QEventLoop &loop, int timeoutMs)
{
    bool timedOut = false;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    guard.start(timeoutMs);
    loop.exec();
    return !timedOut;
}

void collect(const sim::SimServer &sim, const Shape &s, int succeeded, qint64 wallMs, Run *run)
{
    const QJsonObject stats = sim.stats();
    const double attempts = double(stats.value(u"requests"_s).toInteger());
    double refused = 0;
    const QJsonObject rejected = stats.value(u"rejected_429"_s).toObject();
    for (auto it = rejected.begin(); it != rejected.end(); ++it)
        refused += double(it.value().toInteger());
    const double tokens = double(stats.value(u"tokens"_s).toObject().value(u"total"_s).toInteger());
    run->wallS = double(std::max<qint64>(1, wallMs)) / 1000.0;
    const double work = s.tokenBound ? tokens : double(succeeded);
    // Of what the server could have accepted in that time: its burst plus its rate.
    run->util = s.limitPerSecond > 0 ? work / (s.burst + s.limitPerSecond * run->wallS) : 0.0;
    run->share429 = attempts > 0 ? refused / attempts : 0.0;
    run->refused = refused;
    run->lost = s.requests - succeeded;
    run->attemptsPerRequest = attempts / double(s.requests);
    // The pacing alone, without the last answers' latency (whole seconds of the server's clock).
    const qsizetype seconds = stats.value(u"accepted_per_second"_s).toArray().size();
    if (s.limitPerSecond > 0 && !s.tokenBound && seconds > 0)
        run->sendUtil
            = double(stats.value(u"accepted"_s).toInteger()) / (s.burst + s.limitPerSecond * double(seconds));
}

struct Seeds // of one run: run k seeds the simulator with 42 + k and the clients with 11 + k
{
    quint64 sim = 42;
    quint64 client = 11;
};

Run runGrokPulse(sim::SimServer &sim, const Shape &s, const Latency &latency, const Seeds &seeds)
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
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer trace;
    if (qEnvironmentVariableIsSet("GP_BENCH_TRACE")) {
        QObject::connect(&trace, &QTimer::timeout, &loop, [&] {
            const PacingState st = scheduler.state();
            std::printf("      %5.1f s: in flight %d, queued %d, wait '%s', learned %.1f rps\n",
                        double(clock.elapsed()) / 1000.0, st.inFlight,
                        st.queued[0] + st.queued[1] + st.queued[2], qPrintable(st.waitReason),
                        st.learnedRps.value_or(0.0));
        });
        trace.start(1000);
        QObject::connect(&client, &Client::eventEmitted, &loop, [&](const Event &e) {
            if (e.kind == EventKind::AttemptFinished && e.httpStatus == 429)
                std::printf("      429 at %.2f s (job %llu): %s\n", double(clock.elapsed()) / 1000.0,
                            static_cast<unsigned long long>(e.jobId),
                            qPrintable(e.message.mid(e.message.indexOf(u"(actual"_s), 40)));
        });
    }
    int finished = 0;
    int succeeded = 0;
    qint64 clientAttempts = 0;
    qint64 wallMs = 0;
    for (int i = 0; i < s.requests; ++i) {
        RequestJob *job = client.submit(makeRequest(s, i));
        QObject::connect(job, &RequestJob::finished, &loop, [&](const Outcome &outcome) {
            succeeded += outcome.isSuccess() ? 1 : 0;
            clientAttempts += outcome.attempts;
            if (++finished == s.requests) {
                wallMs = clock.elapsed();
                loop.quit();
            }
        });
    }
    if (!runLoop(loop, RunTimeoutMs))
        wallMs = clock.elapsed();
    Run run;
    collect(sim, s, succeeded, wallMs, &run);
    run.clientAttemptsPerRequest = double(clientAttempts) / double(s.requests);
    run.limitSource = limitSourceName(scheduler.state().limitSource);
    return run;
}

Run runBaseline(sim::SimServer &sim, const Shape &s, const Latency &latency, Who who, const Seeds &seeds)
{
    sim.setSeed(seeds.sim);
    sim.resetStats();
    bench::BaselineClient::Options options;
    options.mode = who == Who::Article ? bench::BaselineClient::Mode::ArticleLoop
                                       : bench::BaselineClient::Mode::SdkRetry;
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
    bench::BaselineClient baseline(joinApiUrl(sim.baseUrl(), u"chat/completions"_s),
                                   makeRequest(s, 0).toJson(), s.requests, options);
    QEventLoop loop;
    QObject::connect(&baseline, &bench::BaselineClient::done, &loop, &QEventLoop::quit);
    QElapsedTimer clock;
    clock.start();
    baseline.start();
    runLoop(loop, RunTimeoutMs);
    Run run;
    collect(sim, s, baseline.succeeded(), baseline.wallMs() > 0 ? baseline.wallMs() : clock.elapsed(), &run);
    run.clientAttemptsPerRequest = double(baseline.attempts()) / double(s.requests);
    return run;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

void reportRun(const char *who, int k, const Seeds &seeds, const Run &r)
{
    std::printf(
        "    %-10s run %d (sim seed %llu, client seed %llu): util %.3f  429s %5.2f%% (%.0f)  lost %d  wall "
        "%6.1f s  attempts/request %.3f  sent-by util %.3f\n",
        who, k, static_cast<unsigned long long>(seeds.sim), static_cast<unsigned long long>(seeds.client),
        r.util, 100.0 * r.share429, r.refused, r.lost, r.wallS, r.attemptsPerRequest, r.sendUtil);
    std::fflush(stdout);
}

void report(const char *who, const std::vector<Run> &runs)
{
    if (runs.empty())
        return;
    std::vector<double> util, share, refused, lost, wall, apr, capr;
    for (const Run &r : runs) {
        util.push_back(r.util);
        share.push_back(r.share429);
        refused.push_back(r.refused);
        lost.push_back(r.lost);
        wall.push_back(r.wallS);
        apr.push_back(r.attemptsPerRequest);
        capr.push_back(r.clientAttemptsPerRequest);
    }
    std::printf(
        "  %-10s util %.3f  429s %5.2f%% (%3.0f)  lost %3.0f  wall %6.1f s  attempts/request %.3f (client "
        "counted %.3f)%s%s\n",
        who, median(util), 100.0 * median(share), median(refused), median(lost), median(wall), median(apr),
        median(capr),
        runs.front().limitSource.isEmpty() ? "" : "  limit: ", qPrintable(runs.front().limitSource));
    std::fflush(stdout);
}

QJsonObject noHeaders(QJsonObject o)
{
    o.insert(u"headers"_s, u"none"_s);
    o.insert(u"retry_after"_s, u"none"_s);
    o.insert(u"retry_after_ms"_s, false);
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
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
    const std::vector<Shape> shapes = {
        { "10 rps burst 5, no headers, 429 states the limit (xai wording)",
          [&] { return limited("xai", rps10, completion); }, 300, 20, 0, false, 10.0, 0, 5 },
        // 200 requests: a batch of hundreds, so the one 429 that teaches the limit is 0.5%, not 1.6% of 60.
        { "6,000 TPM, ~200-token requests, no headers, xai token wording",
          [&] { return limited("xai", tpm6000, longer); }, 200, 400, 100, true, 100.0, 200.0, 6000 },
        { "10 rps burst 5, no headers, 429 says only 'at capacity'",
          [&] { return limited("capacity", rps10, completion); }, 300, 20, 0, false, 10.0, 0, 5 },
        { "20% faults (503 10%, 500 5%, RST 3%, 529 2%), no limit",
          [&] {
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
          [&] {
              return QJsonObject { { u"headers"_s, u"openai"_s },
                                   { u"limits"_s, rps10 },
                                   { u"completion"_s, completion } };
          },
          300, 20, 0, false, 10.0, 0, 5 },
        { "10 rps burst 5, IETF draft headers",
          [&] {
              return QJsonObject { { u"headers"_s, u"ietf"_s },
                                   { u"limits"_s, rps10 },
                                   { u"completion"_s, completion } };
          },
          300, 20, 0, false, 10.0, 0, 5 },
    };
    const auto llm = [](bool atAdmission) {
        QJsonObject o { { u"distribution"_s, u"lognormal"_s },
                        { u"median_ms"_s, 1500 },
                        { u"sigma"_s, 0.99 },
                        { u"min_ms"_s, 200 },
                        { u"max_ms"_s, 30000 } };
        o.insert(u"rejections"_s, atAdmission ? u"at_admission"_s : u"after_latency"_s);
        return o; // at admission: the default 20-80 ms
    };
    const std::vector<Latency> latencies = {
        { "20-80 ms",
          QJsonObject { { u"distribution"_s, u"uniform"_s }, { u"min_ms"_s, 20 }, { u"max_ms"_s, 80 } }, 16 },
        { "LLM-like (lognormal median 1.5 s, p99 ~15 s), 429 at admission in network time", llm(true), 64 },
        { "LLM-like (lognormal median 1.5 s, p99 ~15 s), 429 after the latency", llm(false), 64 },
    };
    const QByteArray onlyRow = qgetenv("GP_BENCH_ROW");
    const QByteArray onlyLatency = qgetenv("GP_BENCH_LATENCY");
    const QByteArray onlyWho = qgetenv("GP_BENCH_WHO");
    const int runs = envNumber("GP_BENCH_RUNS", 3);
    const int onlyRun = envNumber("GP_BENCH_RUN", -1);
    std::printf("xAI-shaped pacing benchmark, nothing configured; util = work / (burst + limit x wall); "
                "medians of %d\n",
                runs);
    for (const Latency &latency : latencies) {
        if (!onlyLatency.isEmpty() && !QByteArray(latency.label).contains(onlyLatency))
            continue;
        for (const Shape &shape : shapes) {
            if (!onlyRow.isEmpty() && !QByteArray(shape.label).contains(onlyRow))
                continue;
            QJsonObject scenario = shape.scenario();
            scenario.insert(u"latency"_s, latency.json);
            sim::SimServer sim;
            QString error;
            if (!sim.setScenarioJson(scenario, &error) || !sim.listen(0)) {
                std::printf("cannot start the simulator for %s: %s\n", shape.label, qPrintable(error));
                return 1;
            }
            std::printf("%s, %s, %d in flight\n", shape.label, latency.label, latency.inFlight);
            std::vector<Who> who { Who::GrokPulse, Who::Article, Who::SdkRetry };
            if (shape.limitPerSecond > 0)
                who.back() = Who::ToldLimit;
            for (const Who w : who) {
                if (!onlyWho.isEmpty() && !QByteArray(whoName(w)).contains(onlyWho))
                    continue;
                std::vector<Run> results;
                for (int k = 0; k < runs; ++k) {
                    if (onlyRun >= 0 && k != onlyRun)
                        continue;
                    const Seeds seeds { 42 + quint64(k), 11 + quint64(k) };
                    results.push_back(w == Who::GrokPulse ? runGrokPulse(sim, shape, latency, seeds)
                                                          : runBaseline(sim, shape, latency, w, seeds));
                    reportRun(whoName(w), k, seeds, results.back());
                }
                report(whoName(w), results);
            }
        }
    }
    return 0;
}
