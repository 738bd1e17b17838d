#include "ui/mainwindow.h"

#include "core/client/client.h"
#include "ui/alertbanner.h"
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
#include "ui/settingsdialog.h"
#include "ui/statstrip.h"
#include "ui/statuspanel.h"
#include "ui/traynotifier.h"

#include <QApplication>
#include <QEvent>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
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
    m_demoBanner = new AlertBanner(AlertBanner::Tone::Info, central);
    m_alertBanner = new AlertBanner(AlertBanner::Tone::Alert, central);
    layout->addWidget(m_demoBanner);
    layout->addWidget(m_alertBanner);
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
        setupDemo();
    }
    connect(m_events, &EventLogPanel::exported, this,
            [this](const QString &, qint64, const QString &message) {
                statusBar()->showMessage(message, 20000);
            });
    if (m_keys)
        connect(m_keys, &ApiKeyStore::stored, this,
                [this](bool, const QString &note) { statusBar()->showMessage(note, 20000); });
    buildMenus();
    resize(1280, 900);
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
    m_demoBanner->showMessage(
        why
        + tr(" A gentle stream of demo prompts (background priority, ids demo-N) keeps the "
             "charts moving."));
    QPushButton *toggle = m_demoBanner->addAction(tr("Stop demo traffic"));
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
    QPalette p;
    const QColor window(0x2B, 0x2B, 0x2E);
    const QColor base(0x1E, 0x1E, 0x20);
    const QColor text(0xE8, 0xE8, 0xE8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0xA0, 0xA0, 0xA0));
    p.setColor(QPalette::Highlight, QColor(0x3A, 0x7B, 0xD5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}

bool MainWindow::grabViews(const QString &pattern)
{
    // "{size}" grabs at 1024x700 and 1920x1080, "{palette}" in light and dark: one run, every look.
    QList<QSize> sizes { size() };
    if (pattern.contains(u"{size}"))
        sizes = { QSize(1024, 700), QSize(1920, 1080) };
    QStringList palettes { QString() };
    if (pattern.contains(u"{palette}"))
        palettes = { QStringLiteral("light"), QStringLiteral("dark") };
    const QPalette original = QApplication::palette();
    bool ok = true;
    for (const QString &palette : std::as_const(palettes)) {
        if (palette == u"dark")
            QApplication::setPalette(darkPalette());
        else if (palette == u"light")
            QApplication::setPalette(QApplication::style()->standardPalette());
        for (const QSize &s : std::as_const(sizes)) {
            resize(s);
            QCoreApplication::sendPostedEvents();
            QString variant = pattern;
            variant.replace(QStringLiteral("{size}"), QStringLiteral("%1x%2").arg(s.width()).arg(s.height()));
            variant.replace(QStringLiteral("{palette}"), palette);
            ok = grabEveryView(variant) && ok;
        }
    }
    if (palettes.size() > 1)
        QApplication::setPalette(original);
    return ok;
}

bool MainWindow::grabEveryView(const QString &pattern)
{
    if (!pattern.contains(u"{view}"))
        return grab().save(pattern, "PNG");
    const int current = m_tabs->currentIndex();
    bool ok = true;
    const auto save = [this, &pattern](const QString &name) {
        m_stats->refresh();
        m_status->refresh();
        QCoreApplication::sendPostedEvents();
        return grab().save(QString(pattern).replace(QStringLiteral("{view}"), name), "PNG");
    };
    for (const QString &name : viewNames()) {
        setCurrentView(name);
        if (name == u"charts")
            m_charts->settle(); // a hidden chart panel does not redraw: catch up before the grab
        else if (name == u"events")
            m_events->reload();
        ok = save(name) && ok;
    }
    // The longer windows too (charts-1h, charts-24h): their axes and bins differ.
    setCurrentView(QStringLiteral("charts"));
    const ChartPanel::Span span = m_charts->span();
    for (const auto &[suffix, longer] :
         { std::pair { "1h", ChartPanel::Span::OneHour }, std::pair { "24h", ChartPanel::Span::OneDay } }) {
        m_charts->setSpan(longer);
        m_charts->settle();
        ok = save(QStringLiteral("charts-") + QLatin1String(suffix)) && ok;
    }
    m_charts->setSpan(span);
    m_tabs->setCurrentIndex(current);
    return ok;
}

// Every active alert, newest first, one line each; once all are cleared, the last clear in calm words.
void MainWindow::onAlertRaised(const Event &event)
{
    m_activeAlerts.removeIf([&event](const auto &a) { return a.first == event.alertId; });
    m_activeAlerts.prepend({ event.alertId, event.message });
    showActiveAlerts();
    m_tray->notify(tr("GrokPulse alert"), event.message);
}

void MainWindow::onAlertCleared(const Event &event)
{
    m_activeAlerts.removeIf([&event](const auto &a) { return a.first == event.alertId; });
    if (!m_activeAlerts.isEmpty()) {
        showActiveAlerts();
        return;
    }
    if (m_alertBanner->isVisible()) {
        m_alertBanner->setTone(AlertBanner::Tone::Info);
        m_alertBanner->showMessage(tr("Resolved: %1").arg(event.message));
    }
}

void MainWindow::showActiveAlerts()
{
    QStringList lines;
    for (const auto &alert : std::as_const(m_activeAlerts))
        lines.append(alert.second);
    m_alertBanner->setTone(AlertBanner::Tone::Alert);
    m_alertBanner->showMessage(lines.join(u'\n'));
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
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConsoleSettings settings = dialog.settings();
    QSettings store;
    settings.save(store);
    m_session->updateSettings(settings);
    m_demo->setRate(settings.demoRatePerSecond);
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
