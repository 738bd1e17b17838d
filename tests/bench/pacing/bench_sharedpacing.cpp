// Shared pacing benchmark : 4 instances (each a Client with its own Scheduler) in
// one process share one 10 rps quota on the simulator, with Redis and without for contrast;
// told the limit, and with nothing configured (the limit from headers, 429 bodies or learning).
#include "core/client/client.h"
#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "core/sim/simserver.h"
#include "tests/integration/pacing/redisprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUuid>

#include <cstdio>
#include <memory>
#include <vector>

using namespace gp;

namespace {

constexpr int Instances = 4;
constexpr int RequestsPerInstance = 75;

struct Row
{
    int succeeded = 0;
    qint64 wallMs = 0;
    qint64 attempts = 0;
    qint64 refused = 0;
    double utilization = 0.0; // requests / (10 rps x wall); token-bound: tokens / (6,000 + 100/s x wall)
};

Row run(sim::SimServer &sim, const QString &redisUrl, bool told, bool tokenBound)
{
    sim.resetStats();
    PacingConfig pacing;
    pacing.maxInFlight = 16;
    if (told && tokenBound) { // every instance is told the shared limit
        pacing.tokensPerMinute = 6000;
    } else if (told) {
        pacing.requestsPerSecond = 10;
        pacing.requestBurst = 5;
    }
    pacing.redisUrl = redisUrl;
    pacing.redisNamespace = QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::vector<std::unique_ptr<Client>> clients;
    std::vector<std::unique_ptr<RedisLimiter>> limiters; // outlive the schedulers that ask them
    std::vector<std::unique_ptr<Scheduler>> schedulers;
    for (int i = 0; i < Instances; ++i) {
        ClientConfig config;
        config.baseUrl = sim.baseUrl();
        config.apiKey = QStringLiteral("bench-key");
        config.maxInFlight = 16;
        config.randomSeed = quint64(100 + i);
        clients.push_back(std::make_unique<Client>(config));
        schedulers.push_back(std::make_unique<Scheduler>(pacing));
        clients.back()->setPacer(schedulers.back().get());
        if (!redisUrl.isEmpty()) { // wired as the Engine wires them
            limiters.push_back(std::make_unique<RedisLimiter>(RedisLimiterConfig::fromPacing(pacing)));
            schedulers.back()->setSharedLimiter(limiters.back().get());
            limiters.back()->start();
        }
    }
    QEventLoop loop;
    if (!redisUrl.isEmpty()) {
        // Every instance connected before the batch starts, as separate processes would be.
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            for (const auto &s : schedulers) {
                if (!s->sharedLimiter() || !s->sharedLimiter()->isShared())
                    return;
            }
            loop.quit();
        });
        poll.start(10);
        loop.exec();
    }
    Row row;
    QElapsedTimer clock;
    clock.start();
    int finished = 0;
    for (int i = 0; i < Instances; ++i) {
        for (int r = 0; r < RequestsPerInstance; ++r) {
            ChatRequest request;
            request.model = QStringLiteral("grok-4");
            request.messages.append(
                { QStringLiteral("user"), QStringLiteral("Instance %1 request %2").arg(i).arg(r) });
            if (tokenBound)
                request.maxCompletionTokens
                    = 40; // what each answer can take: the estimate a told client reserves
            RequestJob *job = clients[size_t(i)]->submit(request);
            QObject::connect(job, &RequestJob::finished, &loop, [&](const Outcome &outcome) {
                row.succeeded += outcome.isSuccess() ? 1 : 0;
                if (++finished == Instances * RequestsPerInstance) {
                    row.wallMs = clock.elapsed();
                    loop.quit();
                }
            });
        }
    }
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
    guard.start(600000);
    loop.exec();
    if (row.wallMs == 0)
        row.wallMs = clock.elapsed();
    const QJsonObject stats = sim.stats();
    row.attempts = stats.value(QStringLiteral("requests")).toInteger();
    const QJsonObject refused = stats.value(QStringLiteral("rejected_429")).toObject();
    for (auto it = refused.begin(); it != refused.end(); ++it)
        row.refused += it.value().toInteger();
    const double seconds = double(std::max<qint64>(1, row.wallMs)) / 1000.0;
    const double tokens
        = double(stats.value(QStringLiteral("tokens")).toObject().value(QStringLiteral("total")).toInteger());
    row.utilization
        = tokenBound ? tokens / (6000.0 + 100.0 * seconds) : double(row.succeeded) / (10.0 * seconds);
    return row;
}

void print(const char *who, const Row &r)
{
    const int total = Instances * RequestsPerInstance;
    const double seconds = double(std::max<qint64>(1, r.wallMs)) / 1000.0;
    std::printf(
        "  %-13s util %.3f  429s %5.2f%% (%lld of %lld)  lost %3d  attempts/request %.2f  wall %.1f s\n", who,
        r.utilization, r.attempts > 0 ? 100.0 * double(r.refused) / double(r.attempts) : 0.0,
        static_cast<long long>(r.refused), static_cast<long long>(r.attempts), total - r.succeeded,
        double(r.attempts) / double(total), seconds);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    RedisProcess redis;
    if (!redis.start()) {
        std::printf("redis-server did not start\n");
        return 1;
    }
    std::printf("Shared pacing: %d instances x %d requests, one 10 rps quota (burst 5)\n", Instances,
                RequestsPerInstance);
    // "no-headers, xai wording": xAI as it is, the limit stated only in the 429 body.
    // "tpm-bound, xai wording": 6,000 tokens/min, no headers, the limit only in the 429 body.
    for (const char *scenario :
         { "tight-quota", "no-headers", "no-headers, xai wording", "tpm-bound, xai wording" }) {
        sim::SimServer sim;
        QString error;
        sim.setSeed(42);
        const QString name = QString::fromLatin1(scenario).section(u',', 0, 0);
        bool loaded = sim.loadScenario(name, &error);
        if (loaded && QByteArray(scenario).contains("xai")) {
            QFile file(QStringLiteral(":/scenarios/%1.json").arg(name));
            QJsonObject json = file.open(QIODevice::ReadOnly)
                ? QJsonDocument::fromJson(file.readAll()).object()
                : QJsonObject();
            json.insert(QStringLiteral("wording"), QStringLiteral("xai"));
            json.insert(QStringLiteral("headers"), QStringLiteral("none"));
            json.insert(QStringLiteral("retry_after"), QStringLiteral("none"));
            json.insert(QStringLiteral("retry_after_ms"), false);
            loaded = sim.setScenarioJson(json, &error);
        }
        if (!loaded || !sim.listen(0)) {
            std::printf("cannot start the simulator: %s\n", qPrintable(error));
            return 1;
        }
        std::printf("%s\n", scenario);
        const bool tokenBound = name == u"tpm-bound";
        print("Redis, told", run(sim, redis.url(), true, tokenBound));
        print("Redis, untold", run(sim, redis.url(), false, tokenBound));
        print("no Redis, told", run(sim, QString(), true, tokenBound));
    }
    return 0;
}
