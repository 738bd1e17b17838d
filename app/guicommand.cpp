#include "app/guicommand.h"

#include "app/appidentity.h"
#include "ui/apikeystore.h"
#include "ui/charts/chartpanel.h"
#include "ui/consolesession.h"
#include "ui/consolesettings.h"
#include "ui/eventlogpanel.h"
#include "ui/gatewayhost.h"
#include "ui/mainwindow.h"
#include "ui/promptpanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QSettings>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace gp {

namespace {

struct GuiOptions
{
    SessionOptions session;
    QString screenshot;
    int screenshotAfterMs = 3000;
    QString tab;
    double demoRate = -1.0; // < 0: the settings' rate
    bool useKeychain = true;
    QString prompt; // sent once at start (screenshots)
    int gatewayPort = -1; // >= 0: start the console's gateway on 127.0.0.1 (0 = any free port)
    QString client; // the charts' client picker before a screenshot: all, split, console, a name
};

// "--simulate" takes an optional value, which QCommandLineParser cannot express.
QStringList takeSimulate(QStringList args, GuiOptions &options)
{
    for (auto it = args.begin(); it != args.end();) {
        if (*it == u"--simulate" || it->startsWith(u"--simulate=")) {
            options.session.simulate = true;
            options.session.scenario = it->section(u'=', 1);
            it = args.erase(it);
        } else {
            ++it;
        }
    }
    return args;
}

// The console's gateway at start, and whose traffic the charts show (screenshots of both).
QList<QCommandLineOption> gatewayOptions()
{
    return { QCommandLineOption(QStringLiteral("gateway"),
                                QStringLiteral("Start the console's gateway on 127.0.0.1:PORT."),
                                QStringLiteral("PORT")),
             QCommandLineOption(QStringLiteral("client"),
                                QStringLiteral("Charts, headline numbers and events of: all, split, "
                                               "console, other or a gateway client's name (applied "
                                               "before a screenshot)."),
                                QStringLiteral("NAME")) };
}

void readGatewayOptions(const QCommandLineParser &parser, GuiOptions &options)
{
    if (parser.isSet(QStringLiteral("gateway")))
        options.gatewayPort = parser.value(QStringLiteral("gateway")).toInt();
    options.client = parser.value(QStringLiteral("client"));
}

bool parseOptions(const QStringList &arguments, GuiOptions &options, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("GrokPulse console"));
    parser.addHelpOption();
    const QCommandLineOption baseUrl(QStringLiteral("base-url"), QStringLiteral("API base URL."),
                                     QStringLiteral("URL"));
    const QCommandLineOption shot(
        QStringLiteral("screenshot"),
        QStringLiteral("Grab the window into PATH and quit; \"{view}\" in PATH grabs every view."),
        QStringLiteral("PATH"));
    const QCommandLineOption after(QStringLiteral("screenshot-after"),
                                   QStringLiteral("Delay before the grab."), QStringLiteral("MS"),
                                   QStringLiteral("3000"));
    const QCommandLineOption tab(QStringLiteral("tab"),
                                 QStringLiteral("View to show: prompt, charts, events."),
                                 QStringLiteral("NAME"));
    const QCommandLineOption rate(QStringLiteral("demo-rate"), QStringLiteral("Demo prompts per second."),
                                  QStringLiteral("N"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Simulator and jitter seed."),
                                  QStringLiteral("N"));
    const QCommandLineOption journal(QStringLiteral("journal"), QStringLiteral("Journal file."),
                                     QStringLiteral("PATH"));
    const QCommandLineOption prompt(QStringLiteral("prompt"), QStringLiteral("Send this prompt at start."),
                                    QStringLiteral("TEXT"));
    const QCommandLineOption noKeychain(QStringLiteral("no-keychain"),
                                        QStringLiteral("Do not read the keychain."));
    parser.addOptions({ baseUrl, shot, after, tab, rate, seed, journal, prompt, noKeychain });
    parser.addOptions(gatewayOptions());
    parser.addPositionalArgument(
        QStringLiteral("--simulate[=SCENARIO]"),
        QStringLiteral("Run against the built-in simulator (default scenario: demo)."));
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        std::exit(0);
    }
    options.session.baseUrl = QUrl(parser.value(baseUrl));
    options.screenshot = parser.value(shot);
    options.screenshotAfterMs = parser.value(after).toInt();
    options.tab = parser.value(tab);
    if (parser.isSet(rate))
        options.demoRate = parser.value(rate).toDouble();
    options.session.seed = parser.value(seed).toULongLong();
    options.session.journalPath = parser.value(journal);
    options.useKeychain = !parser.isSet(noKeychain);
    options.prompt = parser.value(prompt);
    readGatewayOptions(parser, options);
    if (!options.tab.isEmpty() && !MainWindow::viewNames().contains(options.tab)) {
        *error = QStringLiteral("unknown view '%1' (prompt, charts, events)").arg(options.tab);
        return false;
    }
    return true;
}

// The key: XAI_API_KEY, else the keychain (bounded wait: a missing secret service must
// not hang the start), else none, which means demo mode.
void findKey(ApiKeyStore &keys, const GuiOptions &options)
{
    if (keys.loadFromEnvironment() || options.session.simulate || !options.useKeychain)
        return;
    QEventLoop loop;
    QTimer::singleShot(3000, &loop, &QEventLoop::quit);
    QObject::connect(&keys, &ApiKeyStore::loaded, &loop, &QEventLoop::quit);
    keys.loadFromKeychain();
    loop.exec();
}

} // namespace

int runGuiCommand(int argc, char **argv)
{
    QApplication app(argc, argv);
    setConsoleIdentity();
    GuiOptions options;
    QString error;
    if (!parseOptions(takeSimulate(QApplication::arguments(), options), options, &error)) {
        QTextStream(stderr) << "grokpulse: " << error << '\n';
        return 2;
    }
    QSettings store;
    ConsoleSettings settings = ConsoleSettings::load(store);
    if (options.demoRate >= 0.0)
        settings.demoRatePerSecond = options.demoRate;
    ApiKeyStore keys;
    keys.setKeychainEnabled(options.useKeychain);
    findKey(keys, options);
    options.session.apiKey = keys.key();
    options.session.apiKeySource = keys.source();
    ConsoleSession session(settings, options.session);
    if (!session.start(&error)) {
        QTextStream(stderr) << "grokpulse: " << error << '\n';
        return 1;
    }
    MainWindow window(&session, &keys);
    window.restoreLayout(); // geometry, splitter and view of the last session; saved on close
    if (!options.tab.isEmpty())
        window.setCurrentView(options.tab);
    window.show();
    if (!options.prompt.isEmpty()) {
        window.promptPanel()->setPromptText(options.prompt);
        window.promptPanel()->send();
    }
    if (options.gatewayPort >= 0) {
        GatewayHost *host = window.findChild<GatewayHost *>();
        if (!host || !host->start(quint16(options.gatewayPort), &error)) {
            QTextStream(stderr) << "grokpulse: the gateway did not start: " << error << '\n';
            return 1;
        }
        QTextStream(stdout) << "gateway: " << host->baseUrl() << " token file " << host->tokenPath()
                            << Qt::endl;
    }
    if (!options.screenshot.isEmpty()) {
        QTimer::singleShot(std::max(0, options.screenshotAfterMs), &window, [&window, &options] {
            if (!options.client.isEmpty() && !window.chartPanel()->selectClient(options.client))
                QTextStream(stderr) << "grokpulse: no traffic of client " << options.client << " yet\n";
            if (!options.client.isEmpty())
                window.eventLog()->selectClient(options.client); // the Events tab's filter too
            const bool ok = window.grabViews(options.screenshot);
            if (!ok)
                QTextStream(stderr) << "grokpulse: could not save " << options.screenshot << '\n';
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return QApplication::exec();
}

} // namespace gp
