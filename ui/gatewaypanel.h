#pragma once

#include <QDialog>

class QFormLayout;
class QLabel;
class QMenu;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace gp {

class ConsoleSession;
class GatewayHost;

// The console's view of its gateway: start and stop it, where clients connect, the local
// token (masked, with a copy button), and one row per client from the telemetry events.
class GatewayPanel final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayPanel)

public:
    GatewayPanel(GatewayHost *host, QWidget *parent = nullptr);
    ~GatewayPanel() override;

    QPushButton *startStopButton() const { return m_startStop; }
    QSpinBox *portBox() const { return m_port; }
    QLineEdit *tokenField() const { return m_token; }
    QTableView *clientsView() const { return m_clients; }
    QString addressText() const;
    QString lastError() const { return m_lastError; }

    // The console's hook: a "Gateway…" action in the menu; the host (a child of window)
    // exists from now on, the panel is made on first use and kept.
    static QAction *addToMenu(QMenu *menu, ConsoleSession *session, QWidget *window);

public Q_SLOTS:
    void toggle(); // starts when stopped, stops when running
    void copyToken();

private:
    QFormLayout *buildForm(); // port and start/stop, base URL, upstream, token
    void refresh();

    GatewayHost *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QPushButton *m_startStop = nullptr;
    QLabel *m_address = nullptr;
    QLabel *m_upstream = nullptr;
    QLabel *m_note = nullptr;
    QLineEdit *m_token = nullptr;
    QPushButton *m_reveal = nullptr;
    QPushButton *m_copy = nullptr;
    QTableView *m_clients = nullptr;
    QString m_lastError;
};

} // namespace gp
