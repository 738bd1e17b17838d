#include "core/engine/engineconfig.h"

#include "core/client/chatendpoint.h"
#include "core/pacing/redisurl.h"
#include "core/wire/apiurl.h"

using namespace Qt::StringLiterals;

namespace gp {

namespace {

void checkEndpoint(const EngineConfig &config, QList<ConfigProblem> *problems)
{
    if (config.simulator)
        return; // the simulator's loopback URL replaces it
    const QUrl &base = config.client.baseUrl;
    if (const QString problem = ChatEndpoint::baseUrlProblem(base); !problem.isEmpty()) {
        problems->append({ ConfigField::Endpoint, problem });
        return;
    }
    const QString refusal = ChatEndpoint::insecureRefusal(joinApiUrl(base, u"chat/completions"_s),
                                                          config.client.allowInsecureHttp);
    if (!refusal.isEmpty())
        problems->append({ ConfigField::Endpoint, refusal });
}

void checkRedis(const EngineConfig &config, QList<ConfigProblem> *problems)
{
    if (config.pacing.redisUrl.isEmpty())
        return;
    if (!config.paced) {
        problems->append({ ConfigField::Redis, u"a shared quota in Redis needs pacing, which is off"_s });
        return;
    }
    QString error;
    if (!RedisUrl::parse(config.pacing.redisUrl, &error))
        problems->append({ ConfigField::Redis, error });
}

void checkLimits(const EngineConfig &config, QList<ConfigProblem> *problems)
{
    const auto problem = [problems](const QString &message) {
        problems->append({ ConfigField::Limits, message });
    };
    if (config.client.maxInFlight < 1)
        problem(u"the concurrency must be at least 1 (it is %1)"_s.arg(config.client.maxInFlight));
    if (!config.paced)
        return;
    const PacingConfig &p = config.pacing;
    const std::pair<double, QString> rates[] = { { p.requestsPerSecond, u"requests per second"_s },
                                                 { p.requestsPerMinute, u"requests per minute"_s },
                                                 { p.tokensPerMinute, u"tokens per minute"_s },
                                                 { p.requestBurst, u"the request burst"_s },
                                                 { p.tokenBurst, u"the token burst"_s } };
    for (const auto &[value, name] : rates) {
        if (value < 0.0)
            problem(u"%1 cannot be negative (it is %2)"_s.arg(name).arg(value));
    }
    if (p.requestBurst > 0.0 && p.requestsPerSecond <= 0.0)
        problem(u"a request burst is set without a requests-per-second limit to burst over"_s);
    if (p.tokenBurst > 0.0 && p.tokensPerMinute <= 0.0)
        problem(u"a token burst is set without a tokens-per-minute limit to burst over"_s);
    if (p.maxQueued < 1)
        problem(u"the queue must hold at least one request"_s);
}

void checkRetry(const EngineConfig &config, QList<ConfigProblem> *problems)
{
    const RetryConfig &r = config.client.retry;
    if (r.maxAttempts < 1)
        problems->append({ ConfigField::Retry,
                           u"at least one attempt is needed (max attempts is %1)"_s.arg(r.maxAttempts) });
    if (r.baseMs < 0 || r.capMs < r.baseMs)
        problems->append(
            { ConfigField::Retry,
              u"the backoff cap (%1 ms) is below its base (%2 ms)"_s.arg(r.capMs).arg(r.baseMs) });
}

} // namespace

QString configFieldName(ConfigField field)
{
    switch (field) {
    case ConfigField::Endpoint: return u"endpoint"_s;
    case ConfigField::Redis: return u"redis"_s;
    case ConfigField::Limits: return u"limits"_s;
    case ConfigField::Retry: return u"retry"_s;
    case ConfigField::Journal: return u"journal"_s;
    case ConfigField::Metrics: return u"metrics"_s;
    case ConfigField::Simulator: return u"simulator"_s;
    }
    return u"endpoint"_s;
}

QList<ConfigProblem> validateEngineConfig(const EngineConfig &config)
{
    QList<ConfigProblem> problems;
    checkEndpoint(config, &problems);
    checkRedis(config, &problems);
    checkLimits(config, &problems);
    checkRetry(config, &problems);
    if (config.telemetry.metricsPort > 65535)
        problems.append({ ConfigField::Metrics, u"no such port: %1"_s.arg(config.telemetry.metricsPort) });
    return problems;
}

} // namespace gp
