#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QToolButton;

namespace gp {

class ConsoleSession;

// Status bar content: endpoint (Simulator when it is), queue depth by priority, in flight,
// breaker state, next quota reset countdown, active alerts. Twice a second from the hub.
class StatusPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusPanel)

public:
    explicit StatusPanel(ConsoleSession *session, QWidget *parent = nullptr);

    void refresh();
    QString text() const; // every field, for tests and accessibility
    QToolButton *alertsButton() const { return m_alerts; }

Q_SIGNALS:
    void alertHistoryRequested(); // "Alerts: N" was clicked

private:
    QLabel *addField(const QString &accessibleName);

    ConsoleSession *m_session = nullptr;
    QLabel *m_endpoint = nullptr;
    QLabel *m_queue = nullptr;
    QLabel *m_inFlight = nullptr;
    QLabel *m_breaker = nullptr;
    QLabel *m_reset = nullptr;
    QToolButton *m_alerts = nullptr;
    QTimer m_timer;
};

} // namespace gp
