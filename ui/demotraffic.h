#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace gp {

class Client;

// A gentle stream of labelled background prompts ("demo-N") so the charts move in demo
// mode. Answers are dropped; only their telemetry matters. The ids cycle through
// demo-1 … demo-kDistinctIds: the simulator counts requests per id, and an endless demo
// with a fresh id per request grew its memory by ~130 bytes a request.
class DemoTraffic final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoTraffic)

public:
    explicit DemoTraffic(Client *client, QObject *parent = nullptr);

    static constexpr int kDistinctIds = 1000;
    static QString customIdFor(int sequence); // 1-based: demo-1 … demo-1000, then demo-1 again

    void setRate(double perSecond);
    double rate() const { return m_rate; }
    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    int sent() const { return m_sent; }

Q_SIGNALS:
    void runningChanged(bool running);

private:
    void sendDue();
    void sendOne();

    Client *m_client = nullptr;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_due = 0; // requests sent since start (or owed and skipped)
    double m_rate = 1.0;
    int m_sent = 0;
    int m_outstanding = 0;
};

} // namespace gp
