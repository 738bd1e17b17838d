#pragma once

#include <QList>
#include <QObject>

class QNetworkAccessManager;
class QNetworkReply;

namespace gp {

class PooledManager;

// Enough QNetworkAccessManagers for the configured concurrency. Qt 6.4 opens at most six
// HTTP/1.1 connections per host in one manager (QHttp1Configuration arrives in 6.5), so
// one manager caps a client at 6 / latency requests per second whatever it allows.
// Each request goes to the least busy manager; a manager whose server answered over
// HTTP/2 (TLS with ALPN) multiplexes, so it takes up to kStreamsPerHttp2Manager. Extra
// managers are made on demand and follow the primary's policy (proxy, redirects, HSTS,
// transfer timeout); all are cookie-free.
class NetworkPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkPool)

public:
    static constexpr int kConnectionsPerManager = 6;
    static constexpr int kStreamsPerHttp2Manager = 100;
    static constexpr int kMaxManagers = 64;

    explicit NetworkPool(int capacity, QObject *parent = nullptr);

    // The manager other users share (model lists); its policy is the pool's policy.
    QNetworkAccessManager *primary() const;
    // Where the next request goes.
    QNetworkAccessManager *pick();
    void setCapacity(int capacity); // requests in flight the pool must carry
    int capacity() const { return m_capacity; }
    int inFlight() const; // unfinished replies over all managers
    int managerCount() const { return int(m_managers.size()); }
    static int managersFor(int capacity);

Q_SIGNALS:
    void inFlightChanged(int inFlight, int capacity);

private:
    PooledManager *addManager();
    void followPrimary(PooledManager *manager) const;
    static int roomOf(const PooledManager *manager);

    QList<PooledManager *> m_managers; // children; [0] is the primary
    int m_capacity = 1;
};

// Stops a reply its owner is done with: no more signals to receiver, and aborted only while its
// manager lives (an abort emits the manager's finished(); with the manager destroyed, Qt 6.4
// crashes there). The owner still deletes it.
void stopReply(QNetworkReply *reply, const QObject *receiver);

} // namespace gp
