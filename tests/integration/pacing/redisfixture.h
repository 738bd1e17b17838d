#pragma once

#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "tests/integration/pacing/redisprocess.h"

#include <QByteArray>
#include <QString>

// What the Redis limiter's tests share: a redis-server, a config on it, and asking for permits.
namespace redistest {

gp::PaceTicket ticket(quint64 id);
// GET of one key over a separate connection (RESP by hand); empty when missing or on error.
QByteArray redisGet(quint16 port, const QByteArray &key);
gp::PaceFeedback response(quint64 id, int status, const gp::QuotaSnapshot &quota = {});

struct Answer
{
    bool granted = false;
    qint64 waitMs = 0;
};

class RedisFixture
{
protected:
    gp::RedisLimiterConfig config(double rps, double burst, double tpm = 0) const;
    static Answer ask(gp::RedisLimiter &limiter, quint64 ticket, qint64 tokens);
    // Asks until granted, honouring each answer's wait, for at most boundMs.
    static Answer askUntilGranted(gp::RedisLimiter &limiter, quint64 ticket, qint64 boundMs,
                                  int *asks = nullptr);

    RedisProcess m_redis;
    QString m_namespace;
};

} // namespace redistest
