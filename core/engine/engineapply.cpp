// Engine::apply(): a new configuration pushed into the running parts, setting by setting.
#include "core/client/client.h"
#include "core/engine/engine.h"
#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "core/telemetry/telemetry.h"

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

auto retryPolicy(const RetryConfig &r)
{
    return std::tuple(r.jitter, r.baseMs, r.capMs, r.multiplier, r.maxAttempts, r.stretchWhileAnswering,
                      r.hintCeilingMs);
}

auto retryBudget(const EngineConfig &c)
{
    const RetryConfig &r = c.client.retry;
    return std::tuple(r.budgetRatio, r.budgetMinPerSecond, r.budgetWindowMs, c.pacing.retryBudgetRatio,
                      c.pacing.retryBudgetMinPerSecond);
}

auto limits(const PacingConfig &p)
{
    return std::tuple(p.requestsPerSecond, p.requestsPerMinute, p.requestBurst, p.tokensPerMinute,
                      p.tokenBurst);
}

auto otherPacing(const EngineConfig &c)
{
    const PacingConfig &p = c.pacing;
    return std::tuple(c.paced, p.maxQueued, p.agingMs, p.useServerQuota, p.probeFirst, p.minHoldAfter429Ms,
                      p.adaptiveBeta, p.adaptiveCubicC, p.stateThrottleMs, c.limitMemory.enabled,
                      c.limitMemory.path, c.limitMemory.expiryMs);
}

auto journal(const JournalConfig &j)
{
    return std::tuple(j.path, j.flushIntervalMs, j.batchSize, j.maxQueuedEvents, j.retentionDays,
                      j.maxSizeBytes, j.rotateIntervalMs, j.hardLimitBytes);
}

auto simulator(const std::optional<SimulatorConfig> &s)
{
    return s ? std::tuple(true, s->scenario, s->seed, s->requiredApiKey)
             : std::tuple(false, QString(), std::optional<quint64>(), QString());
}

// Every setting that differs between the two, in EngineSetting order.
QList<EngineSetting> changedSettings(const EngineConfig &a, const EngineConfig &b)
{
    const ClientConfig &ca = a.client;
    const ClientConfig &cb = b.client;
    const std::pair<EngineSetting, bool> checks[] = {
        { EngineSetting::Endpoint, ca.baseUrl != cb.baseUrl || ca.allowInsecureHttp != cb.allowInsecureHttp },
        { EngineSetting::DefaultModel,
          ca.defaultModel != cb.defaultModel || a.pacing.redisModel != b.pacing.redisModel },
        { EngineSetting::Retry, retryPolicy(ca.retry) != retryPolicy(cb.retry) },
        { EngineSetting::Timeouts, !(ca.timeouts == cb.timeouts) },
        { EngineSetting::Breaker, !(ca.breaker == cb.breaker) },
        { EngineSetting::Concurrency, ca.maxInFlight != cb.maxInFlight },
        { EngineSetting::Limits, limits(a.pacing) != limits(b.pacing) },
        { EngineSetting::Adaptive, a.pacing.adaptive != b.pacing.adaptive },
        { EngineSetting::Priorities, a.pacing.interactiveReserve != b.pacing.interactiveReserve },
        { EngineSetting::RetryBudget, retryBudget(a) != retryBudget(b) },
        { EngineSetting::Pacing, otherPacing(a) != otherPacing(b) },
        { EngineSetting::Redis,
          std::tuple(a.pacing.redisUrl, a.pacing.redisNamespace, a.pacing.fallbackShare)
              != std::tuple(b.pacing.redisUrl, b.pacing.redisNamespace, b.pacing.fallbackShare) },
        { EngineSetting::Alerts, !(a.telemetry.alerts == b.telemetry.alerts) },
        { EngineSetting::Journal, journal(a.journal) != journal(b.journal) },
        { EngineSetting::Metrics,
          std::tuple(a.telemetry.enabled, a.telemetry.metricsPort)
              != std::tuple(b.telemetry.enabled, b.telemetry.metricsPort) },
        { EngineSetting::Simulator, simulator(a.simulator) != simulator(b.simulator) },
    };
    QList<EngineSetting> changed;
    for (const auto &[setting, differs] : checks) {
        if (differs)
            changed.append(setting);
    }
    return changed;
}

// Copies one live setting's fields.
void copySetting(EngineSetting setting, const EngineConfig &from, EngineConfig *to)
{
    switch (setting) {
    case EngineSetting::Retry:
    case EngineSetting::RetryBudget:
        to->client.retry = from.client.retry;
        to->pacing.retryBudgetRatio = from.pacing.retryBudgetRatio;
        to->pacing.retryBudgetMinPerSecond = from.pacing.retryBudgetMinPerSecond;
        break;
    case EngineSetting::Timeouts: to->client.timeouts = from.client.timeouts; break;
    case EngineSetting::Concurrency: to->client.maxInFlight = from.client.maxInFlight; break;
    case EngineSetting::Limits:
        std::tie(to->pacing.requestsPerSecond, to->pacing.requestsPerMinute, to->pacing.requestBurst,
                 to->pacing.tokensPerMinute, to->pacing.tokenBurst)
            = limits(from.pacing);
        break;
    case EngineSetting::Adaptive: to->pacing.adaptive = from.pacing.adaptive; break;
    case EngineSetting::Priorities: to->pacing.interactiveReserve = from.pacing.interactiveReserve; break;
    case EngineSetting::Alerts: to->telemetry.alerts = from.telemetry.alerts; break;
    case EngineSetting::DefaultModel:
        to->client.defaultModel = from.client.defaultModel;
        to->pacing.redisModel = from.pacing.redisModel;
        break;
    case EngineSetting::Redis:
        to->pacing.redisUrl = from.pacing.redisUrl;
        to->pacing.redisNamespace = from.pacing.redisNamespace;
        to->pacing.fallbackShare = from.pacing.fallbackShare;
        break;
    default: break; // read only at start
    }
}

bool blocksApply(const ConfigProblem &problem, bool degraded)
{
    return !degraded || problem.field == ConfigField::Limits || problem.field == ConfigField::Retry;
}

} // namespace

bool Engine::canApplyNow(EngineSetting setting) const
{
    if (!engineSettingIsLive(setting))
        return false;
    switch (setting) {
    case EngineSetting::Limits:
    case EngineSetting::Adaptive:
    case EngineSetting::Priorities:
    case EngineSetting::RetryBudget:
    case EngineSetting::Redis: return m_scheduler != nullptr; // unpaced: the pass-through pacer's
    case EngineSetting::Alerts: return m_telemetry != nullptr;
    default: return true;
    }
}

ApplyReport Engine::apply(const EngineConfig &next)
{
    ApplyReport report;
    report.problems = validateEngineConfig(next);
    const bool degraded = m_config.runDegraded;
    if (std::any_of(report.problems.cbegin(), report.problems.cend(),
                    [degraded](const ConfigProblem &p) { return blocksApply(p, degraded); })) {
        report.refused = true;
        return report;
    }
    const QList<EngineSetting> changed = changedSettings(m_given, next);
    if (!isRunning()) { // all of it is read when start() runs
        m_given = m_config = next;
        report.applied = changed;
        return report;
    }
    const bool redisBad = std::any_of(report.problems.cbegin(), report.problems.cend(),
                                      [](const ConfigProblem &p) { return p.field == ConfigField::Redis; });
    for (const EngineSetting setting : changed) {
        if (setting == EngineSetting::Redis && redisBad)
            continue; // said in problems; the running quota stays
        if (!canApplyNow(setting)) {
            report.needsRestart.append(setting);
            continue;
        }
        report.applied.append(setting);
        copySetting(setting, next, &m_given);
        copySetting(setting, next, &m_config);
    }
    if (report.applied.isEmpty())
        return report;
    m_client->setRetry(m_config.client.retry);
    m_client->setTimeouts(m_config.client.timeouts);
    m_client->setConcurrencyCap(m_config.client.maxInFlight);
    m_client->setDefaultModel(m_config.client.defaultModel);
    if (m_scheduler) {
        m_config.pacing.maxInFlight = m_config.client.maxInFlight; // one concurrency, the client's
        m_scheduler->setLimits(m_config.pacing);
    }
    if (m_telemetry)
        m_telemetry->setAlertConfig(m_config.telemetry.alerts);
    const bool newQuotaKey = report.applied.contains(EngineSetting::DefaultModel) && m_redis;
    if (report.applied.contains(EngineSetting::Redis) || newQuotaKey) {
        if (const auto problem = replaceRedis())
            report.problems.append(*problem);
    }
    return report;
}

// The shared quota of the new URL (none when empty): the old limiter goes, local pacing holds
// in between, and the new one joins its instances as at start.
std::optional<ConfigProblem> Engine::replaceRedis()
{
    m_scheduler->setSharedLimiter(nullptr);
    m_redis.reset();
    if (m_config.pacing.redisUrl.isEmpty())
        return std::nullopt;
    return startRedis();
}

QString engineSettingName(EngineSetting setting)
{
    switch (setting) {
    case EngineSetting::Endpoint: return u"endpoint"_s;
    case EngineSetting::DefaultModel: return u"default model"_s;
    case EngineSetting::Retry: return u"retries"_s;
    case EngineSetting::Timeouts: return u"timeouts"_s;
    case EngineSetting::Breaker: return u"circuit breaker"_s;
    case EngineSetting::Concurrency: return u"requests in flight"_s;
    case EngineSetting::Limits: return u"rate limits"_s;
    case EngineSetting::Adaptive: return u"adaptive pacing"_s;
    case EngineSetting::Priorities: return u"interactive share"_s;
    case EngineSetting::RetryBudget: return u"retry budget"_s;
    case EngineSetting::Pacing: return u"pacing"_s;
    case EngineSetting::Redis: return u"Redis"_s;
    case EngineSetting::Alerts: return u"alert thresholds"_s;
    case EngineSetting::Journal: return u"journal"_s;
    case EngineSetting::Metrics: return u"metrics port"_s;
    case EngineSetting::Simulator: return u"simulator scenario"_s;
    }
    return u"endpoint"_s;
}

bool engineSettingIsLive(EngineSetting setting)
{
    switch (setting) {
    case EngineSetting::DefaultModel:
    case EngineSetting::Retry:
    case EngineSetting::Timeouts:
    case EngineSetting::Concurrency:
    case EngineSetting::Limits:
    case EngineSetting::Adaptive:
    case EngineSetting::Priorities:
    case EngineSetting::RetryBudget:
    case EngineSetting::Redis:
    case EngineSetting::Alerts: return true;
    default: return false;
    }
}

} // namespace gp
