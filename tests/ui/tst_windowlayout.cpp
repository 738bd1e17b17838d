// The window at 1024x700: an alert coming and going never moves what is below the banner row;
// "Alerts: N" opens the history; geometry and the prompt splitter come back; Help explains.
#include "sessionfixture.h"
#include "ui/alertbanner.h"
#include "ui/alerthistorydialog.h"
#include "ui/mainwindow.h"
#include "ui/promptpanel.h"
#include "ui/readinghelp.h"
#include "ui/settingsdialog.h"
#include "ui/statuspanel.h"

#include <QDateTime>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>

using namespace gp;

namespace {
Event alertEvent(EventKind kind, const QString &rule, const QString &message)
{
    Event e;
    e.kind = kind;
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.alertId = rule;
    e.message = message;
    return e;
}

// Runs every pending layout pass now (a layout that moves a widget posts the next one, for its
// children), so a test can read geometry without waiting for a timer.
void flushLayouts()
{
    for (int pass = 0; pass < 8; ++pass)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCoreApplication::sendPostedEvents();
}
} // namespace

class TestWindowLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void bannerDoesNotMoveTheViews();
    void alertsOpenTheHistory();
    void geometryIsRestored();
    void helpMenu();
    void settingsReadHuman();
};

void TestWindowLayout::initTestCase()
{
    static QTemporaryDir settingsDir; // the user's own settings are never touched
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
}

void TestWindowLayout::bannerDoesNotMoveTheViews()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.resize(1024, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.demoBanner()->dismiss(); // the row keeps its height with nothing in it
    auto *tabs = window.findChild<QTabWidget *>();
    QTRY_VERIFY(tabs->y() > 0);
    flushLayouts();
    const int before = tabs->mapTo(&window, QPoint(0, 0)).y();
    const int rowHeight = window.bannerRow()->height();
    const QString longSentence
        = QStringLiteral("High failure rate: 6 of 40 attempts (15.0%) failed in the last 60 s: "
                         "4 server errors (5xx), 2 overloaded (529/capacity), and more words "
                         "than a 1024 px window has room for on one line.");
    Q_EMIT session->alertRaised(
        alertEvent(EventKind::AlertRaised, QStringLiteral("failure_rate"), longSentence));
    Q_EMIT session->alertRaised(alertEvent(EventKind::AlertRaised, QStringLiteral("server_overloaded"),
                                           QStringLiteral("Server overloaded.")));
    QVERIFY(window.alertBanner()->isVisible());
    flushLayouts();
    QCOMPARE(window.bannerRow()->height(), rowHeight);
    QCOMPARE(tabs->mapTo(&window, QPoint(0, 0)).y(), before);
    // One line: the newest sentence, elided, and how many more; all of it in the tooltip.
    QVERIFY2(window.alertBanner()->shownText().startsWith(QStringLiteral("Server overloaded.")),
             qPrintable(window.alertBanner()->shownText()));
    QVERIFY(window.alertBanner()->shownText().contains(QStringLiteral("+1 more")));
    QVERIFY(window.alertBanner()->toolTip().contains(longSentence));
    Q_EMIT session->alertCleared(alertEvent(EventKind::AlertCleared, QStringLiteral("server_overloaded"),
                                            QStringLiteral("Overload over.")));
    Q_EMIT session->alertCleared(alertEvent(EventKind::AlertCleared, QStringLiteral("failure_rate"),
                                            QStringLiteral("Failure rate normal.")));
    QVERIFY(window.alertBanner()->message().startsWith(QStringLiteral("Resolved: ")));
    window.alertBanner()->dismiss();
    flushLayouts();
    QCOMPARE(window.bannerRow()->height(), rowHeight);
    QCOMPARE(tabs->mapTo(&window, QPoint(0, 0)).y(), before);
}

void TestWindowLayout::alertsOpenTheHistory()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.show();
    Q_EMIT session->alertRaised(alertEvent(EventKind::AlertRaised, QStringLiteral("failure_rate"),
                                           QStringLiteral("High failure rate: 6 of 40.")));
    Q_EMIT session->alertCleared(alertEvent(EventKind::AlertCleared, QStringLiteral("failure_rate"),
                                            QStringLiteral("Failure rate back to normal.")));
    QCOMPARE(window.alertHistory().size(), 2);
    QToolButton *alerts = window.statusPanel()->alertsButton();
    QVERIFY(alerts->text().startsWith(QStringLiteral("Alerts: ")));
    QTest::mouseClick(alerts, Qt::LeftButton);
    auto *dialog = window.findChild<AlertHistoryDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->rowCount(), 2);
    // Newest first.
    QVERIFY2(
        dialog->rowText(0).contains(QStringLiteral("cleared · failure rate · Failure rate back to normal.")),
        qPrintable(dialog->rowText(0)));
    QVERIFY(dialog->rowText(1).contains(QStringLiteral("raised · failure rate · High failure rate")));
    // It follows alerts that come while it is open.
    Q_EMIT session->alertRaised(
        alertEvent(EventKind::AlertRaised, QStringLiteral("breaker_open"), QStringLiteral("Circuit open.")));
    QCOMPARE(dialog->rowCount(), 3);
}

void TestWindowLayout::geometryIsRestored()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    {
        MainWindow window(session.get());
        window.restoreLayout();
        window.show();
        window.resize(1100, 720);
        window.promptPanel()->findChild<QSplitter *>()->setSizes({ 420, 600 });
        window.setCurrentView(QStringLiteral("events"));
        QTRY_COMPARE(window.size(), QSize(1100, 720));
        window.close();
    }
    MainWindow again(session.get());
    again.restoreLayout();
    again.show();
    QTRY_COMPARE(again.size(), QSize(1100, 720));
    QCOMPARE(again.currentView(), QStringLiteral("events"));
    again.setCurrentView(QStringLiteral("prompt"));
    QTRY_VERIFY(again.promptPanel()->findChild<QSplitter *>()->sizes().value(1) > 100);
    const QList<int> sizes = again.promptPanel()->findChild<QSplitter *>()->sizes();
    QVERIFY2(qAbs(sizes.value(0) - 420) <= 10,
             qPrintable(QStringLiteral("%1 %2").arg(sizes.value(0)).arg(sizes.value(1))));
}

void TestWindowLayout::helpMenu()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    QStringList menus;
    for (QAction *action : window.menuBar()->actions())
        menus.append(action->text());
    QVERIFY2(menus.contains(QStringLiteral("&Help")), qPrintable(menus.join(u',')));
    QVERIFY(ReadingHelp::about().contains(QStringLiteral("GrokPulse 0.")));
    QVERIFY(ReadingHelp::about().contains(QStringLiteral(QT_VERSION_STR)));
    for (const char *part : { "quota", "reset", "retried", "p95", "spend", "crosshair" })
        QVERIFY2(ReadingHelp::howToRead().contains(QLatin1String(part)), part);
}

// Settings in seconds and percent, pages in a list (no clipped tabs), and what runs now.
void TestWindowLayout::settingsReadHuman()
{
    ConsoleSettings settings;
    settings.retry.baseMs = 250;
    settings.timeouts.firstByteMs = 600000;
    settings.retry.budgetRatio = 0.05;
    SettingsDialog dialog(settings);
    dialog.setRunning(QStringLiteral("simulator scenario \"flaky\""));
    QCOMPARE(dialog.pageNames().size(), 4);
    QVERIFY(!dialog.findChild<QTabWidget *>());
    const auto box = [&dialog](const QString &name) {
        for (auto *b : dialog.findChildren<QDoubleSpinBox *>())
            if (b->accessibleName() == name)
                return b;
        return static_cast<QDoubleSpinBox *>(nullptr);
    };
    QCOMPARE(box(QStringLiteral("Base delay"))->suffix(), QStringLiteral(" s"));
    QCOMPARE(box(QStringLiteral("Base delay"))->value(), 0.25);
    QCOMPARE(box(QStringLiteral("First byte timeout"))->value(), 600.0); // not "600000 ms"
    QCOMPARE(box(QStringLiteral("Retry budget (share)"))->suffix(), QStringLiteral(" %"));
    QCOMPARE(box(QStringLiteral("Retry budget (share)"))->value(), 5.0); // not "0.050"
    QVERIFY(!box(QStringLiteral("Base delay"))->toolTip().isEmpty());
    QCOMPARE(dialog.settings().retry.baseMs, 250);
    QCOMPARE(dialog.settings().retry.budgetRatio, 0.05);
    bool shown = false;
    for (const QLabel *label : dialog.findChildren<QLabel *>())
        shown = shown || label->text() == QStringLiteral("Running now: simulator scenario \"flaky\"");
    QVERIFY(shown);
}

QTEST_MAIN(TestWindowLayout)
#include "tst_windowlayout.moc"
