#include "app/batch/batchoptions.h"

#include "app/batch/viaoptions.h"

#include <QCommandLineParser>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

struct Spec
{
    const char *name;
    const char *valueName; // nullptr: a flag
    const char *description;
};

constexpr Spec Specs[] = {
    { "input", "IN.jsonl",
      "Input: one request per line (OpenAI Batch or {\"id\",\"prompt\"}); - or /dev/stdin: standard input." },
    { "output", "OUT.jsonl",
      "Output: one result line per input line, in completion order (a line without a usable id has "
      "\"custom_id\": null and its \"line\" number). Must differ from the input, journal and summary." },
    { "base-url", "URL", "API base URL (default $GROKPULSE_BASE_URL or https://api.x.ai/v1)." },
    { "allow-insecure-http", nullptr, "Allow sending the API key over plain http to a non-loopback host." },
    { "api-key-env", "NAME", "Read the API key from this environment variable (default XAI_API_KEY)." },
    { "model", "NAME", "Model for lines that name none (default grok-4)." },
    { "concurrency", "N", "Requests in flight at most (default 8)." },
    { "rpm", "N", "Known requests-per-minute limit." },
    { "rps", "N", "Known requests-per-second limit." },
    { "burst", "N",
      "Known burst of that limit: requests the server accepts at once (default: one second's worth; "
      "with --redis, learned from quota headers, and 1 until then)." },
    { "tpm", "N", "Known tokens-per-minute limit." },
    { "no-remember-limits", nullptr,
      "Neither use nor keep the limits servers stated in earlier runs (kept per endpoint, key and model "
      "in <data dir>/grokpulse/stated-limits.json)." },
    { "remember-limits-hours", "H",
      "Use a remembered stated limit for this long after the server last stated it (default 6)." },
    { "max-attempts", "N",
      "Attempts per request, the first included (default 5, up to 15 for server errors while the "
      "endpoint answers most attempts; set, exactly N)." },
    { "deadline", "SECONDS",
      "Give up on a request after this long, waits included (default 600; 0: never)." },
    { "give-up-after", "SECONDS",
      "Stop the run (exit 5) when the server is unreachable: the circuit breaker stayed open this long, "
      "or attempts failed with no answer at all for this long, and nothing succeeded (default 30; 0: "
      "never)." },
    { "priority", "LEVEL", "interactive, normal or background (default normal)." },
    { "stream", nullptr, "Stream each response (usage from the final chunk)." },
    { "redis", "URL", "Share the quota with other instances through Redis." },
    { "journal", "PATH",
      "Journal events and outcomes to this SQLite file (with --via, also the batch id or the deferred "
      "request ids a --resume reattaches to; else they are in OUT.jsonl.via)." },
    { "summary", "S.json", "Write the run summary as JSON to this file." },
    { "metrics-port", "N", "Serve Prometheus metrics on 127.0.0.1:N." },
    { "simulate", "SCENARIO", "Run against the built-in simulator (--simulate alone: demo)." },
    { "seed", "N", "Simulator random seed (default 1)." },
    { "resume", nullptr,
      "Skip ids already succeeded in OUT.jsonl or the journal; append. With --via, reattach to the "
      "recorded batch or deferred requests." },
    { "grace", "SECONDS", "On SIGINT/SIGTERM, let in-flight requests finish this long (default 5)." },
    { "quiet", nullptr, "No progress and no summary on stderr." },
    { "via", "MODE",
      "direct (default): live calls, paced; xai-batch: the Batch API (half price, outside the rate "
      "limits, done within 24 h); deferred: deferred completions (polled, fetched once)." },
    { "poll-interval", "SECONDS",
      "--via xai-batch/deferred: first poll interval (default 2), backing off to 30." },
    { "batch-chunk-bytes", "N", "--via xai-batch: bytes per add-requests call at most (default 4 MiB)." },
    { "exact-tokens", nullptr,
      "Count prompt tokens with POST /tokenize-text for pacing (one call per distinct prompt)." },
};

constexpr auto ExitCodesHelp
    = "\nExit codes:\n"
      "  0    every line succeeded\n"
      "  1    some lines failed or were cancelled (each has its output line), or a first\n"
      "       SIGINT/SIGTERM stopped the run gracefully\n"
      "  2    usage or setup error (bad option, same file twice, journal, port or Redis URL\n"
      "       unusable): nothing was sent and the output was not touched\n"
      "  3    authentication failed: the rest was not sent\n"
      "  4    the output, the journal or the summary could not be written (disk full?): sending\n"
      "       stopped at once; rerun with --resume once there is room\n"
      "  5    gave up: the server stayed unreachable (see --give-up-after); its lines are failed\n"
      "       with class circuit_open; rerun with --resume later\n"
      "  130  stopped by a second SIGINT/SIGTERM (the first one stops gracefully)\n"_L1;

// QCommandLineParser has no optional values: "--simulate" alone means the demo scenario.
QStringList normalized(QStringList arguments)
{
    for (QString &argument : arguments) {
        if (argument == "--simulate"_L1)
            argument = u"--simulate=demo"_s;
    }
    return arguments;
}

bool readNumber(const QCommandLineParser &parser, const char *name, double minimum, double *value,
                QString *error)
{
    const QString key = QLatin1StringView(name);
    if (!parser.isSet(key))
        return true;
    bool ok = false;
    const double parsed = parser.value(key).toDouble(&ok);
    if (!ok || !std::isfinite(parsed) || parsed < minimum) {
        *error = u"--%1 must be a number >= %2"_s.arg(key).arg(minimum);
        return false;
    }
    *value = parsed;
    return true;
}

bool readInt(const QCommandLineParser &parser, const char *name, int minimum, int maximum, int *value,
             QString *error)
{
    const QString key = QLatin1StringView(name);
    if (!parser.isSet(key))
        return true;
    bool ok = false;
    const int parsed = parser.value(key).toInt(&ok);
    if (!ok || parsed < minimum || parsed > maximum) {
        *error = u"--%1 must be an integer from %2 to %3"_s.arg(key).arg(minimum).arg(maximum);
        return false;
    }
    *value = parsed;
    return true;
}

bool readNumbers(const QCommandLineParser &parser, BatchOptions *o, QString *error)
{
    double deadline = double(o->deadlineMs) / 1000.0;
    double giveUp = double(o->giveUpAfterMs) / 1000.0;
    double grace = double(o->graceMs) / 1000.0;
    double seed = double(o->simulateSeed);
    double rememberHours = double(o->rememberLimitsMs) / 3600000.0;
    const bool ok = readInt(parser, "concurrency", 1, 10000, &o->concurrency, error)
        && readNumber(parser, "rpm", 0.0, &o->requestsPerMinute, error)
        && readNumber(parser, "rps", 0.0, &o->requestsPerSecond, error)
        && readNumber(parser, "burst", 1.0, &o->requestBurst, error)
        && readNumber(parser, "tpm", 0.0, &o->tokensPerMinute, error)
        && readInt(parser, "max-attempts", 1, 100, &o->maxAttempts, error)
        && readNumber(parser, "deadline", 0.0, &deadline, error)
        && readNumber(parser, "give-up-after", 0.0, &giveUp, error)
        && readNumber(parser, "grace", 0.0, &grace, error) && readNumber(parser, "seed", 0.0, &seed, error)
        && readInt(parser, "metrics-port", 0, 65535, &o->metricsPort, error)
        && readNumber(parser, "remember-limits-hours", 0.0, &rememberHours, error);
    o->rememberLimitsMs = qint64(rememberHours * 3600000.0);
    o->deadlineMs = qint64(deadline * 1000.0);
    o->giveUpAfterMs = qint64(giveUp * 1000.0);
    o->graceMs = qint64(grace * 1000.0);
    o->simulateSeed = quint64(seed);
    return ok;
}

bool readChoices(const QCommandLineParser &parser, const QString &defaultBaseUrl, BatchOptions *o,
                 QString *error)
{
    if (parser.isSet(u"priority"_s)) {
        const std::optional<Priority> priority = priorityFromName(parser.value(u"priority"_s));
        if (!priority) {
            *error = u"--priority must be interactive, normal or background"_s;
            return false;
        }
        o->priority = *priority;
    }
    QString base = parser.isSet(u"base-url"_s) ? parser.value(u"base-url"_s) : defaultBaseUrl;
    if (base.isEmpty())
        base = u"https://api.x.ai/v1"_s;
    o->baseUrl = QUrl(base, QUrl::StrictMode);
    const QString scheme = o->baseUrl.scheme();
    if (!o->baseUrl.isValid() || o->baseUrl.host().isEmpty()
        || (scheme != "http"_L1 && scheme != "https"_L1)) {
        *error = u"--base-url must be an http or https URL"_s;
        return false;
    }
    if (parser.isSet(u"simulate"_s))
        o->simulateScenario = parser.value(u"simulate"_s);
    return true;
}

} // namespace

BatchOptionsResult parseBatchOptions(const QStringList &arguments, const QString &defaultBaseUrl)
{
    BatchOptionsResult result;
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Run chat requests from a JSONL file, paced and retried."_s);
    parser.addHelpOption();
    for (const Spec &spec : Specs) {
        QCommandLineOption option(QString::fromLatin1(spec.name), QString::fromLatin1(spec.description));
        if (spec.valueName)
            option.setValueName(QString::fromLatin1(spec.valueName));
        parser.addOption(option);
    }
    if (!parser.parse(normalized(arguments))) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(u"help"_s)) {
        result.helpText = parser.helpText().replace(u"[options]"_s, u"batch [options]"_s) + ExitCodesHelp;
        return result;
    }
    const QStringList extra = parser.positionalArguments().mid(1); // [0] is "batch"
    if (!extra.isEmpty()) {
        result.error = u"unexpected argument '%1'"_s.arg(extra.first());
        return result;
    }
    BatchOptions o;
    o.inputPath = parser.value(u"input"_s);
    o.outputPath = parser.value(u"output"_s);
    if (o.inputPath.isEmpty() || o.outputPath.isEmpty()) {
        result.error = u"--input and --output are required"_s;
        return result;
    }
    for (const char *name : { "api-key-env", "model", "redis", "journal", "summary" }) {
        if (parser.isSet(QLatin1StringView(name)) && parser.value(QLatin1StringView(name)).isEmpty()) {
            result.error = u"--%1 must not be empty"_s.arg(QLatin1StringView(name));
            return result;
        }
    }
    o.apiKeyEnv = parser.isSet(u"api-key-env"_s) ? parser.value(u"api-key-env"_s) : o.apiKeyEnv;
    o.model = parser.isSet(u"model"_s) ? parser.value(u"model"_s) : o.model;
    o.redisUrl = parser.value(u"redis"_s);
    o.journalPath = parser.value(u"journal"_s);
    o.summaryPath = parser.value(u"summary"_s);
    o.stream = parser.isSet(u"stream"_s);
    o.allowInsecureHttp = parser.isSet(u"allow-insecure-http"_s);
    o.resume = parser.isSet(u"resume"_s);
    o.quiet = parser.isSet(u"quiet"_s);
    o.rememberLimits = !parser.isSet(u"no-remember-limits"_s);
    if (!readNumbers(parser, &o, &result.error) || !readChoices(parser, defaultBaseUrl, &o, &result.error)
        || !readViaOptions(parser, &o, &result.error))
        return result;
    result.options = o;
    return result;
}

} // namespace gp
