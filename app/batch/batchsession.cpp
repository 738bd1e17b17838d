#include "app/batch/batchsession.h"

#include "app/batch/batchdrivers.h"
#include "app/batch/batchpaths.h"
#include "app/batch/batchtelemetry.h"
#include "app/batch/inputlineparser.h"
#include "app/batch/inputreader.h"
#include "app/batch/progressreporter.h"
#include "app/batch/resultcommitter.h"
#include "app/batch/resumestate.h"
#include "core/client/client.h"
#include "core/client/tokencounter.h"
#include "core/engine/engine.h"
#include "core/events/steadyclock.h"
#include "core/pacing/scheduler.h"
#include "core/policy/secretscrubber.h"
#include "core/telemetry/telemetry.h"
#include "core/wire/apiurl.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>

#include <csignal>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// The in-process simulator accepts only this key, so a real key is never sent to it.
constexpr auto SimulatorKey = "grokpulse-simulator-key"_L1;
constexpr int GiveUpCheckMs = 250;

// The option a configuration problem is about, for the message.
QString optionOf(ConfigField field)
{
    switch (field) {
    case ConfigField::Endpoint: return u"--base-url"_s;
    case ConfigField::Redis: return u"--redis"_s;
    case ConfigField::Limits: return u"pacing"_s;
    case ConfigField::Retry: return u"--max-attempts"_s;
    case ConfigField::Journal: return u"--journal"_s;
    case ConfigField::Metrics: return u"--metrics-port"_s;
    case ConfigField::Simulator: return u"--simulate"_s;
    }
    return {};
}

} // namespace

BatchSession::BatchSession(const BatchOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_giveUp(options.giveUpAfterMs)
{
    m_giveUpTimer.setInterval(GiveUpCheckMs);
    connect(&m_giveUpTimer, &QTimer::timeout, this, &BatchSession::checkGiveUp);
}

BatchSession::~BatchSession()
{
    m_runner.reset(); // before the client its jobs belong to
    m_telemetry.reset();
    m_engine.reset();
}

int BatchSession::fail(int exitCode, const QString &message) const
{
    QTextStream(stderr) << "grokpulse batch: " << SecretScrubber::redact(message, m_apiKey) << '\n';
    return exitCode;
}

void BatchSession::warn(const QString &message) const
{
    if (!m_options.quiet)
        fail(0, message);
}

// Order matters: everything that can fail is checked or opened before the output is
// truncated or compacted, so a late setup error (journal, metrics port, Redis URL)
// leaves the previous results as they were.
int BatchSession::setUp()
{
    m_clock.start();
    QString error;
    // First, so a signal from now on is handled (on the event loop, once the run starts).
    if (!m_signals.install(&error))
        return fail(2, error);
    connect(&m_signals, &SignalWatcher::signalled, this, &BatchSession::onSignal);
    if (const QString problem = BatchPaths::check(m_options); !problem.isEmpty())
        return fail(2, problem);
    if (m_options.simulateScenario) {
        m_apiKey = SimulatorKey;
        m_keySource = u"simulator"_s;
    } else if (const int code = resolveKey()) {
        return code;
    }
    const EngineConfig config = engineConfig();
    if (const QList<ConfigProblem> problems = validateEngineConfig(config); !problems.isEmpty())
        return fail(2, optionOf(problems.first().field) + u": "_s + problems.first().message);
    // Lines are checked against the simulator's chat path; its port is not known yet and does
    // not matter (both sides of the comparison use the same base).
    const QUrl linesBase = m_options.simulateScenario ? QUrl(u"http://127.0.0.1/v1"_s) : m_options.baseUrl;
    m_reader = std::make_unique<InputReader>(InputLineParser(linesBase, m_options.model));
    if (!m_reader->open(m_options.inputPath, &error))
        return fail(2, error);
    if (const int code = readJournalResume())
        return code;
    if (const int code = startEngine(config))
        return code;
    if (const int code = openOutput())
        return code;
    createRunner();
    m_totalLines = InputReader::countLines(m_options.inputPath);
    return 0;
}

int BatchSession::resolveKey()
{
    m_apiKey = qEnvironmentVariable(m_options.apiKeyEnv.toLocal8Bit().constData()).trimmed();
    m_keySource = m_options.apiKeyEnv;
    if (m_apiKey.isEmpty())
        return fail(3,
                    u"no API key: the environment variable %1 is empty or unset "
                    u"(set it, pass --api-key-env NAME, or use --simulate)"_s.arg(m_options.apiKeyEnv));
    if (!SecretScrubber::canRedact(m_apiKey))
        fail(0,
             u"note: the API key in %1 is shorter than %2 characters, too short to tell apart from "
             u"ordinary text: it is not redacted from the output, the summary or messages"_s.arg(m_keySource)
                 .arg(SecretScrubber::MinSecretLength));
    return 0;
}

int BatchSession::readJournalResume()
{
    if (!m_options.resume || m_options.journalPath.isEmpty())
        return 0;
    QString error;
    std::optional<QSet<QString>> inJournal = ResumeState::journalSucceeded(m_options.journalPath, &error);
    if (!inJournal)
        return fail(2, error);
    m_resumeJournal = std::move(*inJournal);
    return 0;
}

// The last step of setUp(): from here on the output is touched.
int BatchSession::openOutput()
{
    QString error;
    if (m_options.resume) {
        std::optional<QSet<QString>> inOutput = ResumeState::compactOutput(m_options.outputPath, &error);
        if (!inOutput)
            return fail(2, error);
        m_resumeOutput = std::move(*inOutput);
        m_resumeJournal.subtract(m_resumeOutput);
    }
    if (!m_writer.open(m_options.outputPath, m_options.resume, &error))
        return fail(2, error);
    m_writer.setSecret(m_apiKey);
    return 0;
}

EngineConfig BatchSession::engineConfig() const
{
    EngineConfig config;
    config.client.baseUrl = apiRootUrl(m_options.baseUrl);
    config.client.apiKey = m_apiKey;
    config.client.apiKeySource = m_keySource;
    config.client.defaultModel = m_options.model;
    config.client.maxInFlight = m_options.concurrency;
    config.client.allowInsecureHttp = m_options.allowInsecureHttp;
    if (m_options.maxAttempts > 0) { // a limit the user set holds for every failure
        config.client.retry.maxAttempts = m_options.maxAttempts;
        config.client.retry.stretchWhileAnswering = false;
    }
    PacingConfig &pacing = config.pacing;
    pacing.requestsPerSecond = m_options.requestsPerSecond;
    pacing.requestBurst = m_options.requestBurst;
    pacing.requestsPerMinute = m_options.requestsPerMinute;
    pacing.tokensPerMinute = m_options.tokensPerMinute;
    pacing.maxInFlight = m_options.concurrency;
    pacing.maxQueued = std::max(pacing.maxQueued, m_options.submitWindow() * 2);
    pacing.redisUrl = m_options.redisUrl;
    pacing.redisModel = m_options.model;
    config.limitMemory.enabled = m_options.rememberLimits && m_options.rememberLimitsMs > 0;
    config.limitMemory.expiryMs = m_options.rememberLimitsMs;
    config.telemetry.enabled = !m_options.journalPath.isEmpty() || m_options.metricsPort >= 0;
    config.telemetry.metricsPort = m_options.metricsPort;
    config.journal.path = m_options.journalPath;
    if (m_options.simulateScenario)
        config.simulator
            = SimulatorConfig { *m_options.simulateScenario, m_options.simulateSeed, SimulatorKey };
    return config;
}

int BatchSession::startEngine(const EngineConfig &config)
{
    m_engine = std::make_unique<Engine>(config);
    // Journal trouble is always shown: a silent journal is one nobody can resume from.
    connect(m_engine.get(), &Engine::warning, this, [this](ConfigField about, const QString &message) {
        if (about == ConfigField::Journal)
            fail(0, u"journal: "_s + message);
        else
            warn(message);
    });
    if (const QList<ConfigProblem> problems = m_engine->start(); !problems.isEmpty())
        return fail(2, optionOf(problems.first().field) + u": "_s + problems.first().message);
    m_client = m_engine->client();
    m_client->setExactTokens(m_options.exactTokens);
    m_scheduler = m_engine->scheduler();
    connect(m_client, &Client::eventEmitted, this, [this](const Event &event) {
        m_stats.recordEvent(event);
        if (event.kind == EventKind::Succeeded)
            m_giveUp.onSuccess(SteadyClock::nowMs());
        else if (event.kind == EventKind::AttemptFinished)
            m_giveUp.onAttempt(event.httpStatus, event.errorClass != ErrorClass::None, SteadyClock::nowMs());
    });
    connect(m_client, &Client::breakerStateChanged, this, [this](BreakerState state) {
        const qint64 now = SteadyClock::nowMs();
        m_giveUp.onBreakerState(state, now);
        m_stats.setBreakerState(state, now - m_giveUp.openForMs(now));
    });
    if (Telemetry *telemetry = m_engine->telemetry()) {
        m_telemetry = std::make_unique<BatchTelemetry>(telemetry);
        m_telemetry->onWriteFailed(this, [this](const QString &message) {
            onWriteFailed(u"the journal %1 cannot be written (%2)"_s.arg(m_options.journalPath, message));
        });
        if (m_options.metricsPort >= 0)
            warn(u"metrics on http://127.0.0.1:%1/metrics"_s.arg(m_telemetry->metricsPort()));
    }
    return 0;
}

void BatchSession::createRunner()
{
    m_results = std::make_unique<ResultCommitter>(&m_writer, &m_stats);
    if (m_telemetry && m_telemetry->hasJournal())
        m_results->setJournalFlush([this](QString *error) { return m_telemetry->flush(error); });
    connect(m_results.get(), &ResultCommitter::writeFailed, this, &BatchSession::onWriteFailed);
    m_runner = makeBatchDriver(m_options, m_client, m_reader.get(), m_results.get(),
                               m_telemetry ? m_telemetry->journal() : nullptr);
    m_runner->setResumeIds(m_resumeOutput, m_resumeJournal);
    connect(m_runner.get(), &BatchDriver::finished, this, &BatchSession::onFinished);
}

void BatchSession::start()
{
    if (!m_options.quiet) {
        m_progress = std::make_unique<ProgressReporter>(m_stats, m_totalLines, ::isatty(STDERR_FILENO) == 1);
        m_progress->setInFlight([this] {
            return std::pair { m_client->networkInFlight(), m_client->concurrencyCap() };
        });
        m_progress->start();
    }
    m_giveUpTimer.start();
    m_runner->start();
}

void BatchSession::onSignal(int signalNumber, int count)
{
    const QString name = signalNumber == SIGTERM ? u"SIGTERM"_s : u"SIGINT"_s;
    if (m_done) {
        if (count >= 2)
            QCoreApplication::exit(130); // already finishing: a second signal still means now
        return;
    }
    if (count == 1) {
        warn(u"%1: stopping; in-flight requests get %2 s (signal again to quit now)"_s.arg(name).arg(
            double(m_options.graceMs) / 1000.0));
        m_runner->stop(u"the run was interrupted by %1"_s.arg(name));
    } else {
        m_runner->abort();
    }
}

void BatchSession::onWriteFailed(const QString &message)
{
    if (m_done)
        return;
    fail(0, u"%1: stopping at once, nothing more is sent"_s.arg(message));
    const bool journal = message.startsWith("the journal"_L1);
    m_runner->stopNow(journal ? u"journal not writable"_s : u"output not writable"_s, 4);
}

void BatchSession::checkGiveUp()
{
    const qint64 now = SteadyClock::nowMs();
    if (m_done || !m_giveUp.shouldGiveUp(now))
        return;
    m_giveUpTimer.stop();
    const QString lastError = m_stats.lastError();
    const qint64 openMs = m_giveUp.openForMs(now);
    const bool breakerOpen = openMs >= m_options.giveUpAfterMs;
    const QString reason
        = u"gave up: the server at %1 has been unreachable for %2 s (%3, nothing succeeded)%4"_s
              .arg(m_client->chatCompletionsUrl().toString())
              .arg((breakerOpen ? openMs : m_giveUp.silentForMs(now)) / 1000)
              .arg(breakerOpen ? u"circuit breaker open"_s : u"no answer at all"_s)
              .arg(lastError.isEmpty() ? QString() : u"; last error "_s + lastError);
    fail(0, reason + u"; rerun with --resume later"_s);
    m_runner->stopNow(reason, 5, ErrorClass::CircuitOpen);
}

void BatchSession::onFinished(int exitCode)
{
    m_done = true;
    m_giveUpTimer.stop();
    m_results->commitNow();
    if (m_results->hasFailed() && exitCode != 130)
        exitCode = 4;
    if (m_progress)
        m_progress->finish();
    if (m_telemetry) {
        QString error;
        if (!m_telemetry->flush(&error) && exitCode != 130) {
            fail(0, u"the journal %1 cannot be written (%2)"_s.arg(m_options.journalPath, error));
            exitCode = 4;
        }
    }
    if (!writeSummary(exitCode) && exitCode != 130)
        exitCode = 4;
    if (!m_options.quiet) {
        QTextStream(stderr) << SecretScrubber::redact(m_stats.toText(m_clock.elapsed()), m_apiKey);
        if (const TokenCounter *tokens = m_client->tokenCounter())
            QTextStream(stderr) << "       " << tokens->summary() << '\n';
        if (m_scheduler) {
            const PacingState pacing = m_scheduler->state();
            QTextStream(stderr) << "       limit: "
                                << describeLimit(pacing.limitSource, pacing.limitModel,
                                                 pacing.limitRequestsPerSecond, pacing.limitTokensPerMinute,
                                                 pacing.limitRememberedAgoMs)
                                << '\n';
        }
    }
    if (exitCode == 3)
        fail(0, u"stopped: %1"_s.arg(m_runner->authenticationError()));
    // Queued: quits the loop even if this ran before exec() started.
    QMetaObject::invokeMethod(
        QCoreApplication::instance(), [exitCode] { QCoreApplication::exit(exitCode); }, Qt::QueuedConnection);
}

bool BatchSession::writeSummary(int exitCode)
{
    if (m_options.summaryPath.isEmpty())
        return true;
    QSaveFile file(m_options.summaryPath);
    QJsonObject stats = m_stats.toJson(m_clock.elapsed(), exitCode);
    if (m_scheduler) {
        const PacingState pacing = m_scheduler->state();
        QJsonObject limit { { u"source"_s, limitSourceName(pacing.limitSource) } };
        if (!pacing.limitModel.isEmpty())
            limit.insert(u"model"_s, pacing.limitModel);
        if (pacing.limitRequestsPerSecond)
            limit.insert(u"requests_per_second"_s, *pacing.limitRequestsPerSecond);
        if (pacing.limitTokensPerMinute)
            limit.insert(u"tokens_per_minute"_s, *pacing.limitTokensPerMinute);
        if (pacing.limitRememberedAgoMs) { // stated in an earlier run; no 429 of this one stated it again
            limit.insert(u"remembered"_s, true);
            limit.insert(u"stated_seconds_ago"_s, double(*pacing.limitRememberedAgoMs / 1000));
        }
        stats.insert(u"limit"_s, limit);
    }
    const QJsonObject summary = SecretScrubber::redactJson(stats, m_apiKey).toObject();
    const QByteArray json = QJsonDocument(summary).toJson();
    // A pipe or a device (/dev/stdout) is written as it is: QSaveFile would fail to make its
    // temporary file beside it, or, run as root in /dev, rename a regular file over the node.
    const QFileInfo target(m_options.summaryPath);
    if (target.exists() && !target.isFile() && !target.isDir()) {
        QFile device(m_options.summaryPath);
        if (device.open(QIODevice::WriteOnly | QIODevice::Unbuffered) && device.write(json) == json.size())
            return true;
        fail(0, u"cannot write summary %1: %2"_s.arg(m_options.summaryPath, device.errorString()));
        return false;
    }
    // Unbuffered: Qt 6.4's QSaveFile::commit() misses a failed flush of its buffer (disk full).
    if (file.open(QIODevice::WriteOnly | QIODevice::Unbuffered) && file.write(json) == json.size()
        && file.commit())
        return true;
    fail(0, u"cannot write summary %1: %2"_s.arg(m_options.summaryPath, file.errorString()));
    return false;
}

} // namespace gp
