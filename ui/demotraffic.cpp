#include "ui/demotraffic.h"

#include "core/client/client.h"

#include <QStringList>

namespace gp {

namespace {
const QStringList &demoPrompts()
{
    static const QStringList prompts {
        QStringLiteral("Summarise the benefits of jittered exponential backoff."),
        QStringLiteral("Name three causes of HTTP 429 responses."),
        QStringLiteral("Explain token buckets in two sentences."),
        QStringLiteral("What does a circuit breaker protect against?"),
        QStringLiteral("Write a haiku about rate limits."),
    };
    return prompts;
}
constexpr int kMaxOutstanding = 200; // never let demo work pile up behind a slow server
} // namespace

DemoTraffic::DemoTraffic(Client *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &DemoTraffic::sendDue);
    setRate(m_rate);
}

QString DemoTraffic::customIdFor(int sequence)
{
    return QStringLiteral("demo-%1").arg((std::max(sequence, 1) - 1) % kDistinctIds + 1);
}

void DemoTraffic::setRate(double perSecond)
{
    m_rate = std::clamp(perSecond, 0.01, 1000.0);
    m_timer.setInterval(std::clamp(int(1000.0 / m_rate), 10, 1000));
    m_clock.restart();
    m_due = 0;
}

void DemoTraffic::start()
{
    if (m_timer.isActive() || !m_client)
        return;
    m_clock.restart();
    m_due = 0;
    m_timer.start();
    Q_EMIT runningChanged(true);
}

void DemoTraffic::stop()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    Q_EMIT runningChanged(false);
}

void DemoTraffic::sendDue()
{
    // Timers arrive late under load; send what the rate owes so far, within reason.
    const qint64 due = qint64(double(m_clock.elapsed()) * m_rate / 1000.0);
    for (int i = 0; i < 50 && m_due < due; ++i, ++m_due)
        sendOne();
    m_due = std::max(m_due, due - 50);
}

void DemoTraffic::sendOne()
{
    if (m_outstanding >= kMaxOutstanding)
        return;
    ChatRequest request;
    request.model = m_client->config().defaultModel;
    request.messages = { { QStringLiteral("user"), demoPrompts().at(m_sent % demoPrompts().size()) } };
    request.maxCompletionTokens = 64;
    RequestOptions options;
    options.priority = Priority::Background;
    options.customId = customIdFor(++m_sent);
    RequestJob *job = m_client->submit(request, options);
    ++m_outstanding;
    connect(job, &RequestJob::finished, this, [this] { --m_outstanding; });
}

} // namespace gp
