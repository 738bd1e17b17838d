#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <utility>

struct redisAsyncContext;
class RedisQtAdapter;

namespace gp {

// One hiredis connection on the Qt event loop (hiredis's Qt adapter): connects, sends commands,
// hands each reply to its handler in order, and tears down so that no callback reaches an
// owner that is gone. Not a QObject: the owner is told through the handlers.
class RedisConnection final
{
    Q_DISABLE_COPY_MOVE(RedisConnection)

public:
    struct Handlers
    {
        std::function<void()> connected;
        std::function<void(const QString &why)> lost; // a failed connect or a closed connection
    };
    using ReplyHandler = std::function<void(const void *reply)>; // a redisReply, never null

    explicit RedisConnection(Handlers handlers);
    ~RedisConnection();

    // Starts connecting; false (with why) when hiredis could not even begin. Commands sent
    // before the connection is up are queued and answered in order.
    bool open(const QString &host, int port, QString *why);
    // Drops the connection; no handler runs for what was pending.
    void close();
    bool isOpen() const { return m_context != nullptr; }
    void send(const QList<QByteArray> &argv, ReplyHandler onReply);

private:
    struct Pending;

    void retireAdapter();
    void freeRetired();
    static void connectCallback(const redisAsyncContext *context, int status);
    static void disconnectCallback(const redisAsyncContext *context, int status);
    static void replyCallback(redisAsyncContext *context, void *reply, void *privdata);

    Handlers m_handlers;
    redisAsyncContext *m_context = nullptr;
    RedisQtAdapter *m_adapter = nullptr;
    QList<std::pair<RedisQtAdapter *, redisAsyncContext *>> m_retired; // adapters of dead connections
};

} // namespace gp
