#include "core/client/networkpool.h"

#include "core/client/pooledmanager.h"

#include <QNetworkProxy>
#include <QNetworkReply>

#include <algorithm>

namespace gp {

NetworkPool::NetworkPool(int capacity, QObject *parent)
    : QObject(parent)
    , m_capacity(std::max(1, capacity))
{
    addManager();
}

int NetworkPool::managersFor(int capacity)
{
    const int wanted = (std::max(1, capacity) + kConnectionsPerManager - 1) / kConnectionsPerManager;
    return std::clamp(wanted, 1, kMaxManagers);
}

QNetworkAccessManager *NetworkPool::primary() const
{
    return m_managers.first();
}

void NetworkPool::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
}

int NetworkPool::inFlight() const
{
    int total = 0;
    for (const PooledManager *manager : m_managers)
        total += manager->active();
    return total;
}

int NetworkPool::roomOf(const PooledManager *manager)
{
    return (manager->http2Seen() ? kStreamsPerHttp2Manager : kConnectionsPerManager) - manager->active();
}

PooledManager *NetworkPool::addManager()
{
    auto *manager = new PooledManager(this);
    connect(manager, &PooledManager::activeChanged, this,
            [this] { Q_EMIT inFlightChanged(inFlight(), m_capacity); });
    m_managers.append(manager);
    return manager;
}

void NetworkPool::followPrimary(PooledManager *manager) const
{
    const QNetworkAccessManager *p = primary();
    if (manager == p)
        return;
    if (manager->proxy() != p->proxy())
        manager->setProxy(p->proxy());
    manager->setRedirectPolicy(p->redirectPolicy());
    manager->setStrictTransportSecurityEnabled(p->isStrictTransportSecurityEnabled());
    manager->setTransferTimeout(p->transferTimeout());
}

QNetworkAccessManager *NetworkPool::pick()
{
    // The most room wins; ties go to the earliest, whose connections are warm.
    PooledManager *best = m_managers.first();
    for (PooledManager *manager : std::as_const(m_managers)) {
        if (roomOf(manager) > roomOf(best))
            best = manager;
    }
    if (roomOf(best) <= 0 && m_managers.size() < managersFor(m_capacity))
        best = addManager();
    followPrimary(best);
    return best;
}

void stopReply(QNetworkReply *reply, const QObject *receiver)
{
    reply->disconnect(receiver);
    if (reply->manager() && reply->isRunning())
        reply->abort();
}

} // namespace gp
