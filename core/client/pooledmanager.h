#pragma once

#include <QNetworkAccessManager>
#include <QSet>

namespace gp {

// A QNetworkAccessManager that knows how many of its replies are unfinished, and whether
// its server speaks HTTP/2 (one multiplexed connection instead of six HTTP/1.1 ones).
// Cookie-free: API requests carry no cookies, whichever manager of a pool sends them.
class PooledManager final : public QNetworkAccessManager
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PooledManager)

public:
    explicit PooledManager(QObject *parent = nullptr);

    int active() const { return int(m_active.size()); }
    bool http2Seen() const { return m_http2Seen; }

Q_SIGNALS:
    void activeChanged(QPrivateSignal);

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *outgoingData = nullptr) override;

private:
    void settle(QNetworkReply *reply);

    QSet<const QNetworkReply *> m_active; // never dereferenced: may name a reply being destroyed
    bool m_http2Seen = false;
};

} // namespace gp
