#include "tests/sim/simtestclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>

namespace gp::sim::test {

QByteArray SimReply::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return QByteArray();
}

bool SimReply::hasHeader(QByteArrayView name) const
{
    for (const auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QJsonObject SimReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

SimReply SimTestClient::finish(QNetworkReply *reply, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QSignalSpy spy(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        spy.wait(timeoutMs);
    SimReply result;
    result.elapsedMs = timer.elapsed();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return result;
}

SimReply SimTestClient::post(const QString &path, const QByteArray &body,
                             const QList<std::pair<QByteArray, QByteArray>> &headers,
                             const QByteArray &contentType, const QByteArray &authorization, int timeoutMs)
{
    QUrl url = m_root;
    url.setPath(path);
    QNetworkRequest request(url);
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return finish(m_nam.post(request, body), timeoutMs);
}

SimReply SimTestClient::get(const QString &path, const QByteArray &authorization)
{
    QUrl url = m_root;
    const qsizetype question = path.indexOf(u'?'); // "/v1/batches/b/results?limit=2"
    url.setPath(question < 0 ? path : path.left(question));
    if (question >= 0)
        url.setQuery(path.mid(question + 1));
    QNetworkRequest request(url);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    return finish(m_nam.get(request), 10000);
}

SimReply SimTestClient::chat(const QJsonObject &body, const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    return post(QStringLiteral("/v1/chat/completions"), QJsonDocument(body).toJson(QJsonDocument::Compact),
                headers);
}

QJsonObject SimTestClient::simpleChat(const QString &prompt, bool stream)
{
    QJsonObject body { { QStringLiteral("model"), QStringLiteral("grok-4") },
                       { QStringLiteral("messages"),
                         QJsonArray { QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
                                                    { QStringLiteral("content"), prompt } } } } };
    if (stream) {
        body.insert(QStringLiteral("stream"), true);
        body.insert(QStringLiteral("stream_options"),
                    QJsonObject { { QStringLiteral("include_usage"), true } });
    }
    return body;
}

} // namespace gp::sim::test
