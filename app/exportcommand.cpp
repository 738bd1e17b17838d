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
constexpr int kNotInJournal = 3;

struct ExportArguments
{
    QString journal;
    QString output;
    JournalExporter::Options options;
    JournalExporter::Filter filter;
};

int usageError(const QCommandLineParser &parser, const QString &message)
{
    QTextStream err(stderr);
    err << "grokpulse export: " << message << "\n\n" << parser.helpText();
    return kUsage;
}

struct FilterOptions
{
    const QCommandLineOption *since;
    const QCommandLineOption *until;
    const QCommandLineOption *client;
    const QCommandLineOption *run;
};

// --since, --until, --client and --run; returns -1 to go on, or an exit code.
int readFilters(const QCommandLineParser &parser, const FilterOptions &o, ExportArguments &args)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto &[option, target] :
         { std::pair { o.since, &args.options.sinceMs }, std::pair { o.until, &args.options.untilMs } }) {
        if (!parser.isSet(*option))
            continue;
        *target = JournalExporter::parseTime(parser.value(*option), now);
        if (!*target)
            return usageError(parser, QStringLiteral("cannot read the time '%1'").arg(parser.value(*option)));
    }
    const QCommandLineOption &client = *o.client;
    const QCommandLineOption &run = *o.run;
    args.filter.client = parser.value(client);
    if (parser.isSet(client) && args.filter.client.isEmpty())
        return usageError(parser, QStringLiteral("--client needs a name"));
    if (parser.isSet(client) && args.options.what == JournalExporter::What::Remote)
        return usageError(parser,
                          QStringLiteral("--client does not apply to --what remote (its rows have no "
                                         "gateway client)"));
    if (parser.isSet(run)) {
        bool ok = false;
        args.filter.runId = parser.value(run).toLongLong(&ok);
        if (!ok || args.filter.runId <= 0)
            return usageError(parser, QStringLiteral("--run must be a run_id (a positive number)"));
    }
    return -1;
}

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Export the GrokPulse journal as CSV (RFC 4180, a header row of the column names) or JSONL (one "
        "object per row, the same names). Times are ISO 8601 UTC; --since/--until pick rows by their "
        "time (requests: submitted; remote: created). Secrets are redacted.\n"
        "Exit 0 ok, 1 journal unreadable or output not written (a full disk), 2 usage, 3 the journal "
        "is older than what was asked (remote needs schema version 4)."));
    parser.addPositionalArgument(QStringLiteral("export"), QStringLiteral("The command."));
}

QString whatHelp()
{
    return QStringLiteral("errors, requests, events (default) or remote: the work batch --via left at the "
                          "server, one row for the whole work (its batch id) and one per input line. "
                          "Remote columns: work_id, run_id, via, batch_id, request_id (deferred), custom_id "
                          "(empty: the whole work), line, state (started, created; added, submitted, "
                          "written), created, updated, input_path, output_path.");
}

// Fills `args`; returns -1 to go on, or an exit code.
int parseArguments(QCommandLineParser &parser, ExportArguments &args)
{
    describe(parser);
    const QCommandLineOption help({ QStringLiteral("h"), QStringLiteral("help") },
                                  QStringLiteral("Show this help."));
    const QCommandLineOption journal(
        QStringLiteral("journal"),
        QStringLiteral("Journal file (default: %1).").arg(JournalConfig::defaultPath()),
        QStringLiteral("PATH"));
    const QCommandLineOption what(QStringLiteral("what"), whatHelp(), QStringLiteral("WHAT"),
                                  QStringLiteral("events"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("csv or jsonl (default csv)."),
                                    QStringLiteral("FORMAT"), QStringLiteral("csv"));
    const QCommandLineOption since(QStringLiteral("since"),
                                   QStringLiteral("Start: 90s, 30m, 1h, 2d ago, or 2026-11-20T10:00 (UTC)."),
                                   QStringLiteral("TIME"));
    const QCommandLineOption until(QStringLiteral("until"), QStringLiteral("End, same forms as --since."),
                                   QStringLiteral("TIME"));
    const QCommandLineOption output(QStringLiteral("output"), QStringLiteral("Write here instead of stdout."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption client(
        QStringLiteral("client"),
        QStringLiteral("Only the rows of this gateway client (x-grokpulse-client)."), QStringLiteral("NAME"));
    const QCommandLineOption run(
        QStringLiteral("run"),
        QStringLiteral("Only the rows of this run (its run_id; remote: also the work it started, work_id)."),
        QStringLiteral("ID"));
    parser.addOptions({ help, journal, what, format, since, until, output, client, run });
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
        return usageError(parser, QStringLiteral("--what must be errors, requests, events or remote"));
    if (!parsedFormat)
        return usageError(parser, QStringLiteral("--format must be csv or jsonl"));
    args.options.what = *parsedWhat;
    args.options.format = *parsedFormat;
    if (const int code = readFilters(parser, { &since, &until, &client, &run }, args); code >= 0)
        return code;
    args.journal = parser.isSet(journal) ? parser.value(journal) : JournalConfig::defaultPath();
    args.output = parser.value(output);
    return -1;
}

// Writes the export to --output or stdout; every byte reaches the file or an error says why.
int writeExport(const JournalReader &reader, const ExportArguments &args)
{
    QTextStream err(stderr);
    QFile out;
    const bool opened = args.output.isEmpty()
        ? out.open(stdout, QIODevice::WriteOnly)
        : (out.setFileName(args.output), out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    if (!opened) {
        err << "grokpulse export: cannot write " << args.output << ": " << out.errorString() << '\n';
        return kUnreadable;
    }
    QString error;
    const auto rows = JournalExporter::run(reader, args.options, args.filter, out, &error);
    // QFile buffers: a full disk may only show when the last bytes are flushed.
    if (rows && !out.flush())
        error = QStringLiteral("cannot write the export: ") + out.errorString();
    const bool written = rows && error.isEmpty();
    out.close();
    if (!written) {
        const QString where = args.output.isEmpty() ? QStringLiteral("stdout") : args.output;
        err << "grokpulse export: " << error << " (" << where << " is incomplete)\n";
        return kUnreadable;
    }
    return kOk;
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
    if (const QString why = JournalExporter::unavailable(reader, args.options.what, args.filter);
        !why.isEmpty()) {
        err << "grokpulse export: " << args.journal << ": " << why << '\n';
        return kNotInJournal;
    }
    return writeExport(reader, args);
}

} // namespace gp
