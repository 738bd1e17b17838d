// grokpulse: the console by default; `batch`, `sim` and `export` run headless.
#include "app/batch/batchcommand.h"
#include "app/exportcommand.h"
#ifdef GP_HAVE_CONSOLE
#include "app/guicommand.h"
#endif
#include "app/simcommand.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace {

int printUsage(FILE *stream)
{
    QTextStream out(stream);
    out << "usage: grokpulse [batch|sim|export] [options]\n"
           "  (no command)  start the desktop console\n"
           "  batch         run prompts from a JSONL file headless\n"
           "  sim           run the xAI-compatible simulator on loopback\n"
           "  export        export the journal as CSV or JSONL\n";
    return stream == stdout ? 0 : 2;
}

} // namespace

int main(int argc, char **argv)
{
    const QByteArray command = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    if (command == "--help" || command == "-h" || command == "help")
        return printUsage(stdout);
    if (command.isEmpty() || command.startsWith('-')) {
#ifdef GP_HAVE_CONSOLE
        return gp::runGuiCommand(argc, argv);
#else
        QCoreApplication app(argc, argv);
        QTextStream(stderr) << "grokpulse: this build has no console (configured with GP_BUILD_UI=OFF);"
                               " use batch, sim or export\n";
        return printUsage(stderr);
#endif
    }
    if (command == "sim")
        return gp::runSimCommand(argc, argv);
    if (command == "export")
        return gp::runExportCommand(argc, argv);
    if (command == "batch")
        return gp::runBatchCommand(argc, argv);
    QCoreApplication app(argc, argv);
    QTextStream(stderr) << "grokpulse: unknown command '" << QString::fromLocal8Bit(command) << "'\n";
    return printUsage(stderr);
}
