#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <random>

namespace gp::bench {

// The design article's loop, as a baseline: no pacing, `workers` concurrent tasks, and on
// 429/5xx/timeout each task sleeps 1 s x 2^attempt + U(0, 0.5 s), at most 5 attempts.
// A plain QNetworkAccessManager, nothing from GrokPulse.
class BaselineClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BaselineClient)

public:
    BaselineClient(QUrl chatUrl, QByteArray body, int requests, int workers, QObject *parent = nullptr);

    void start();
    int succeeded() const { return m_succeeded; }
    int lost() const { return m_lost; }
    int attempts() const { return m_attempts; }
    qint64 wallMs() const { return m_wallMs; }

Q_SIGNALS:
    void done();

private:
    void nextRequest();
    void send(int attempt);
    void finishOne(bool success);

    QNetworkAccessManager m_network;
    QUrl m_url;
    QByteArray m_body;
    int m_requests = 0;
    int m_workers = 0;
    int m_started = 0;
    int m_finished = 0;
    int m_succeeded = 0;
    int m_lost = 0;
    int m_attempts = 0;
    qint64 m_wallMs = 0;
    QElapsedTimer m_clock;
    std::mt19937_64 m_random { 7 };
};

} // namespace gp::bench
