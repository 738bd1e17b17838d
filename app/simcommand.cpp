#include "app/simcommand.h"

#include "app/batch/signalwatcher.h"
#include "core/sim/simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace gp {

namespace {

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
    SignalWatcher watcher;
    if (!watcher.install(&error))
        return fail(error);
    QObject::connect(&watcher, &SignalWatcher::signalled, &app, [] { QCoreApplication::quit(); });
    if (!server.listen(quint16(port)))
        return fail(QStringLiteral("cannot listen on 127.0.0.1:%1").arg(port));

    std::fprintf(stdout, "listening on http://127.0.0.1:%u\n", unsigned(server.port()));
    std::fflush(stdout);
    QTextStream(stderr) << "grokpulse sim: scenario " << server.scenarioName() << ", seed " << seed
                        << ", base URL " << server.baseUrl().toString() << '\n';
    return QCoreApplication::exec();
}

} // namespace gp
