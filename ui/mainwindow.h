#pragma once

#include "core/events/event.h"

#include <QList>
#include <QMainWindow>
#include <QPalette>
#include <QStringList>

class QLabel;
class QTabWidget;

namespace gp {

class AlertBanner;
class AlertHistoryDialog;
class ApiKeyStore;
class ChartPanel;
class ConsoleSession;
class DemoTraffic;
class EventLogPanel;
class GuiCredentialProvider;
class PromptPanel;
class StatStrip;
class StatusPanel;
class TrayNotifier;

// The GrokPulse console: banners, the three views (prompt, charts, events) and the status
// bar. Panels do the work; this class only assembles them and routes alerts.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // Not owned: session and key store outlive the window. keys may be null (tests).
    explicit MainWindow(ConsoleSession *session, ApiKeyStore *keys = nullptr, QWidget *parent = nullptr);
    ConsoleSession *session() const { return m_session; }
    ~MainWindow() override;

    static QStringList viewNames(); // "prompt", "charts", "events"
    bool setCurrentView(const QString &name);
    QString currentView() const;
    // Grabs every view into pattern with "{view}" replaced by the view's name (or the
    // current view into pattern when it has no "{view}"); "{size}" and "{palette}" repeat the
    // grabs at 1024x700 and 1920x1080, light and dark. False when a file fails.
    bool grabViews(const QString &pattern);
    static QPalette darkPalette();

    PromptPanel *promptPanel() const { return m_prompt; }
    ChartPanel *chartPanel() const { return m_charts; }
    EventLogPanel *eventLog() const { return m_events; }
    StatusPanel *statusPanel() const { return m_status; }
    StatStrip *statStrip() const { return m_stats; }
    AlertBanner *alertBanner() const { return m_alertBanner; }
    AlertBanner *demoBanner() const { return m_demoBanner; }
    DemoTraffic *demoTraffic() const { return m_demo; }
    GuiCredentialProvider *credentialProvider() const { return m_credentials; }
    QWidget *bannerRow() const { return m_bannerRow; }
    const QList<Event> &alertHistory() const { return m_alertHistory; }
    AlertHistoryDialog *showAlertHistory(); // the dialog, open (non-modal) and up to date
    // Window geometry and the prompt splitter from QSettings, and saved there on close.
    void restoreLayout();
    void saveLayout() const;

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    QWidget *buildBannerRow(QWidget *parent);
    void updateBannerRow();
    void recordAlert(const gp::Event &event);
    bool grabEveryView(const QString &pattern);
    void buildMenus();
    void setupDemo();
    void onAlertRaised(const gp::Event &event);
    void onAlertCleared(const gp::Event &event);
    void showActiveAlerts();
    void editSettings();
    void enterKey();

    ConsoleSession *m_session = nullptr;
    ApiKeyStore *m_keys = nullptr;
    QTabWidget *m_tabs = nullptr;
    PromptPanel *m_prompt = nullptr;
    ChartPanel *m_charts = nullptr;
    EventLogPanel *m_events = nullptr;
    StatusPanel *m_status = nullptr;
    StatStrip *m_stats = nullptr;
    AlertBanner *m_alertBanner = nullptr;
    AlertBanner *m_demoBanner = nullptr;
    DemoTraffic *m_demo = nullptr;
    GuiCredentialProvider *m_credentials = nullptr;
    TrayNotifier *m_tray = nullptr;
    QList<std::pair<QString, QString>> m_activeAlerts; // rule id, sentence; newest first
    QList<Event> m_alertHistory; // raised and cleared, oldest first, bounded
    QWidget *m_bannerRow = nullptr;
    QLabel *m_noAlerts = nullptr;
    AlertHistoryDialog *m_historyDialog = nullptr;
    bool m_persistLayout = false;
};

} // namespace gp
