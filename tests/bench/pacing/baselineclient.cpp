#include "tests/bench/pacing/baselineclient.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace gp::bench {

BaselineClient::BaselineClient(QUrl chatUrl, QByteArray body, int requests, int workers, QObject *parent)
    : QObject(parent)
    , m_url(std::move(chatUrl))
    , m_body(std::move(body))
    , m_requests(requests)
    , m_workers(workers)
{ }

void BaselineClient::start()
{
    m_clock.start();
    for (int i = 0; i < m_workers; ++i)
        nextRequest();
}

void BaselineClient::nextRequest()
{
    if (m_started >= m_requests)
        return;
    ++m_started;
    send(0);
}

void BaselineClient::send(int attempt)
{
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer bench-key");
    request.setTransferTimeout(60000);
    ++m_attempts;
    QNetworkReply *reply = m_network.post(request, m_body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, attempt] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300) {
            finishOne(true);
            return;
        }
        const bool retriable = status == 429 || status >= 500 || status == 0;
        if (!retriable || attempt + 1 >= 5) {
            finishOne(false);
            return;
        }
        // The task sleeps: its concurrency slot stays taken while it waits.
        std::uniform_real_distribution<double> jitter(0.0, 500.0);
        const int delayMs = int(1000.0 * double(1 << attempt) + jitter(m_random));
        QTimer::singleShot(delayMs, this, [this, attempt] { send(attempt + 1); });
    });
}

void BaselineClient::finishOne(bool success)
{
    ++m_finished;
    if (success)
        ++m_succeeded;
    else
        ++m_lost;
    if (m_finished == m_requests) {
        m_wallMs = m_clock.elapsed();
        Q_EMIT done();
        return;
    }
    nextRequest();
}

} // namespace gp::bench
