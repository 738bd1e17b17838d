#include "tests/bench/pacing/baselineclient.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <algorithm>

namespace gp::bench {

bool runLoop(QEventLoop &loop, int timeoutMs)
{
    bool timedOut = false;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    guard.start(timeoutMs);
    loop.exec();
    return !timedOut;
}

BaselineClient::BaselineClient(QUrl chatUrl, QByteArray body, int requests, Options options, QObject *parent)
    : BaselineClient(std::move(chatUrl), std::vector<QByteArray> { std::move(body) }, options, parent)
{
    m_requests = requests;
}

BaselineClient::BaselineClient(QUrl chatUrl, std::vector<QByteArray> bodies, Options options, QObject *parent)
    : QObject(parent)
    , m_url(std::move(chatUrl))
    , m_bodies(std::move(bodies))
    , m_requests(int(m_bodies.size()))
    , m_options(options)
    , m_random(options.seed)
{
    for (int i = 0; i < std::max(1, m_options.managers); ++i)
        m_network.push_back(std::make_unique<QNetworkAccessManager>());
    m_open.assign(m_network.size(), 0);
}

BaselineClient::BaselineClient(QUrl chatUrl, QByteArray body, int requests, int workers, QObject *parent)
    : BaselineClient(std::move(chatUrl), std::move(body), requests,
                     Options { Mode::ArticleLoop, workers, 1, 0, 0, 0, 7 }, parent)
{ }

BaselineClient::~BaselineClient() = default;

void BaselineClient::start()
{
    m_clock.start();
    for (int i = 0; i < m_options.workers; ++i)
        nextRequest();
}

void BaselineClient::nextRequest()
{
    if (m_started >= m_requests)
        return;
    send(m_started++, 0);
}

void BaselineClient::send(int index, int attempt)
{
    // Told the limit: one even slot per attempt, first tries and retries alike.
    double intervalMs = 0.0;
    if (m_options.requestsPerSecond > 0.0)
        intervalMs = 1000.0 / m_options.requestsPerSecond;
    if (m_options.tokensPerSecond > 0.0)
        intervalMs = std::max(intervalMs, 1000.0 * m_options.tokensPerRequest / m_options.tokensPerSecond);
    if (intervalMs <= 0.0) {
        sendNow(index, attempt);
        return;
    }
    const double now = double(m_clock.elapsed());
    const double at = std::max(now, m_tatMs);
    m_tatMs = at + intervalMs;
    QTimer::singleShot(int(at - now), Qt::PreciseTimer, this,
                       [this, index, attempt] { sendNow(index, attempt); });
}

void BaselineClient::sendNow(int index, int attempt)
{
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer bench-key");
    request.setTransferTimeout(60000);
    ++m_attempts;
    // The manager with the fewest replies open (ties: the first): a round robin would queue a
    // request behind a manager's 6 busy connections while another has room (Node's default agent,
    // which the SDK uses, has no per-host socket cap).
    const auto least = std::min_element(m_open.begin(), m_open.end());
    const size_t manager = size_t(least - m_open.begin());
    ++m_open[manager];
    QNetworkAccessManager *network = m_network[manager].get();
    const QByteArray &body = m_bodies.size() == 1 ? m_bodies.front() : m_bodies[size_t(index)];
    QNetworkReply *reply = network->post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, index, attempt, manager] {
        reply->deleteLater();
        --m_open[manager];
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300) {
            finishOne(true);
            return;
        }
        const bool retriable
            = status == 429 || status >= 500 || status == 0 || status == 408 || status == 409;
        if (!retriable || attempt + 1 >= maxAttempts()) {
            finishOne(false);
            return;
        }
        // The task sleeps: its concurrency slot stays taken while it waits.
        const int delayMs = retryDelayMs(attempt, reply->rawHeader("retry-after"));
        QTimer::singleShot(delayMs, this, [this, index, attempt] { send(index, attempt + 1); });
    });
}

int BaselineClient::retryDelayMs(int attempt, const QByteArray &retryAfter)
{
    if (m_options.mode == Mode::ArticleLoop) {
        std::uniform_real_distribution<double> jitter(0.0, 500.0);
        return int(1000.0 * double(1 << attempt) + jitter(m_random));
    }
    bool ok = false;
    const double hinted = retryAfter.trimmed().toDouble(&ok);
    if (ok && hinted >= 0.0 && hinted <= 60.0)
        return int(hinted * 1000.0);
    std::uniform_real_distribution<double> jitter(0.0, 0.25);
    return int(std::min(500.0 * double(1 << attempt), 8000.0) * (1.0 - jitter(m_random)));
}

void BaselineClient::finishOne(bool success)
{
    ++m_finished;
    if (success) {
        ++m_succeeded;
        m_successMs.push_back(m_clock.elapsed());
    } else
        ++m_lost;
    if (m_finished == m_requests) {
        m_wallMs = m_clock.elapsed();
        Q_EMIT done();
        return;
    }
    nextRequest();
}

} // namespace gp::bench
