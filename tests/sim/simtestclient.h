#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

#include <utility>

namespace gp::sim::test {

struct SimReply
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    qint64 elapsedMs = 0;

    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QJsonObject json() const;
};

// A plain QNetworkAccessManager client for the simulator tests: one blocking call
// at a time, the event loop runs while it waits (the server lives on the same thread).
class SimTestClient final
{
public:
    explicit SimTestClient(QUrl root)
        : m_root(std::move(root))
    { }
    SimReply post(const QString &path, const QByteArray &body,
                  const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                  const QByteArray &contentType = "application/json",
                  const QByteArray &authorization = "Bearer test-key", int timeoutMs = 10000);
    SimReply get(const QString &path, const QByteArray &authorization = "Bearer test-key");
    SimReply chat(const QJsonObject &body, const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    static QJsonObject simpleChat(const QString &prompt = QStringLiteral("Hello"), bool stream = false);

private:
    SimReply finish(QNetworkReply *reply, int timeoutMs);

    QUrl m_root; // http://127.0.0.1:PORT
    QNetworkAccessManager m_nam;
};

} // namespace gp::sim::test
