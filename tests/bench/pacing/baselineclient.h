#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

#include <memory>
#include <random>
#include <vector>

namespace gp::bench {

// Runs the loop until it quits or timeoutMs passes; false on the timeout.
bool runLoop(QEventLoop &loop, int timeoutMs);

// Baselines built on plain QNetworkAccessManagers, nothing from GrokPulse:
// - ArticleLoop: the design article's loop: on 429/5xx/network error each task sleeps
//   1 s x 2^attempt + U(0, 0.5 s), at most 5 attempts.
// - SdkRetry: what the OpenAI SDKs do by default: retry 408/409/429/5xx/network errors at
//   once-ish, 0.5 s x 2^attempt (max 8 s) x (1 - U(0, 0.25)), Retry-After honoured up to 60 s,
//   at most 3 attempts.
// Either may be told the limit: every attempt then waits for an even GCRA slot at
// `requestsPerSecond` and/or `tokensPerSecond` x `tokensPerRequest`.
class BaselineClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BaselineClient)

public:
    enum class Mode { ArticleLoop, SdkRetry };
    struct Options
    {
        Mode mode = Mode::ArticleLoop;
        int workers = 16;
        int managers = 1; // connections per host are capped per manager (6 in Qt 6.4); the least busy is used
        double requestsPerSecond = 0.0; // 0 = not told
        double tokensPerSecond = 0.0;
        double tokensPerRequest = 0.0;
        quint64 seed = 7; // of the backoff's jitter
    };

    BaselineClient(QUrl chatUrl, QByteArray body, int requests, Options options, QObject *parent = nullptr);
    // Request i sends bodies[i] (the same bodies another client under comparison sends).
    BaselineClient(QUrl chatUrl, std::vector<QByteArray> bodies, Options options, QObject *parent = nullptr);
    BaselineClient(QUrl chatUrl, QByteArray body, int requests, int workers, QObject *parent = nullptr);
    ~BaselineClient() override;

    void start();
    int succeeded() const { return m_succeeded; }
    int lost() const { return m_lost; }
    int attempts() const { return m_attempts; }
    qint64 wallMs() const { return m_wallMs; }
    const std::vector<qint64> &successMs() const { return m_successMs; } // when each success finished

Q_SIGNALS:
    void done();

private:
    void nextRequest();
    void send(int index, int attempt);
    void sendNow(int index, int attempt);
    void finishOne(bool success);
    int retryDelayMs(int attempt, const QByteArray &retryAfter);
    int maxAttempts() const { return m_options.mode == Mode::SdkRetry ? 3 : 5; }

    std::vector<std::unique_ptr<QNetworkAccessManager>> m_network;
    QUrl m_url;
    std::vector<QByteArray> m_bodies; // one per request, or one for all
    int m_requests = 0;
    Options m_options;
    int m_started = 0;
    int m_finished = 0;
    int m_succeeded = 0;
    int m_lost = 0;
    int m_attempts = 0;
    std::vector<int> m_open; // replies open per manager
    double m_tatMs = 0.0; // the limiter's theoretical arrival time
    qint64 m_wallMs = 0;
    std::vector<qint64> m_successMs;
    QElapsedTimer m_clock;
    std::mt19937_64 m_random { 7 };
};

} // namespace gp::bench
