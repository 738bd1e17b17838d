#include "core/client/client.h"
#include "core/sim/simserver.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace gp;
using namespace Qt::StringLiterals;

// CPU cost per request of the engine (Client + RequestJob + pacer + policy + parsing)
// against a minimal hand-written QNetworkAccessManager client (serialize, post, read,
// QJsonDocument::fromJson) on loopback, in the same run, alternating the order per round.
// The simulator runs in its own thread; only the client thread's CPU time is counted.
namespace {

constexpr int kRequests = 600;
constexpr int kConcurrency = 8;
constexpr int kRounds = 7;

double threadCpuUs()
{
    rusage usage {};
    getrusage(RUSAGE_THREAD, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

QJsonObject benchScenario()
{
    return QJsonObject {
        { u"name"_s, u"bench"_s },
        { u"headers"_s, u"openai"_s },
        { u"limits"_s, QJsonObject { { u"requests_per_second"_s, 1000000 }, { u"burst"_s, 1000000 } } },
        { u"completion"_s, QJsonObject { { u"words"_s, 24 }, { u"chunk_interval_ms"_s, 0 } } },
    };
}

ChatRequest benchRequest()
{
    ChatRequest r;
    r.model = u"grok-4"_s;
    r.messages = { ChatMessage { u"user"_s, u"Say something short about loopback benchmarks."_s } };
    r.maxCompletionTokens = 64;
    return r;
}

// Runs `count` requests with `concurrency` in flight; `launch(done)` starts one and calls done().
double runCpuUs(const std::function<void(std::function<void()>)> &launch)
{
    QEventLoop loop;
    int started = 0;
    int finished = 0;
    std::function<void()> next;
    next = [&] {
        if (started >= kRequests)
            return;
        ++started;
        launch([&] {
            if (++finished == kRequests)
                loop.quit();
            else
                next();
        });
    };
    const double before = threadCpuUs();
    for (int i = 0; i < kConcurrency; ++i)
        next();
    loop.exec();
    return threadCpuUs() - before;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);

    QThread simThread;
    QObject simContext;
    simContext.moveToThread(&simThread);
    simThread.start();
    sim::SimServer *server = nullptr;
    QUrl baseUrl;
    QMetaObject::invokeMethod(
        &simContext,
        [&] {
            server = new sim::SimServer;
            QString error;
            if (!server->setScenarioJson(benchScenario(), &error))
                std::fprintf(stderr, "scenario: %s\n", qPrintable(error));
            server->listen(0);
            baseUrl = server->baseUrl();
        },
        Qt::BlockingQueuedConnection);

    ClientConfig config;
    config.baseUrl = baseUrl;
    config.apiKey = u"bench-key"_s;
    config.maxInFlight = kConcurrency;
    Client client(config);
    const QUrl url = client.chatCompletionsUrl();
    QNetworkAccessManager bare;

    const auto bareLaunch = [&](std::function<void()> done) {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer bench-key");
        // The minimal hand-written client: serialize, post, read, parse the JSON.
        QNetworkReply *reply = bare.post(request, benchRequest().toJson());
        QObject::connect(reply, &QNetworkReply::finished, &bare, [reply, done] {
            const QJsonDocument json = QJsonDocument::fromJson(reply->readAll());
            if (!json.isObject() || reply->error() != QNetworkReply::NoError)
                std::fprintf(stderr, "bare request failed\n");
            reply->deleteLater();
            done();
        });
    };
    const auto engineLaunch = [&](std::function<void()> done) {
        RequestJob *job = client.submit(benchRequest());
        QObject::connect(job, &RequestJob::finished, &client, [done](const Outcome &o) {
            if (!o.isSuccess())
                std::fprintf(stderr, "engine request failed: %s\n", qPrintable(o.error.message));
            done();
        });
    };

    runCpuUs(bareLaunch); // warm-up: connections, allocator, caches
    runCpuUs(engineLaunch);
    QList<double> bareUs;
    QList<double> engineUs;
    QList<double> ratios;
    for (int round = 0; round < kRounds; ++round) {
        // Alternate the order so neither side always runs on a warmer process.
        double b = 0;
        double e = 0;
        if (round % 2 == 0) {
            b = runCpuUs(bareLaunch);
            e = runCpuUs(engineLaunch);
        } else {
            e = runCpuUs(engineLaunch);
            b = runCpuUs(bareLaunch);
        }
        bareUs.append(b / kRequests);
        engineUs.append(e / kRequests);
        ratios.append(e / b);
        std::printf("round %d: bare %.1f us/request, engine %.1f us/request, ratio %.3f\n", round + 1,
                    b / kRequests, e / kRequests, e / b);
    }
    std::printf(
        "engine CPU per request (median of %d rounds x %d requests, concurrency %d): bare QNAM %.1f us, "
        "engine %.1f us, ratio %.3f (target < 1.2)\n",
        kRounds, kRequests, kConcurrency, median(bareUs), median(engineUs), median(ratios));

    QMetaObject::invokeMethod(
        &simContext, [&] { delete server; }, Qt::BlockingQueuedConnection);
    simThread.quit();
    simThread.wait();
    return 0;
}
