#pragma once

#include "core/pacing/cubicrule.h"
#include "core/pacing/pacingconfig.h"
#include "core/pacing/redisconnection.h"
#include "core/pacing/redisscripts.h"
#include "core/pacing/redisurl.h"
#include "core/pacing/sharedlimiter.h"
#include "core/policy/backoff.h"

#include <QByteArray>
#include <QList>
#include <QTimer>

#include <optional>

namespace gp {

struct RedisLimiterConfig
{
    QString url; // redis://[user:password@]host:port/db
    QString keyNamespace = QStringLiteral("grokpulse");
    QString model = QStringLiteral("default"); // keys are namespace + model
    double requestsPerSecond = 0.0; // the shared limit; 0 = only published or learned rates
    double requestBurst = 0.0; // 0 = learned from quota headers, else 1 (a server's may be small)
    double tokensPerMinute = 0.0;
    double tokenBurst = 0.0; // 0 = tokensPerMinute
    double fallbackShare = 0.0; // while Redis is down; 0 = 1 / last seen instances
    qint64 heartbeatMs = 1000;
    qint64 instanceTtlMs = 3000;
    qint64 commandTimeoutMs = 1000; // an unanswered ask counts as Redis down
    qint64 reconnectMinMs = 250; // reconnect after an equal-jitter backoff doubling from this...
    qint64 reconnectMaxMs = 5000; // ...up to this
    qint64 maxHoldMs = 30000; // a published hold never pauses every instance longer
    qint64 paceRefreshMs = 5000; // a published server rate stands unless lower for this long
    // The shared learned limit (no quota headers, nothing configured): the rule of
    // core/pacing/cubicrule.h, as AdaptiveLimiter runs it for one instance.
    bool adaptive = true;
    double adaptiveBeta = cubic::Beta;
    double adaptiveCubicC = cubic::GrowthC;
    // Growth of the shared limit relative to adaptiveCubicC: a loss cycle of about 10 s (one 429
    // per ~100 requests, at any rate) instead of ~3 s, which left 3% 429s across 4 instances.
    double sharedGrowthScale = 0.01;
    double minRps = cubic::MinRps;
    qint64 minHoldMs = cubic::MinHoldMs; // pause after a loss without a server hint

    static RedisLimiterConfig fromPacing(const PacingConfig &pacing);
};

// The Scheduler's request and token gates, shared by every instance through Redis:
// one Lua script admits atomically (GCRA for requests, a token bucket for tokens, a hold
// after any instance's 429, the freshest published rate), on hiredis's Qt adapter so
// nothing blocks the event loop. One outstanding ask at a time: the Scheduler asks for
// its head ticket and admits on the answer (simple, exact, and one round trip on
// loopback is far below a 100 ms request interval). Redis down: isShared() turns false,
// the Scheduler paces locally on fallbackShare(), one warning, reconnect with backoff.
class RedisLimiter final : public SharedLimiter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RedisLimiter)

public:
    explicit RedisLimiter(const RedisLimiterConfig &config, QObject *parent = nullptr);
    ~RedisLimiter() override;

    // Parses the URL and starts connecting; false (with a reason) on a bad URL.
    bool start(QString *error = nullptr);

    bool isShared() const override { return m_ready; }
    double fallbackShare() const override;
    void requestPermit(quint64 ticketId, qint64 tokens) override;
    void settleTokens(qint64 delta) override;
    void publishServerPace(double requestsPerSecond, double burst) override;
    void publishHold(qint64 holdMs) override;
    void publishLearnedRps(double rps) override;
    void recordAdmission() override;
    void recordLoss(qint64 admittedAgoMs, qint64 holdMs) override;
    std::optional<double> learnedRps() const override { return m_learnedRps; }
    double learnedBurst() const override { return m_learnedBurst; }

    int instanceCount() const override { return m_instances; }
    QString instanceId() const { return QString::fromLatin1(m_instanceId); }
    const RedisLimiterConfig &config() const { return m_config; }

private:
    enum class Call { Admit, Settle, Heartbeat, Loss, Other };

    void connectNow();
    void onConnected();
    void onLost(const QString &why);
    void loadScripts();
    void beat();
    void sendAdmit();
    void evalsha(Call call, redisscripts::Script script, const QList<QByteArray> &keys,
                 const QList<QByteArray> &args);
    void command(const QList<QByteArray> &argv, Call call = Call::Other, quint64 ticket = 0);
    void onReply(Call call, quint64 ticket, const void *reply);
    void onAdmitReply(quint64 ticket, const void *reply);
    QByteArray key(const char *suffix) const;

    RedisLimiterConfig m_config;
    RedisUrl m_url;
    QByteArray m_instanceId;
    RedisConnection m_connection;
    bool m_ready = false; // connected and scripts usable
    bool m_warned = false; // one warning per outage
    int m_instances = 1;
    Backoff m_reconnectBackoff;
    std::optional<double> m_learnedRps; // the shared learned limit after this instance's last loss
    double m_learnedBurst = 0.0; // the largest remaining any instance saw, as of the last answer
    std::optional<std::pair<quint64, qint64>> m_ask; // (ticket, tokens) awaiting an answer
    QTimer m_reconnect;
    QTimer m_heartbeat;
    QTimer m_askTimeout;
};

} // namespace gp
