#include "core/client/pooledmanager.h"

#include <QNetworkCookie>
#include <QNetworkCookieJar>
#include <QNetworkReply>

namespace gp {

namespace {

// Stores nothing and sends nothing.
class NoCookies final : public QNetworkCookieJar
{
public:
    using QNetworkCookieJar::QNetworkCookieJar;
    QList<QNetworkCookie> cookiesForUrl(const QUrl &) const override { return {}; }
    bool setCookiesFromUrl(const QList<QNetworkCookie> &, const QUrl &) override { return false; }
};

} // namespace

PooledManager::PooledManager(QObject *parent)
    : QNetworkAccessManager(parent)
{
    setCookieJar(new NoCookies(this));
}

QNetworkReply *PooledManager::createRequest(Operation op, const QNetworkRequest &request,
                                            QIODevice *outgoingData)
{
    QNetworkReply *reply = QNetworkAccessManager::createRequest(op, request, outgoingData);
    if (!reply || reply->isFinished())
        return reply;
    m_active.insert(reply);
    // The reply is re-parented by its user and may die unfinished: count both ends once.
    connect(reply, &QNetworkReply::finished, this, [this, reply] { settle(reply); });
    connect(reply, &QObject::destroyed, this, [this, reply] {
        if (m_active.remove(reply))
            Q_EMIT activeChanged(QPrivateSignal());
    });
    Q_EMIT activeChanged(QPrivateSignal());
    return reply;
}

void PooledManager::settle(QNetworkReply *reply)
{
    if (reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool())
        m_http2Seen = true;
    if (m_active.remove(reply))
        Q_EMIT activeChanged(QPrivateSignal());
}

} // namespace gp
