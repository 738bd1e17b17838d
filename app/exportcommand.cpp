#include "app/exportcommand.h"

#include "app/appidentity.h"
#include "core/telemetry/journalconfig.h"
#include "core/telemetry/journalexporter.h"
#include "core/telemetry/journalreader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QTextStream>

#include <cstdio>

namespace gp {

namespace {

constexpr int kOk = 0;
constexpr int kUnreadable = 1;
constexpr int kUsage = 2;

struct ExportArguments
{
    QString journal;
    QString output;
    JournalExporter::Options options;
};

int usageError(const QCommandLineParser &parser, const QString &message)
{
    QTextStream err(stderr);
    err << "grokpulse export: " << message << "\n\n" << parser.helpText();
    return kUsage;
}

// Fills `args`; returns -1 to go on, or an exit code.
int parseArguments(QCommandLineParser &parser, ExportArguments &args)
{
    parser.setApplicationDescription(
        QStringLiteral("Export the GrokPulse journal as CSV (RFC 4180) or JSONL."));
    parser.addPositionalArgument(QStringLiteral("export"), QStringLiteral("The command."));
    const QCommandLineOption help({ QStringLiteral("h"), QStringLiteral("help") },
                                  QStringLiteral("Show this help."));
    const QCommandLineOption journal(
        QStringLiteral("journal"),
        QStringLiteral("Journal file (default: %1).").arg(JournalConfig::defaultPath()),
        QStringLiteral("PATH"));
    const QCommandLineOption what(QStringLiteral("what"),
                                  QStringLiteral("errors, requests or events (default events)."),
                                  QStringLiteral("WHAT"), QStringLiteral("events"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("csv or jsonl (default csv)."),
                                    QStringLiteral("FORMAT"), QStringLiteral("csv"));
    const QCommandLineOption since(QStringLiteral("since"),
                                   QStringLiteral("Start: 90s, 30m, 1h, 2d ago, or 2026-11-20T10:00 (UTC)."),
                                   QStringLiteral("TIME"));
    const QCommandLineOption until(QStringLiteral("until"), QStringLiteral("End, same forms as --since."),
                                   QStringLiteral("TIME"));
    const QCommandLineOption output(QStringLiteral("output"), QStringLiteral("Write here instead of stdout."),
                                    QStringLiteral("FILE"));
    parser.addOptions({ help, journal, what, format, since, until, output });
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser, parser.errorText());
    if (parser.isSet(help)) {
        QTextStream(stdout) << parser.helpText();
        return kOk;
    }
    if (parser.positionalArguments().size() != 1)
        return usageError(parser,
                          QStringLiteral("unexpected arguments: ")
                              + parser.positionalArguments().mid(1).join(u' '));
    const auto parsedWhat = JournalExporter::parseWhat(parser.value(what));
    const auto parsedFormat = JournalExporter::parseFormat(parser.value(format));
    if (!parsedWhat)
        return usageError(parser, QStringLiteral("--what must be errors, requests or events"));
    if (!parsedFormat)
        return usageError(parser, QStringLiteral("--format must be csv or jsonl"));
    args.options.what = *parsedWhat;
    args.options.format = *parsedFormat;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto &[option, target] :
         { std::pair { &since, &args.options.sinceMs }, std::pair { &until, &args.options.untilMs } }) {
        if (!parser.isSet(*option))
            continue;
        *target = JournalExporter::parseTime(parser.value(*option), now);
        if (!*target)
            return usageError(parser, QStringLiteral("cannot read the time '%1'").arg(parser.value(*option)));
    }
    args.journal = parser.isSet(journal) ? parser.value(journal) : JournalConfig::defaultPath();
    args.output = parser.value(output);
    return -1;
}

} // namespace

int runExportCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    setConsoleIdentity();
    QCommandLineParser parser;
    ExportArguments args;
    if (const int code = parseArguments(parser, args); code >= 0)
        return code;
    QTextStream err(stderr);
    JournalReader reader;
    QString error;
    if (!reader.open(args.journal, &error)) {
        err << "grokpulse export: " << error << '\n';
        return kUnreadable;
    }
    QFile out;
    const bool opened = args.output.isEmpty()
        ? out.open(stdout, QIODevice::WriteOnly)
        : (out.setFileName(args.output), out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    if (!opened) {
        err << "grokpulse export: cannot write " << args.output << ": " << out.errorString() << '\n';
        return kUnreadable;
    }
    const auto rows = JournalExporter::run(reader, args.options, out, &error);
    out.close();
    if (!rows) {
        err << "grokpulse export: " << error << '\n';
        return kUnreadable;
    }
    return kOk;
}

} // namespace gp
