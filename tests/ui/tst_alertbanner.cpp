// A storm of 429s raises the alert banner; the alert is in the event log's history.
#include "sessionfixture.h"
#include "ui/alertbanner.h"
#include "ui/demotraffic.h"
#include "ui/eventlogmodel.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>

using namespace gp;

class TestAlertBanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stormRaisesBanner_data();
    void stormRaisesBanner();
    void demoBannerDismisses();
    void sentenceFollowsTheCounts();
};

void TestAlertBanner::stormRaisesBanner_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("rate limit") << QStringLiteral("rate_limit");
    QTest::newRow("capacity") << QStringLiteral("capacity");
}

void TestAlertBanner::stormRaisesBanner()
{
    QFETCH(QString, fault);
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.alerts.sustained429MinAttempts = 10;
    // A capacity storm is overload, not our quota; the pacer slows down on it, so attempts are few.
    settings.alerts.overloadMinAttempts = 5;
    settings.alerts.failureMinAttempts = 5;
    settings.retry.baseMs = 20;
    settings.retry.capMs = 100;
    auto session = test::startSession(dir, QStringLiteral("steady"), settings);
    session->setAlertEvaluationInterval(100);
    QJsonArray storm;
    for (int i = 0; i < 60; ++i)
        storm.append(
            QJsonObject { { QStringLiteral("kind"), fault }, { QStringLiteral("retry_after_ms"), 10 } });
    QString error;
    QVERIFY2(session->simulator()->enqueueFaults(storm, &error), qPrintable(error));
    MainWindow window(session.get());
    window.show();
    QVERIFY(!window.alertBanner()->isVisible());
    window.demoTraffic()->setRate(50);
    window.demoTraffic()->start();
    // Every 429 lowers the admission rate (a storm of them down to the adaptive floor), so the
    // ten attempts the alert needs take longer to be sent.
    QTRY_VERIFY_WITH_TIMEOUT(window.alertBanner()->isVisible(), 60000);
    QVERIFY(!window.alertBanner()->message().isEmpty());
    window.demoTraffic()->stop();
    // The alert is part of the log's history.
    window.setCurrentView(QStringLiteral("events"));
    window.eventLog()->setSearchText(QString());
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            window.eventLog()->reload();
            for (int r = 0; r < window.eventLog()->model()->rowCount(); ++r)
                if (window.eventLog()->model()->kindAt(r) == EventKind::AlertRaised)
                    return true;
            return false;
        }(),
        5000);
    window.alertBanner()->dismiss();
    QVERIFY(!window.alertBanner()->isVisible());
}

void TestAlertBanner::demoBannerDismisses()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("demo"));
    MainWindow window(session.get());
    window.show();
    QVERIFY(window.demoBanner()->isVisible());
    QVERIFY(window.demoBanner()->message().contains(QStringLiteral("demo")));
    window.demoBanner()->dismiss();
    QVERIFY(!window.demoBanner()->isVisible());
}

namespace {

// The attempts counted in the banner's failure-rate line ("... 7 of 31 attempts ..."), or -1.
int failureRateAttempts(const QString &message)
{
    static const QRegularExpression line(QStringLiteral("High failure rate: \\d+ of (\\d+) attempts"));
    const auto match = line.match(message);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

} // namespace

// An alert that stays raised keeps telling the counts of now, not those of when it was raised,
// and is not raised again for it.
void TestAlertBanner::sentenceFollowsTheCounts()
{
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.alerts.failureMinAttempts = 10;
    settings.retry.maxAttempts = 1; // every failure counts once, at once
    auto session = test::startSession(dir, QStringLiteral("flaky"), settings);
    session->setAlertEvaluationInterval(100);
    QSignalSpy raised(session.get(), &ConsoleSession::alertRaised);
    MainWindow window(session.get());
    window.show();
    window.demoTraffic()->setRate(40);
    window.demoTraffic()->start();
    QTRY_VERIFY_WITH_TIMEOUT(failureRateAttempts(window.alertBanner()->message()) > 0, 30000);
    const int first = failureRateAttempts(window.alertBanner()->message());
    const auto raisedFor = [&raised](const QString &id) {
        int n = 0;
        for (const QList<QVariant> &args : std::as_const(raised))
            n += args.at(0).value<Event>().alertId == id ? 1 : 0;
        return n;
    };
    QCOMPARE(raisedFor(QStringLiteral("failure_rate")), 1);
    QTRY_VERIFY_WITH_TIMEOUT(failureRateAttempts(window.alertBanner()->message()) >= first + 20, 30000);
    QVERIFY(window.alertBanner()->toolTip().contains(QStringLiteral("High failure rate")));
    QCOMPARE(raisedFor(QStringLiteral("failure_rate")), 1); // updated, not raised again
    window.demoTraffic()->stop();
}

QTEST_MAIN(TestAlertBanner)
#include "tst_alertbanner.moc"
