// The console watches its gateway: started from the console's menu, a real curl client
// sends through it, and the panel shows that client's row (from the console's telemetry).
#include "../ui/sessionfixture.h"

#include "core/client/client.h"
#include "core/telemetry/telemetry.h"
#include "ui/charts/chartpanel.h"
#include "ui/gatewayclientsmodel.h"
#include "ui/gatewayhost.h"
#include "ui/gatewaypanel.h"
#include "ui/mainwindow.h"
#include "ui/statstrip.h"
#include "ui/stattile.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace gp;

class TestGatewayPanel : public QObject
{
    Q_OBJECT

private:
    // curl's answer: status code on the last line. Runs while the event loop serves the gateway.
    static QByteArray curl(const QStringList &arguments, int *status)
    {
        QProcess process;
        process.start(QStringLiteral("curl"),
                      QStringList { QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("20"),
                                    QStringLiteral("-w"), QStringLiteral("\n%{http_code}") }
                          + arguments);
        if (!process.waitForStarted(5000))
            return {};
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 25000))
            return {};
        const QByteArray out = process.readAllStandardOutput();
        const qsizetype cut = out.lastIndexOf('\n');
        *status = out.mid(cut + 1).toInt();
        return out.left(cut);
    }

    // From the console's menu: the panel opens, Start serves on a free port, the token is shown
    // masked and copied on request.
    static void openAndStart(MainWindow &window, const QTemporaryDir &dir, GatewayPanel **out,
                             QByteArray *token)
    {
        auto *host = window.findChild<GatewayHost *>();
        auto *action = window.findChild<QAction *>(QStringLiteral("gatewayAction"));
        QVERIFY(action);
        action->trigger();
        auto *panel = window.findChild<GatewayPanel *>();
        QVERIFY(panel);
        QVERIFY(panel->isVisible());
        QCOMPARE(panel->startStopButton()->text(), QStringLiteral("Start"));

        panel->portBox()->setValue(0); // any free port
        QTest::mouseClick(panel->startStopButton(), Qt::LeftButton);
        QVERIFY2(host->isRunning(), qPrintable(panel->lastError()));
        QCOMPARE(panel->startStopButton()->text(), QStringLiteral("Stop"));
        QCOMPARE(panel->addressText(), QStringLiteral("http://127.0.0.1:%1/v1").arg(host->port()));

        // The token: masked, the file's content, copied on request.
        QFile tokenFile(dir.filePath(QStringLiteral("gateway.token")));
        QVERIFY(tokenFile.open(QIODevice::ReadOnly));
        *token = tokenFile.readAll().trimmed();
        QVERIFY(token->startsWith("gpk-"));
        QCOMPARE(panel->tokenField()->echoMode(), QLineEdit::Password);
        QCOMPARE(panel->tokenField()->text().toLatin1(), *token);
        panel->copyToken();
        QCOMPARE(QApplication::clipboard()->text().toLatin1(), *token);
        *out = panel;
    }

    // Stopped from the console: the port no longer answers.
    static void stopAndCheckClosed(GatewayPanel *panel, GatewayHost *host)
    {
        const quint16 port = host->port();
        QTest::mouseClick(panel->startStopButton(), Qt::LeftButton);
        QVERIFY(!host->isRunning());
        QCOMPARE(panel->startStopButton()->text(), QStringLiteral("Start"));
        int status = -1;
        curl({ QStringLiteral("http://127.0.0.1:%1/healthz").arg(port) }, &status);
        QCOMPARE(status, 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
            QFAIL("curl is not installed (scripts/install-deps.sh installs it)");
    }

    void startedFromTheConsoleShowsTheClientsRow()
    {
        QTemporaryDir dir;
        auto session = test::startSession(dir, QStringLiteral("steady"));
        MainWindow window(session.get());
        auto *host = window.findChild<GatewayHost *>();
        QVERIFY(host);
        host->setTokenPath(dir.filePath(QStringLiteral("gateway.token")));
        GatewayPanel *panel = nullptr;
        QByteArray token;
        openAndStart(window, dir, &panel, &token);
        if (QTest::currentTestFailed())
            return;
        const QString base = panel->addressText();
        const quint64 succeededBefore
            = session->telemetry()->hub().snapshot().outcomes[MetricsSnapshot::Succeeded];
        int status = 0;
        const QByteArray body = R"({"model":"grok-4","messages":[{"role":"user","content":"hi"}]})";
        const QStringList common { base + QStringLiteral("/chat/completions"),
                                   QStringLiteral("-H"),
                                   QStringLiteral("Content-Type: application/json"),
                                   QStringLiteral("-H"),
                                   QStringLiteral("x-grokpulse-client: panel-test"),
                                   QStringLiteral("-d"),
                                   QString::fromLatin1(body) };
        const QByteArray wrong = curl(
            common + QStringList { QStringLiteral("-H"), QStringLiteral("Authorization: Bearer gpk-wrong") },
            &status);
        QCOMPARE(status, 401);
        QVERIFY(wrong.contains("invalid_api_key"));
        const QByteArray answer = curl(
            common
                + QStringList { QStringLiteral("-H"),
                                QStringLiteral("Authorization: Bearer ") + QString::fromLatin1(token) },
            &status);
        QCOMPARE(status, 200);
        QVERIFY2(answer.contains("\"choices\""), answer.constData());

        // The row, from the console's own telemetry stream; the console's totals counted it too.
        GatewayClientsModel *model = host->clients();
        QTRY_VERIFY(model->row(QStringLiteral("panel-test")) != nullptr);
        const GatewayClientsModel::Row *row = model->row(QStringLiteral("panel-test"));
        QCOMPARE(row->requests, 1);
        QCOMPARE(row->failures, 0);
        QVERIFY(row->tokens > 0);
        QVERIFY(row->costUsd > 0.0);
        QVERIFY(row->quantileMs(0.5) >= 0.0);
        QCOMPARE(panel->clientsView()->model()->rowCount(), 1);
        QCOMPARE(panel->clientsView()->model()->index(0, GatewayClientsModel::ClientColumn).data().toString(),
                 QStringLiteral("panel-test"));
        QCOMPARE(panel->clientsView()->model()->index(0, GatewayClientsModel::Requests).data().toString(),
                 QStringLiteral("1"));
        QTRY_COMPARE(session->telemetry()->hub().snapshot().outcomes[MetricsSnapshot::Succeeded],
                     succeededBefore + 1);
        // With the client picked on the Charts tab, the tiles say what its row says.
        QVERIFY(window.chartPanel()->selectClient(QStringLiteral("panel-test")));
        window.statStrip()->refresh();
        QCOMPARE(window.statStrip()->stats().successes, 1u);
        const double rowCost = model->row(QStringLiteral("panel-test"))->costUsd;
        QCOMPARE(window.statStrip()->stats().spendSessionUsd, rowCost);
        QCOMPARE(window.statStrip()->tile(QStringLiteral("spend"))->value(), HeadlineStats::dollars(rowCost));

        stopAndCheckClosed(panel, window.findChild<GatewayHost *>());
    }
};

QTEST_MAIN(TestGatewayPanel)
#include "tst_gatewaypanel.moc"
