#pragma once

#include <QObject>

class QSocketNotifier;

namespace gp {

// Turns SIGINT/SIGTERM into a Qt signal: the handler only write()s the signal number
// to a socketpair (async-signal-safe); a QSocketNotifier reads it on the event loop.
// From the second signal on, the handler also arms a 3 s alarm that ends the process
// with 130 should the event loop fail to. One per process.
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override; // restores the default handlers

    bool install(QString *error);

Q_SIGNALS:
    // count: 1 for the first signal, 2 for the second, ...
    void signalled(int signalNumber, int count);

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
    bool m_installed = false;
};

} // namespace gp
