// What `--concurrency 64` buys against one host: 300 requests to the simulator with
// LLM-like latency (time to first byte lognormal, median 1.5 s, p99 15 s, then 50 tokens/s)
// and with gateway latency (20..80 ms), no rate limit. Side by side, medians of 3:
// - one QNetworkAccessManager allowing 64 at once (the Client before its NetworkPool:
//   Qt 6.4 opens at most 6 HTTP/1.1 connections per host per manager);
// - gp::Client with maxInFlight 64 (its NetworkPool).
// Reported: wall time, time until 99% were done, the simulator's peak in flight, failures.
#include "core/client/client.h"
#include "core/sim/simserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

using namespace gp;
using namespace Qt::StringLiterals;

namespace {

constexpr int kRequests = 300;
constexpr int kConcurrency = 64;

struct Shape
{
    const char *name;
    const char *latency;
};

struct Result
{
    double wallS = 0;
    double t99S = 0; // until 99% of the requests were done: the slowest answers bound the wall
    int peak = 0;
    int failed = 0;
};

std::unique_ptr<sim::SimServer> startSim(const Shape &shape)
{
    auto server = std::make_unique<sim::SimServer>();
    const QByteArray json = QByteArray(R"({"name":"bench","headers":"none","retry_after":"none",)")
        + R"("completion":{"words":24,"words_per_chunk":2,"tokens_per_second":50},"latency":)" + shape.latency
        + "}";
    QString error;
    if (!server->setScenarioJson(QJsonDocument::fromJson(json).object(), &error) || !server->listen(0)) {
        std::fprintf(stderr, "sim: %s\n", qPrintable(error));
        return nullptr;
    }
    server->setSeed(11);
    return server;
}

double t99(std::vector<qint64> doneAt)
{
    if (doneAt.empty())
        return 0;
    std::sort(doneAt.begin(), doneAt.end());
    return double(doneAt[std::min(doneAt.size() - 1, doneAt.size() * 99 / 100 - 1)]) / 1000.0;
}

ChatRequest request(int i)
{
    ChatRequest r;
    r.model = u"grok-4"_s;
    r.messages = { ChatMessage { u"user"_s, u"question %1"_s.arg(i) } };
    r.maxCompletionTokens = 256;
    return r;
}

// Runs until done() or 20 minutes.
void runLoop(const std::function<bool()> &done)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    poll.start(20);
    QTimer::singleShot(20 * 60 * 1000, &loop, &QEventLoop::quit);
    loop.exec();
}

Result oneManager(const Shape &shape)
{
    const auto server = startSim(shape);
    Result result;
    if (!server)
        return result;
    QNetworkAccessManager network;
    QNetworkRequest base(QUrl(server->baseUrl().toString() + u"/chat/completions"_s));
    base.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    base.setRawHeader("Authorization", "Bearer bench");
    int next = 0;
    int inFlight = 0;
    int finished = 0;
    QElapsedTimer clock;
    std::vector<qint64> doneAt;
    std::function<void()> pump = [&] {
        while (inFlight < kConcurrency && next < kRequests) {
            QNetworkReply *reply = network.post(base, request(next++).toJson());
            ++inFlight;
            QObject::connect(reply, &QNetworkReply::finished, &network, [&, reply] {
                doneAt.push_back(clock.elapsed());
                if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
                    ++result.failed;
                reply->deleteLater();
                --inFlight;
                ++finished;
                pump();
            });
        }
    };
    clock.start();
    pump();
    runLoop([&] { return finished == kRequests; });
    result.wallS = double(clock.elapsed()) / 1000.0;
    result.t99S = t99(doneAt);
    result.peak = server->stats().value(u"peak_in_flight"_s).toInt();
    return result;
}

Result pooledClient(const Shape &shape)
{
    const auto server = startSim(shape);
    Result result;
    if (!server)
        return result;
    ClientConfig config;
    config.baseUrl = server->baseUrl();
    config.apiKey = u"bench-key-0123456789"_s;
    config.maxInFlight = kConcurrency;
    config.retry.maxAttempts = 1;
    config.timeouts.firstByteMs = 120000;
    config.timeouts.attemptMs = 180000;
    config.randomSeed = 3;
    Client client(config);
    std::vector<RequestJob *> jobs;
    std::vector<qint64> doneAt;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kRequests; ++i) {
        RequestJob *job = client.submit(request(i));
        job->setAutoDelete(false); // read after the run; deleted with the client
        QObject::connect(job, &RequestJob::finished, &client, [&] { doneAt.push_back(clock.elapsed()); });
        jobs.push_back(job);
    }
    runLoop([&] {
        return std::all_of(jobs.cbegin(), jobs.cend(), [](RequestJob *j) { return j->isFinished(); });
    });
    result.wallS = double(clock.elapsed()) / 1000.0;
    result.t99S = t99(doneAt);
    result.peak = server->stats().value(u"peak_in_flight"_s).toInt();
    for (RequestJob *job : jobs)
        result.failed += job->isFinished() && job->outcome().isSuccess() ? 0 : 1;
    return result;
}

Result median(std::vector<Result> runs)
{
    std::sort(runs.begin(), runs.end(), [](const Result &a, const Result &b) { return a.wallS < b.wallS; });
    return runs[runs.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Shape shapes[] = {
        { "LLM-like (1.5 s median, p99 15 s, 50 tok/s)",
          R"({"distribution":"lognormal","median_ms":1500,"p99_ms":15000,"min_ms":150,"max_ms":60000})" },
        { "gateway (20..80 ms)",
          R"({"distribution":"lognormal","median_ms":40,"p99_ms":80,"min_ms":20,"max_ms":80})" },
    };
    std::printf("bench_concurrency: %d requests, concurrency %d, medians of 3 (wall s / 99%% done s / peak "
                "in flight / failed)\n",
                kRequests, kConcurrency);
    std::printf("| latency | one QNetworkAccessManager (before) | gp::Client + NetworkPool (after) "
                "|\n|---|---|---|\n");
    bool ok = true;
    for (const Shape &shape : shapes) {
        std::vector<Result> before, after;
        for (int run = 0; run < 3; ++run) {
            before.push_back(oneManager(shape));
            after.push_back(pooledClient(shape));
        }
        const Result b = median(before);
        const Result a = median(after);
        std::printf("| %s | %.1f s / %.1f s / %d / %d | %.1f s / %.1f s / %d / %d |\n", shape.name, b.wallS,
                    b.t99S, b.peak, b.failed, a.wallS, a.t99S, a.peak, a.failed);
        std::fflush(stdout);
        ok = ok && a.failed == 0 && a.peak == kConcurrency;
    }
    return ok ? 0 : 1;
}
