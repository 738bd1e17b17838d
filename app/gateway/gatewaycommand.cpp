#include "app/gateway/gatewaycommand.h"

#include "app/batch/signalwatcher.h"
#include "app/gateway/gatewayoptions.h"
#include "app/gateway/gatewayserver.h"
#include "app/gateway/gatewaysession.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

int fail(int code, const QString &message)
{
    QTextStream(stderr) << "grokpulse gateway: " << message << '\n';
    return code;
}

} // namespace

int runGatewayCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"grokpulse"_s);
    QStringList arguments = QCoreApplication::arguments().mid(2);
    if (arguments.contains(u"--help"_s) || arguments.contains(u"-h"_s)) {
        QTextStream(stdout) << GatewayOptions::usage();
        return 0;
    }
    QString error;
    const std::optional<GatewayOptions> options = GatewayOptions::parse(arguments, &error);
    if (!options) {
        QTextStream(stderr) << GatewayOptions::usage();
        return fail(2, error);
    }
    SignalWatcher watcher;
    if (!watcher.install(&error))
        return fail(2, error);
    GatewaySession session(*options);
    if (const int code = session.start(&error))
        return fail(code, error);
    const bool tls = !options->tlsCertPath.isEmpty();
    if (!options->listenAddress.isLoopback() && !tls)
        fail(0,
             u"WARNING: listening on %1, reachable from other machines over plain HTTP: the token "
             u"and every prompt cross the network in clear. Anyone who learns the token can spend "
             u"your quota; prefer 127.0.0.1, or --tls-cert and --tls-key."_s.arg(
                 options->listenAddress.toString()));
    QObject::connect(&watcher, &SignalWatcher::signalled, &app, [&session] {
        session.stop();
        QCoreApplication::quit();
    });
    std::fprintf(stdout, "listening on %s://%s:%u/v1\n", tls ? "https" : "http",
                 qPrintable(options->listenAddress.toString()), unsigned(session.port()));
    std::fflush(stdout);
    if (!options->quiet)
        fail(0,
             u"%1 token file %2 (clients send 'Authorization: Bearer <token>'); upstream %3"_s.arg(
                 session.tokenCreated() ? u"created"_s : u"using"_s, session.tokenPath(),
                 options->upstream.toString()));
    const int code = QCoreApplication::exec();
    if (!options->quiet)
        QTextStream(stderr)
            << "grokpulse gateway: clients "
            << QJsonDocument(session.server()->stats().toJson()).toJson(QJsonDocument::Compact) << '\n';
    return code;
}

} // namespace gp
