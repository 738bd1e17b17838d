#include "app/simcommand.h"

#include "core/sim/simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace gp {

namespace {

int g_signalFds[2] = { -1, -1 };

// Async-signal-safe: only write() a byte; the event loop does the rest.
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalFds[0], &byte, 1);
}

bool installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

int fail(const QString &message)
{
    QTextStream(stderr) << "grokpulse sim: " << message << '\n';
    return 2;
}

} // namespace

int runSimCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("grokpulse-sim"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The xAI-compatible simulator on 127.0.0.1."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("sim"), QStringLiteral("the subcommand"));
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port (0: a free one)."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption scenarioOption(QStringLiteral("scenario"),
                                            QStringLiteral("Built-in scenario name or a JSON file."),
                                            QStringLiteral("NAME|FILE"), QStringLiteral("demo"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Random seed for faults."),
                                        QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption keyOption(QStringLiteral("api-key-env"),
                                       QStringLiteral("Accept only the key in this environment variable."),
                                       QStringLiteral("NAME"));
    const QCommandLineOption styleOption(
        QStringLiteral("header-style"),
        QStringLiteral("Override quota headers: openai, ietf, xratelimit, none."), QStringLiteral("STYLE"));
    parser.addOptions({ portOption, scenarioOption, seedOption, keyOption, styleOption });
    parser.process(app);

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535)
        return fail(QStringLiteral("--port must be 0..65535"));
    const quint64 seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return fail(QStringLiteral("--seed must be a non-negative integer"));

    sim::SimServer server;
    QString error;
    if (!server.loadScenario(parser.value(scenarioOption), &error))
        return fail(error);
    if (parser.isSet(styleOption) && !server.setHeaderStyle(parser.value(styleOption), &error))
        return fail(error);
    server.setSeed(seed);
    if (parser.isSet(keyOption)) {
        const QByteArray key = qgetenv(parser.value(keyOption).toLocal8Bit().constData());
        if (key.isEmpty())
            return fail(
                QStringLiteral("environment variable %1 is empty or unset").arg(parser.value(keyOption)));
        server.setRequiredApiKey(QString::fromUtf8(key)); // never printed
    }
    if (!installSignalHandlers())
        return fail(QStringLiteral("cannot install signal handlers"));
    QSocketNotifier notifier(g_signalFds[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] { QCoreApplication::quit(); });
    if (!server.listen(quint16(port)))
        return fail(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(port));

    std::fprintf(stdout, "listening on http://127.0.0.1:%u\n", unsigned(server.port()));
    std::fflush(stdout);
    QTextStream(stderr) << "grokpulse sim: scenario " << server.scenarioName() << ", seed " << seed
                        << ", base URL " << server.baseUrl().toString() << '\n';
    const int code = QCoreApplication::exec();
    ::close(g_signalFds[0]);
    ::close(g_signalFds[1]);
    return code;
}

} // namespace gp
