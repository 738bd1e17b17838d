#include "core/pacing/redisconnection.h"

#include <hiredis/adapters/qt.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <vector>

namespace gp {

struct RedisConnection::Pending
{
    ReplyHandler onReply;
};

RedisConnection::RedisConnection(Handlers handlers)
    : m_handlers(std::move(handlers))
{ }

RedisConnection::~RedisConnection()
{
    close();
    freeRetired();
}

void RedisConnection::freeRetired()
{
    for (const auto &[adapter, dummy] : std::as_const(m_retired)) {
        delete adapter;
        delete dummy;
    }
    m_retired.clear();
}

bool RedisConnection::open(const QString &host, int port, QString *why)
{
    freeRetired(); // contexts of earlier connections are gone by now: their adapters can go too
    if (m_context)
        return true;
    redisAsyncContext *context = redisAsyncConnect(host.toUtf8().constData(), port);
    if (!context || context->err) {
        if (why)
            *why = context ? QString::fromLocal8Bit(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        return false;
    }
    m_context = context;
    m_context->data = this;
    m_adapter = new RedisQtAdapter();
    m_adapter->setContext(m_context);
    redisAsyncSetConnectCallback(m_context, &RedisConnection::connectCallback);
    redisAsyncSetDisconnectCallback(m_context, &RedisConnection::disconnectCallback);
    return true;
}

void RedisConnection::retireAdapter()
{
    if (!m_adapter)
        return;
    // The adapter's destructor writes to its context: point it at a dummy we own, so the
    // real context may be freed by hiredis first (the real one still calls its cleanup).
    auto *dummy = new redisAsyncContext {};
    m_adapter->setContext(dummy);
    m_retired.append({ m_adapter, dummy });
    m_adapter = nullptr;
}

void RedisConnection::close()
{
    if (!m_context)
        return;
    redisAsyncContext *context = m_context;
    m_context = nullptr;
    context->data = nullptr; // callbacks from the teardown below find no owner
    retireAdapter();
    redisAsyncFree(context);
}

void RedisConnection::connectCallback(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    if (status == REDIS_OK) {
        self->m_handlers.connected();
        return;
    }
    // hiredis frees the context after this callback.
    self->m_context = nullptr;
    self->retireAdapter();
    self->m_handlers.lost(QString::fromLocal8Bit(context->errstr));
}

void RedisConnection::disconnectCallback(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    self->m_context = nullptr;
    self->retireAdapter();
    self->m_handlers.lost(status == REDIS_OK ? QStringLiteral("connection closed")
                                             : QString::fromLocal8Bit(context->errstr));
}

void RedisConnection::send(const QList<QByteArray> &argv, ReplyHandler onReply)
{
    if (!m_context)
        return;
    std::vector<const char *> parts;
    std::vector<size_t> lengths;
    for (const QByteArray &part : argv) {
        parts.push_back(part.constData());
        lengths.push_back(size_t(part.size()));
    }
    auto *pending = new Pending { std::move(onReply) };
    if (redisAsyncCommandArgv(m_context, &RedisConnection::replyCallback, pending, int(parts.size()),
                              parts.data(), lengths.data())
        != REDIS_OK)
        delete pending;
}

void RedisConnection::replyCallback(redisAsyncContext *context, void *reply, void *privdata)
{
    std::unique_ptr<Pending> pending(static_cast<Pending *>(privdata));
    // No reply: the connection is being torn down; no owner: it is being destroyed.
    if (!reply || !context->data || !pending || !pending->onReply)
        return;
    pending->onReply(reply);
}

} // namespace gp
