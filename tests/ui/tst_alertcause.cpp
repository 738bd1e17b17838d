// On the flaky scenario (no 429 at all: 503, 500, 529 and resets) the console's alerts name
// the real causes: a failure-rate alert with server errors first, never "rate limiting".
#include "sessionfixture.h"
#include "ui/alertbanner.h"
#include "ui/demotraffic.h"
#include "ui/mainwindow.h"

#include <QSignalSpy>

using namespace gp;

class TestAlertCause : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void flakyNamesServerErrors();
};

void TestAlertCause::flakyNamesServerErrors()
{
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.retry.baseMs = 20;
    settings.retry.capMs = 100;
    auto session = test::startSession(dir, QStringLiteral("flaky"), settings);
    session->setAlertEvaluationInterval(100);
    QSignalSpy raised(session.get(), &ConsoleSession::alertRaised);
    MainWindow window(session.get());
    window.show();
    window.demoTraffic()->setRate(40);
    window.demoTraffic()->start();
    const auto raisedIds = [&raised] {
        QStringList ids;
        for (const auto &args : std::as_const(raised))
            ids.append(args.at(0).value<Event>().alertId);
        return ids;
    };
    QTRY_VERIFY_WITH_TIMEOUT(raisedIds().contains(QStringLiteral("failure_rate")), 20000);
    window.demoTraffic()->stop();
    QVERIFY2(!raisedIds().contains(QStringLiteral("sustained_429")), qPrintable(raisedIds().join(u',')));
    QStringList messages;
    for (const auto &args : std::as_const(raised)) {
        const Event e = args.at(0).value<Event>();
        messages.append(e.message);
        QVERIFY2(!e.message.contains(QStringLiteral("rate limiting")), qPrintable(e.message));
        if (e.alertId == u"failure_rate") {
            QVERIFY2(e.message.startsWith(QStringLiteral("High failure rate")), qPrintable(e.message));
            QVERIFY2(e.message.contains(QStringLiteral("server errors (5xx)")), qPrintable(e.message));
        }
    }
    QVERIFY(window.alertBanner()->isVisible());
    QVERIFY2(messages.contains(window.alertBanner()->message()), qPrintable(window.alertBanner()->message()));
}

QTEST_MAIN(TestAlertCause)
#include "tst_alertcause.moc"
