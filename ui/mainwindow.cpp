#include "ui/mainwindow.h"

#include "core/client/client.h"
#include "ui/alertbanner.h"
#include "ui/alerthistorydialog.h"
#include "ui/apikeystore.h"
#include "ui/charts/chartpanel.h"
#include "ui/consolesession.h"
#include "ui/consolesettings.h"
#include "ui/demotraffic.h"
#include "ui/eventlogpanel.h"
#include "ui/gatewaypanel.h"
#include "ui/guicredentialprovider.h"
#include "ui/keydialog.h"
#include "ui/promptpanel.h"
#include "ui/readinghelp.h"
#include "ui/settingsdialog.h"
#include "ui/statstrip.h"
#include "ui/statuspanel.h"
#include "ui/traynotifier.h"
#include "ui/viewgrabber.h"

#include <QApplication>
#include <QCloseEvent>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

namespace gp {

MainWindow::MainWindow(ConsoleSession *session, ApiKeyStore *keys, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_keys(keys)
{
    setWindowTitle(tr("GrokPulse"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(buildBannerRow(central));
    m_stats = new StatStrip(session, central);
    layout->addWidget(m_stats);
    m_tabs = new QTabWidget(central);
    m_tabs->setAccessibleName(tr("Views"));
    m_prompt = new PromptPanel(session, m_tabs);
    m_charts = new ChartPanel(session, m_tabs);
    m_events = new EventLogPanel(session, m_tabs);
    m_tabs->addTab(m_prompt, tr("&Prompt"));
    m_tabs->addTab(m_charts, tr("&Charts"));
    m_tabs->addTab(m_events, tr("&Events"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    m_status = new StatusPanel(session, this);
    statusBar()->addWidget(m_status, 1);

    m_tray = new TrayNotifier(this);
    m_credentials = new GuiCredentialProvider(keys, this);
    if (m_session) {
        m_session->setCredentialProvider(m_credentials);
        connect(m_credentials, &GuiCredentialProvider::keyProvided, m_session,
                [this](const QString &key, const QString &source) { m_session->setApiKey(key, source); });
        connect(m_session, &ConsoleSession::alertRaised, this, &MainWindow::onAlertRaised);
        connect(m_session, &ConsoleSession::alertCleared, this, &MainWindow::onAlertCleared);
        connect(m_session, &ConsoleSession::alertUpdated, this,
                [this](const QString &id, const QString &sentence) {
                    for (auto &alert : m_activeAlerts)
                        alert.second = alert.first == id ? sentence : alert.second;
                    if (m_alertBanner->isVisible()) // a dismissed banner stays dismissed
                        showActiveAlerts();
                });
        connect(m_session, &ConsoleSession::settingsChanged, this, [this] {
            if (m_persistLayout) { // the app's window (tests leave the user's settings alone)
                QSettings store;
                m_session->settings().save(store);
            }
        });
        setupDemo();
    }
    connect(m_status, &StatusPanel::alertHistoryRequested, this, &MainWindow::showAlertHistory);
    connect(m_events, &EventLogPanel::exported, this,
            [this](const QString &, qint64, const QString &message) {
                statusBar()->showMessage(message, 20000);
            });
    if (m_keys)
        connect(m_keys, &ApiKeyStore::stored, this,
                [this](bool, const QString &note) { statusBar()->showMessage(note, 20000); });
    buildMenus();
    updateBannerRow();
    resize(1280, 900);
}

// One row of fixed height for the alert and the demo note: a banner coming or going never moves
// what is below it (the pointer stays on what it was on).
QWidget *MainWindow::buildBannerRow(QWidget *parent)
{
    m_bannerRow = new QWidget(parent);
    auto *row = new QHBoxLayout(m_bannerRow);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    m_alertBanner = new AlertBanner(AlertBanner::Tone::Alert, m_bannerRow);
    QPushButton *history = m_alertBanner->addAction(tr("Histo&ry…"));
    history->setAccessibleName(tr("Open the alert history"));
    connect(history, &QPushButton::clicked, this, &MainWindow::showAlertHistory);
    m_demoBanner = new AlertBanner(AlertBanner::Tone::Info, m_bannerRow);
    m_demoBanner->setElides(false);
    m_noAlerts = new QLabel(tr("No active alerts."), m_bannerRow);
    m_noAlerts->setAccessibleName(tr("Alert line"));
    m_noAlerts->setContentsMargins(8, 0, 0, 0);
    row->addWidget(m_noAlerts, 3);
    row->addWidget(m_alertBanner, 3);
    row->addWidget(m_demoBanner, 0); // as wide as its short line; the alert takes the rest
    for (AlertBanner *banner : { m_alertBanner, m_demoBanner })
        connect(banner, &AlertBanner::dismissed, this, &MainWindow::updateBannerRow);
    return m_bannerRow;
}

void MainWindow::updateBannerRow()
{
    m_noAlerts->setVisible(m_alertBanner->isHidden());
    const int height = std::max(m_alertBanner->sizeHint().height(), m_demoBanner->sizeHint().height());
    if (m_bannerRow->height() != height)
        m_bannerRow->setFixedHeight(height);
}

MainWindow::~MainWindow() = default;

void MainWindow::setupDemo()
{
    m_demo = new DemoTraffic(m_session->client(), this);
    m_demo->setRate(m_session->settings().demoRatePerSecond);
    if (!m_session->isSimulated())
        return;
    const QString why = m_session->isDemo()
        ? tr("Demo mode: no API key is configured, so GrokPulse runs its built-in "
             "simulator (scenario \"%1\").")
              .arg(m_session->scenario())
        : tr("Simulator mode: scenario \"%1\".").arg(m_session->scenario());
    // One short line in the banner row; the whole story in its tooltip.
    m_demoBanner->showMessage(m_session->isDemo()
                                  ? tr("Demo: simulator \"%1\"").arg(m_session->scenario())
                                  : tr("Simulator \"%1\" · demo traffic").arg(m_session->scenario()));
    m_demoBanner->setToolTip(
        why
        + tr(" A gentle stream of demo prompts (background priority, ids demo-N) keeps the "
             "charts moving."));
    QPushButton *toggle = m_demoBanner->addAction(tr("Stop demo traffic"));
    updateBannerRow();
    toggle->setAccessibleName(tr("Start or stop demo traffic"));
    connect(toggle, &QPushButton::clicked, m_demo,
            [this] { m_demo->isRunning() ? m_demo->stop() : m_demo->start(); });
    connect(m_demo, &DemoTraffic::runningChanged, toggle, [toggle](bool running) {
        toggle->setText(running ? tr("Stop demo traffic") : tr("Start demo traffic"));
    });
    if (m_session->isDemo() || m_session->settings().demoRatePerSecond > 0)
        m_demo->start();
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Export events…"), m_events, &EventLogPanel::exportInteractive);
    file->addAction(tr("Save charts as &PNG…"), m_charts, &ChartPanel::savePngInteractive);
    file->addSeparator();
    file->addAction(tr("&API key…"), this, &MainWindow::enterKey);
    file->addAction(tr("&Settings…"), QKeySequence::Preferences, this, &MainWindow::editSettings);
    if (m_session)
        GatewayPanel::addToMenu(file, m_session, this);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&How to read this screen"), QKeySequence::HelpContents, this,
                    [this] { ReadingHelp::showHowToRead(this); });
    help->addAction(tr("&Alert history…"), this, &MainWindow::showAlertHistory);
    help->addSeparator();
    help->addAction(tr("&About GrokPulse"), this, [this] { ReadingHelp::showAbout(this); });
    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_tabs->count(); ++i)
        view->addAction(m_tabs->tabText(i).remove(u'&'), QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)),
                        m_tabs, [this, i] { m_tabs->setCurrentIndex(i); });
    if (m_demo) {
        QMenu *demo = menuBar()->addMenu(tr("&Demo"));
        demo->addAction(tr("&Start demo traffic"), m_demo, &DemoTraffic::start);
        demo->addAction(tr("S&top demo traffic"), m_demo, &DemoTraffic::stop);
    }
}

QStringList MainWindow::viewNames()
{
    return { QStringLiteral("prompt"), QStringLiteral("charts"), QStringLiteral("events") };
}

bool MainWindow::setCurrentView(const QString &name)
{
    const int index = int(viewNames().indexOf(name.toLower()));
    if (index < 0)
        return false;
    m_tabs->setCurrentIndex(index);
    return true;
}

QString MainWindow::currentView() const
{
    return viewNames().value(m_tabs->currentIndex());
}

QPalette MainWindow::darkPalette()
{
    return ViewGrabber::darkPalette();
}

bool MainWindow::grabViews(const QString &pattern)
{
    return ViewGrabber(*this).grabViews(pattern);
}

// Every active alert, newest first, one line each; once all are cleared, the last clear in calm words.
void MainWindow::onAlertRaised(const Event &event)
{
    m_activeAlerts.removeIf([&event](const auto &a) { return a.first == event.alertId; });
    m_activeAlerts.prepend({ event.alertId, event.message });
    recordAlert(event);
    showActiveAlerts();
    m_tray->notify(tr("GrokPulse alert"), event.message);
}

void MainWindow::onAlertCleared(const Event &event)
{
    m_activeAlerts.removeIf([&event](const auto &a) { return a.first == event.alertId; });
    recordAlert(event);
    if (!m_activeAlerts.isEmpty()) {
        showActiveAlerts();
        return;
    }
    if (m_alertBanner->isVisible()) {
        m_alertBanner->setTone(AlertBanner::Tone::Info);
        m_alertBanner->showMessage(tr("Resolved: %1").arg(event.message));
    }
    updateBannerRow();
}

void MainWindow::recordAlert(const Event &event)
{
    constexpr int kMaxHistory = 500;
    if (m_alertHistory.size() >= kMaxHistory)
        m_alertHistory.removeFirst();
    m_alertHistory.append(event);
    if (m_historyDialog)
        m_historyDialog->setHistory(m_alertHistory);
}

AlertHistoryDialog *MainWindow::showAlertHistory()
{
    if (!m_historyDialog)
        m_historyDialog = new AlertHistoryDialog(m_alertHistory, this);
    m_historyDialog->setHistory(m_alertHistory);
    m_historyDialog->show();
    m_historyDialog->raise();
    return m_historyDialog;
}

void MainWindow::restoreLayout()
{
    m_persistLayout = true;
    const QSettings store;
    if (const QByteArray geometry = store.value(QStringLiteral("window/geometry")).toByteArray();
        !geometry.isEmpty())
        restoreGeometry(geometry);
    if (auto *splitter = m_prompt->findChild<QSplitter *>())
        splitter->restoreState(store.value(QStringLiteral("window/promptSplitter")).toByteArray());
    const int view = store.value(QStringLiteral("window/view"), -1).toInt();
    if (view >= 0 && view < m_tabs->count())
        m_tabs->setCurrentIndex(view);
}

void MainWindow::saveLayout() const
{
    QSettings store;
    store.setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (const auto *splitter = m_prompt->findChild<QSplitter *>())
        store.setValue(QStringLiteral("window/promptSplitter"), splitter->saveState());
    store.setValue(QStringLiteral("window/view"), m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_persistLayout)
        saveLayout();
    QMainWindow::closeEvent(event);
}

void MainWindow::showActiveAlerts()
{
    QStringList lines;
    for (const auto &alert : std::as_const(m_activeAlerts))
        lines.append(alert.second);
    m_alertBanner->setTone(AlertBanner::Tone::Alert);
    m_alertBanner->showMessage(lines.join(u'\n'));
    updateBannerRow();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        m_alertBanner->followPalette();
        m_demoBanner->followPalette();
    }
}

void MainWindow::editSettings()
{
    SettingsDialog dialog(m_session->settings(), this);
    dialog.setRunning(m_session->runningDescription());
    dialog.setApplier([this](const ConsoleSettings &settings) {
        const ApplyReport report = m_session->updateSettings(settings); // saved when it changed
        if (!report.refused)
            m_demo->setRate(settings.demoRatePerSecond);
        return report;
    });
    if (dialog.exec() == QDialog::Accepted && !dialog.resultLine().isEmpty())
        statusBar()->showMessage(dialog.resultLine(), 10000);
}

void MainWindow::enterKey()
{
    KeyDialog dialog(m_session->isSimulated()
                         ? tr("Enter your xAI API key. The console keeps using the simulator "
                              "until the next start.")
                         : QString(),
                     false, this);
    if (dialog.exec() != QDialog::Accepted || dialog.key().isEmpty())
        return;
    if (m_keys)
        m_keys->store(dialog.key(), dialog.remember());
    if (!m_session->isSimulated())
        m_session->setApiKey(dialog.key(), m_keys ? m_keys->source() : QStringLiteral("session"));
}

} // namespace gp
