#include "core/pacing/redislimiter.h"

#include "core/pacing/redisscripts.h"

#include <hiredis/hiredis.h>

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QUuid>

#include <algorithm>

namespace gp {

using redisscripts::Script;

namespace {
QByteArray sha1Hex(const QByteArray &script)
{
    return QCryptographicHash::hash(script, QCryptographicHash::Sha1).toHex();
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 17);
}
} // namespace

RedisLimiterConfig RedisLimiterConfig::fromPacing(const PacingConfig &pacing)
{
    RedisLimiterConfig c;
    c.url = pacing.redisUrl;
    c.keyNamespace = pacing.redisNamespace;
    c.model = pacing.redisModel.isEmpty() ? QStringLiteral("default") : pacing.redisModel;
    c.requestsPerSecond = pacing.requestsPerSecond;
    c.requestBurst = pacing.requestBurst;
    c.tokensPerMinute = pacing.tokensPerMinute;
    c.tokenBurst = pacing.tokenBurst;
    c.fallbackShare = pacing.fallbackShare;
    c.adaptive = pacing.adaptive;
    c.adaptiveBeta = pacing.adaptiveBeta;
    c.adaptiveCubicC = pacing.adaptiveCubicC;
    c.minHoldMs = pacing.minHoldAfter429Ms;
    return c;
}

RedisLimiter::RedisLimiter(const RedisLimiterConfig &config, QObject *parent)
    : SharedLimiter(parent)
    , m_config(config)
    , m_instanceId(QUuid::createUuid().toByteArray(QUuid::WithoutBraces))
    , m_connection({ [this] { onConnected(); }, [this](const QString &why) { onLost(why); } })
    , m_reconnectBackoff(JitterKind::Equal, config.reconnectMinMs, config.reconnectMaxMs, 2.0,
                         [] { return QRandomGenerator::global()->generateDouble(); })
{
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &RedisLimiter::connectNow);
    connect(&m_heartbeat, &QTimer::timeout, this, &RedisLimiter::beat);
    m_askTimeout.setSingleShot(true);
    connect(&m_askTimeout, &QTimer::timeout, this, [this] {
        m_connection.close();
        onLost(QStringLiteral("no answer within %1 ms").arg(m_config.commandTimeoutMs));
    });
}

RedisLimiter::~RedisLimiter() = default;

bool RedisLimiter::start(QString *error)
{
    const auto url = RedisUrl::parse(m_config.url, error);
    if (!url)
        return false;
    m_url = *url;
    m_heartbeat.start(int(std::max<qint64>(100, m_config.heartbeatMs)));
    connectNow();
    return true;
}

double RedisLimiter::fallbackShare() const
{
    if (m_config.fallbackShare > 0.0)
        return std::min(1.0, m_config.fallbackShare);
    return 1.0 / double(std::max(1, m_instances));
}

QByteArray RedisLimiter::key(const char *suffix) const
{
    return m_config.keyNamespace.toUtf8() + ':' + m_config.model.toUtf8() + ':' + suffix;
}

void RedisLimiter::connectNow()
{
    if (m_connection.isOpen())
        return;
    QString why;
    if (!m_connection.open(m_url.host, m_url.port, &why)) {
        onLost(why);
        return;
    }
    // Queued until the connection is up, and answered in order.
    if (!m_url.password.isEmpty()) {
        if (m_url.user.isEmpty())
            command({ "AUTH", m_url.password.toUtf8() });
        else
            command({ "AUTH", m_url.user.toUtf8(), m_url.password.toUtf8() });
    }
    if (m_url.db != 0)
        command({ "SELECT", QByteArray::number(m_url.db) });
    loadScripts();
}

void RedisLimiter::onConnected()
{
    m_ready = true;
    m_reconnectBackoff.reset();
    if (m_warned) {
        m_warned = false;
        qInfo("Redis at %s is back: shared pacing resumed", qPrintable(m_url.toDisplayString()));
        Q_EMIT warning(
            QStringLiteral("Redis at %1 is back: shared pacing resumed.").arg(m_url.toDisplayString()));
    }
    beat();
    Q_EMIT sharedChanged();
}

void RedisLimiter::onLost(const QString &why)
{
    m_ready = false;
    m_ask.reset();
    m_askTimeout.stop();
    if (!m_warned) {
        m_warned = true; // once per outage
        const QString message
            = QStringLiteral("Redis at %1 is unreachable (%2): pacing locally on %3% of the "
                             "limit until it is back.")
                  .arg(m_url.toDisplayString(), why)
                  .arg(qRound(fallbackShare() * 100.0));
        qWarning("%s", qPrintable(message));
        Q_EMIT warning(message);
    }
    Q_EMIT sharedChanged();
    m_reconnect.start(int(std::max<qint64>(1, m_reconnectBackoff.nextBackOffMs())));
}

void RedisLimiter::loadScripts()
{
    for (const QByteArray *script : redisscripts::all())
        command({ "SCRIPT", "LOAD", *script });
}

void RedisLimiter::beat()
{
    if (!m_ready)
        return;
    evalsha(Call::Heartbeat, Script::Heartbeat,
            { m_config.keyNamespace.toUtf8() + ":instances",
              m_config.keyNamespace.toUtf8() + ":instance:" + m_instanceId },
            { m_instanceId, QByteArray::number(m_config.instanceTtlMs) });
}

void RedisLimiter::requestPermit(quint64 ticketId, qint64 tokens)
{
    if (!m_ready) {
        // Not shared right now: answer on the next turn of the event loop.
        QTimer::singleShot(0, this, [this, ticketId] { Q_EMIT permitDeferred(ticketId, 0); });
        return;
    }
    m_ask = std::make_pair(ticketId, std::max<qint64>(0, tokens));
    m_askTimeout.start(int(std::max<qint64>(1, m_config.commandTimeoutMs)));
    sendAdmit();
}

void RedisLimiter::sendAdmit()
{
    if (!m_ask)
        return;
    const double tokenBurst = m_config.tokenBurst > 0 ? m_config.tokenBurst : m_config.tokensPerMinute;
    evalsha(
        Call::Admit, Script::Admit,
        { key("req"), key("tok"), key("hold"), key("rate"), key("burst"), key("learn"), key("slowstart") },
        { number(m_config.requestsPerSecond), number(std::max(0.0, m_config.requestBurst)),
          number(m_config.tokensPerMinute), number(tokenBurst), QByteArray::number(m_ask->second),
          m_config.adaptive ? "1" : "0", number(m_config.minRps) });
}

void RedisLimiter::settleTokens(qint64 delta)
{
    if (!m_ready || delta == 0 || m_config.tokensPerMinute <= 0)
        return;
    const double tokenBurst = m_config.tokenBurst > 0 ? m_config.tokenBurst : m_config.tokensPerMinute;
    evalsha(Call::Settle, Script::Settle, { key("tok") },
            { number(m_config.tokensPerMinute), number(tokenBurst), QByteArray::number(delta) });
}

void RedisLimiter::publishServerPace(double requestsPerSecond, double burst)
{
    if (!m_ready)
        return;
    if (requestsPerSecond > 0)
        evalsha(Call::Other, Script::LowerRate, { key("rate") },
                { number(requestsPerSecond), "60000", QByteArray::number(m_config.paceRefreshMs) });
    if (burst >= 1)
        evalsha(Call::Other, Script::RaiseBurst, { key("burst") }, { number(burst), "600000" });
}

void RedisLimiter::publishHold(qint64 holdMs)
{
    // Bounded: one wrong or far-off hint must not stop every instance for long.
    holdMs = std::min(holdMs, m_config.maxHoldMs);
    if (m_ready && holdMs > 0)
        command({ "SET", key("hold"), "1", "PX", QByteArray::number(holdMs) });
}

void RedisLimiter::publishLearnedRps(double rps)
{
    if (m_ready && rps > 0)
        command({ "SET", key("rate"), number(rps), "PX", "60000" });
}

void RedisLimiter::recordAdmission()
{
    if (m_ready && m_config.adaptive)
        evalsha(Call::Other, Script::Sent, { key("sent") }, {});
}

void RedisLimiter::recordLoss(qint64 admittedAgoMs, qint64 holdMs)
{
    if (!m_ready)
        return;
    holdMs = std::clamp<qint64>(holdMs, 0, m_config.maxHoldMs);
    if (!m_config.adaptive) {
        publishHold(holdMs);
        return;
    }
    evalsha(Call::Loss, Script::Loss, { key("learn"), key("hold"), key("sent"), key("slowstart") },
            { QByteArray::number(std::max<qint64>(0, admittedAgoMs)), QByteArray::number(holdMs),
              number(m_config.adaptiveBeta), number(m_config.adaptiveCubicC * m_config.sharedGrowthScale),
              number(m_config.minRps), QByteArray::number(m_config.minHoldMs) });
}

void RedisLimiter::evalsha(Call call, redisscripts::Script script, const QList<QByteArray> &keys,
                           const QList<QByteArray> &args)
{
    QList<QByteArray> argv { "EVALSHA", sha1Hex(redisscripts::script(script)),
                             QByteArray::number(keys.size()) };
    argv += keys;
    argv += args;
    command(argv, call, call == Call::Admit && m_ask ? m_ask->first : 0);
}

void RedisLimiter::command(const QList<QByteArray> &argv, Call call, quint64 ticket)
{
    m_connection.send(argv, [this, call, ticket](const void *reply) { onReply(call, ticket, reply); });
}

void RedisLimiter::onReply(Call call, quint64 ticket, const void *replyData)
{
    const auto *reply = static_cast<const redisReply *>(replyData);
    if (reply->type == REDIS_REPLY_ERROR) {
        const QByteArray text(reply->str, int(reply->len));
        if (text.startsWith("NOSCRIPT")) {
            loadScripts(); // the server lost its scripts (restart, SCRIPT FLUSH): load and ask again
            if (call == Call::Admit && m_ask && m_ask->first == ticket)
                sendAdmit();
            return;
        }
        qWarning("Redis error: %s", text.constData());
        if (call == Call::Admit && m_ask && m_ask->first == ticket) {
            m_ask.reset();
            m_askTimeout.stop();
            Q_EMIT permitDeferred(ticket, 100);
        }
        return;
    }
    if (call == Call::Heartbeat && reply->type == REDIS_REPLY_INTEGER) {
        m_instances = std::max(1, int(reply->integer));
        return;
    }
    if (call == Call::Loss) {
        if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
            && reply->element[0]->type == REDIS_REPLY_INTEGER && reply->element[0]->integer == 1
            && reply->element[1]->type == REDIS_REPLY_INTEGER)
            m_learnedRps = double(reply->element[1]->integer) / 1000.0;
        return;
    }
    if (call == Call::Admit)
        onAdmitReply(ticket, replyData);
}

void RedisLimiter::onAdmitReply(quint64 ticket, const void *replyData)
{
    const auto *reply = static_cast<const redisReply *>(replyData);
    if (!m_ask || m_ask->first != ticket)
        return;
    m_ask.reset();
    m_askTimeout.stop();
    const bool shaped = reply->type == REDIS_REPLY_ARRAY && reply->elements >= 2
        && reply->element[0]->type == REDIS_REPLY_INTEGER && reply->element[1]->type == REDIS_REPLY_INTEGER;
    const bool granted = shaped && reply->element[0]->integer == 1;
    const qint64 waitMs = shaped ? std::max<qint64>(1, reply->element[1]->integer) : 100;
    if (shaped && reply->elements >= 3 && reply->element[2]->type == REDIS_REPLY_INTEGER)
        m_learnedBurst = double(std::max<long long>(0, reply->element[2]->integer));
    if (granted)
        Q_EMIT permitGranted(ticket);
    else
        Q_EMIT permitDeferred(ticket, waitMs);
}

} // namespace gp
