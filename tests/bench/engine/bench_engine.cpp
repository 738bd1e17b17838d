#include "core/client/client.h"
#include "core/sim/simserver.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

using namespace gp;
using namespace Qt::StringLiterals;

// CPU cost per request of the engine (Client + RequestJob + pacer + policy + parsing)
// against a minimal hand-written QNetworkAccessManager client (serialize, post, read the
// status, parse the JSON, take the answer's text and usage) on loopback, in the same run,
// alternating the order per round. Two simulators run in their own thread, one answering at
// once and one after 20-80 ms; only the client thread's CPU time is counted.
// Arguments: --runs N (3), --rounds N (7), --requests N (600), --latency 0|20-80|both,
// --only engine|bare (profiling: one side, no ratio), --bare-managers N (1).
namespace {

struct Options
{
    int runs = 3;
    int rounds = 7;
    int requests = 600;
    int concurrency = 8;
    QString latency = u"both"_s;
    QString only;
    int bareManagers = 1; // Qt 6.4: 6 connections each; more shows what the engine's pool costs
};

struct ThreadCost
{
    double cpuUs = 0;
    double wakeups = 0; // voluntary context switches: how often the thread slept and woke
};

ThreadCost threadCost()
{
    rusage usage {};
    getrusage(RUSAGE_THREAD, &usage);
    return ThreadCost { double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
                            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec),
                        double(usage.ru_nvcsw) };
}

QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return u"?"_s;
    return QString::fromLatin1(file.readAll().split(' ').mid(0, 3).join(' '));
}

QJsonObject benchScenario(bool withLatency)
{
    QJsonObject scenario {
        { u"name"_s, u"bench"_s },
        { u"headers"_s, u"openai"_s },
        { u"limits"_s, QJsonObject { { u"requests_per_second"_s, 1000000 }, { u"burst"_s, 1000000 } } },
        { u"completion"_s, QJsonObject { { u"words"_s, 24 }, { u"chunk_interval_ms"_s, 0 } } },
    };
    if (withLatency)
        scenario.insert(
            u"latency"_s,
            QJsonObject { { u"distribution"_s, u"uniform"_s }, { u"min_ms"_s, 20 }, { u"max_ms"_s, 80 } });
    return scenario;
}

ChatRequest benchRequest()
{
    ChatRequest r;
    r.model = u"grok-4"_s;
    r.messages = { ChatMessage { u"user"_s, u"Say something short about loopback benchmarks."_s } };
    r.maxCompletionTokens = 64;
    return r;
}

using Launch = std::function<void(std::function<void()>)>;

// Runs `count` requests with `concurrency` in flight; `launch(done)` starts one and calls done().
ThreadCost runCpuUs(const Options &o, const Launch &launch)
{
    QEventLoop loop;
    int started = 0;
    int finished = 0;
    std::function<void()> next;
    next = [&] {
        if (started >= o.requests)
            return;
        ++started;
        launch([&] {
            if (++finished == o.requests)
                loop.quit();
            else
                next();
        });
    };
    const ThreadCost before = threadCost();
    for (int i = 0; i < o.concurrency; ++i)
        next();
    loop.exec();
    const ThreadCost after = threadCost();
    return ThreadCost { after.cpuUs - before.cpuUs, after.wakeups - before.wakeups };
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

// One simulator (in the simulator thread), the engine's Client and the bare manager aimed at it.
struct Target
{
    QString name;
    sim::SimServer *server = nullptr;
    std::unique_ptr<Client> client;
    std::vector<std::unique_ptr<QNetworkAccessManager>> bare;
    Launch bareLaunch;
    Launch engineLaunch;
};

// The minimal hand-written client: serialize, post, read the status and the JSON answer, take
// the text and the usage out of it (what the engine hands its caller).
Launch makeBareLaunch(const std::vector<std::unique_ptr<QNetworkAccessManager>> &managers, const QUrl &url)
{
    auto turn = std::make_shared<size_t>(0);
    return [&managers, url, turn](std::function<void()> done) {
        QNetworkAccessManager *bare = managers.at((*turn)++ % managers.size()).get(); // round robin
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer bench-key");
        QNetworkReply *reply = bare->post(request, benchRequest().toJson());
        QObject::connect(reply, &QNetworkReply::finished, bare, [reply, done] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
            const QString text = answer.value(u"choices"_s)
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(u"message"_s)
                                     .toObject()
                                     .value(u"content"_s)
                                     .toString();
            const qint64 tokens = answer.value(u"usage"_s).toObject().value(u"total_tokens"_s).toInteger();
            if (status != 200 || text.isEmpty() || tokens <= 0 || reply->error() != QNetworkReply::NoError)
                std::fprintf(stderr, "bare request failed\n");
            reply->deleteLater();
            done();
        });
    };
}

Launch makeEngineLaunch(Client *client)
{
    return [client](std::function<void()> done) {
        RequestJob *job = client->submit(benchRequest());
        QObject::connect(job, &RequestJob::finished, client, [done](const Outcome &o) {
            if (!o.isSuccess() || o.response.choices.value(0).content.isEmpty()
                || o.response.usage.totalTokens <= 0)
                std::fprintf(stderr, "engine request failed: %s\n", qPrintable(o.error.message));
            done();
        });
    };
}

void startTarget(Target &t, bool withLatency, QObject *simContext, const Options &o)
{
    QUrl baseUrl;
    QMetaObject::invokeMethod(
        simContext,
        [&] {
            t.server = new sim::SimServer;
            QString error;
            if (!t.server->setScenarioJson(benchScenario(withLatency), &error))
                std::fprintf(stderr, "scenario: %s\n", qPrintable(error));
            t.server->listen(0);
            baseUrl = t.server->baseUrl();
        },
        Qt::BlockingQueuedConnection);
    ClientConfig config;
    config.baseUrl = baseUrl;
    config.apiKey = u"bench-key"_s;
    config.maxInFlight = o.concurrency;
    t.client = std::make_unique<Client>(config);
    for (int i = 0; i < o.bareManagers; ++i)
        t.bare.push_back(std::make_unique<QNetworkAccessManager>());
    t.bareLaunch = makeBareLaunch(t.bare, t.client->chatCompletionsUrl());
    t.engineLaunch = makeEngineLaunch(t.client.get());
    if (o.only != u"engine"_s)
        runCpuUs(o, t.bareLaunch); // warm-up: connections, allocator, caches
    if (o.only != u"bare"_s)
        runCpuUs(o, t.engineLaunch);
}

// One run: `rounds` pairs, the order alternating; returns the median ratio (engine / bare).
double runTarget(const Target &t, const Options &o, int run)
{
    QList<double> bareUs;
    QList<double> engineUs;
    QList<double> bareWakeups;
    QList<double> engineWakeups;
    QList<double> ratios;
    QString perRound;
    for (int round = 0; round < o.rounds; ++round) {
        const bool bareFirst = round % 2 == 0; // neither side always runs on a warmer process
        ThreadCost b = o.only == u"engine"_s || !bareFirst ? ThreadCost {} : runCpuUs(o, t.bareLaunch);
        const ThreadCost e = o.only == u"bare"_s ? ThreadCost {} : runCpuUs(o, t.engineLaunch);
        if (!bareFirst && o.only != u"engine"_s)
            b = runCpuUs(o, t.bareLaunch);
        bareUs.append(b.cpuUs / o.requests);
        engineUs.append(e.cpuUs / o.requests);
        bareWakeups.append(b.wakeups / o.requests);
        engineWakeups.append(e.wakeups / o.requests);
        ratios.append(b.cpuUs > 0 ? e.cpuUs / b.cpuUs : 0);
        perRound += u" %1"_s.arg(ratios.last(), 0, 'f', 2);
    }
    std::printf("%s run %d: bare %.1f us/request, engine %.1f us/request, ratio %.3f (median of %d "
                "rounds x %d requests, concurrency %d; rounds%s; wakeups/request bare %.2f engine %.2f)\n",
                qPrintable(t.name), run, median(bareUs), median(engineUs), median(ratios), o.rounds,
                o.requests, o.concurrency, qPrintable(perRound), median(bareWakeups), median(engineWakeups));
    std::fflush(stdout);
    return median(ratios);
}

Options parseOptions(const QStringList &args)
{
    Options o;
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        const QString &key = args.at(i);
        const QString &value = args.at(i + 1);
        if (key == u"--runs"_s)
            o.runs = std::max(1, value.toInt());
        else if (key == u"--rounds"_s)
            o.rounds = std::max(1, value.toInt());
        else if (key == u"--requests"_s)
            o.requests = std::max(o.concurrency, value.toInt());
        else if (key == u"--latency"_s)
            o.latency = value;
        else if (key == u"--only"_s)
            o.only = value;
        else if (key == u"--bare-managers"_s)
            o.bareManagers = std::max(1, value.toInt());
    }
    return o;
}

QString listed(const QList<double> &values)
{
    QStringList parts;
    for (const double v : values)
        parts.append(QString::number(v, 'f', 3));
    return parts.join(u' ');
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Options o = parseOptions(app.arguments());
    std::printf("load average at start: %s\n", qPrintable(loadAverage()));

    QThread simThread;
    QObject simContext;
    simContext.moveToThread(&simThread);
    simThread.start();
    std::vector<Target> targets(2);
    targets[0].name = u"latency 0 ms"_s;
    targets[1].name = u"latency 20-80 ms"_s;
    if (o.latency == u"0"_s)
        targets.pop_back();
    else if (o.latency == u"20-80"_s)
        targets.erase(targets.begin());
    for (Target &t : targets)
        startTarget(t, t.name.contains(u"20-80"_s), &simContext, o);

    QList<QList<double>> ratios(qsizetype(targets.size()));
    for (int run = 1; run <= o.runs; ++run) {
        for (size_t i = 0; i < targets.size(); ++i)
            ratios[qsizetype(i)].append(runTarget(targets[i], o, run));
    }
    for (size_t i = 0; i < targets.size(); ++i) {
        const QList<double> &r = ratios.at(qsizetype(i));
        std::printf(
            "engine CPU / bare QNAM CPU per request, %s: median of %d runs %.3f [%s] (target <= 1.2)\n",
            qPrintable(targets[i].name), o.runs, median(r), qPrintable(listed(r)));
    }
    std::printf("load average at end: %s\n", qPrintable(loadAverage()));

    for (Target &t : targets) {
        t.client.reset();
        t.bare.clear();
        QMetaObject::invokeMethod(
            &simContext, [&] { delete t.server; }, Qt::BlockingQueuedConnection);
    }
    simThread.quit();
    simThread.wait();
    return 0;
}
