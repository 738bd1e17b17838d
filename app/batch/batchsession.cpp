#include "app/batch/batchsession.h"

#include "app/batch/batchrunner.h"
#include "app/batch/batchtelemetry.h"
#include "app/batch/inputlineparser.h"
#include "app/batch/inputreader.h"
#include "app/batch/progressreporter.h"
#include "app/batch/resumestate.h"
#include "core/client/client.h"
#include "core/pacing/redislimiter.h"
#include "core/pacing/scheduler.h"
#include "core/sim/simserver.h"

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

// Client::joinUrl appends "chat/completions" to its base: give it the chat URL's parent.
QUrl clientBaseUrl(const QUrl &chatUrl)
{
    QUrl base = chatUrl;
    QString path = base.path();
    path.chop(qsizetype(QStringLiteral("/chat/completions").size()));
    base.setPath(path);
    return base;
}

} // namespace

BatchSession::BatchSession(const BatchOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{ }

BatchSession::~BatchSession()
{
    m_runner.reset(); // before the client its jobs belong to
    m_client.reset(); // while its pacer still exists
    if (m_scheduler)
        m_scheduler->setSharedLimiter(nullptr);
}

int BatchSession::fail(int exitCode, const QString &message) const
{
    QString text = message;
    if (!m_apiKey.isEmpty())
        text.replace(m_apiKey, u"[redacted]"_s);
    QTextStream(stderr) << "grokpulse batch: " << text << '\n';
    return exitCode;
}

int BatchSession::setUp()
{
    m_clock.start();
    QString error;
    // First, so a signal from now on is handled (on the event loop, once the run starts).
    if (!m_signals.install(&error))
        return fail(2, error);
    connect(&m_signals, &SignalWatcher::signalled, this, &BatchSession::onSignal);
    if (!QFileInfo(m_options.inputPath).isFile() || !QFileInfo(m_options.inputPath).isReadable())
        return fail(2, u"cannot read input file %1"_s.arg(m_options.inputPath));
    if (const int code = m_options.simulateScenario ? startSimulator() : resolveKey())
        return code;
    const InputLineParser parser(m_options.baseUrl, m_options.model);
    m_reader = std::make_unique<InputReader>(parser);
    if (!m_reader->open(m_options.inputPath, &error))
        return fail(2, error);
    if (const int code = loadResume())
        return code;
    if (!m_writer.open(m_options.outputPath, m_options.resume, &error))
        return fail(2, error);
    m_writer.setSecret(m_apiKey);
    if (const int code = createClient())
        return code;
    if (const int code = openTelemetry())
        return code;
    m_totalLines = InputReader::countLines(m_options.inputPath);
    return 0;
}

int BatchSession::startSimulator()
{
    m_simulator = std::make_unique<sim::SimServer>();
    QString error;
    if (!m_simulator->loadScenario(*m_options.simulateScenario, &error))
        return fail(2, u"--simulate: %1"_s.arg(error));
    m_simulator->setSeed(m_options.simulateSeed);
    m_simulator->setRequiredApiKey(SimulatorKey);
    if (!m_simulator->listen(0))
        return fail(2, u"--simulate: cannot listen on 127.0.0.1"_s);
    m_options.baseUrl = m_simulator->baseUrl();
    m_apiKey = SimulatorKey;
    m_keySource = u"simulator"_s;
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
    return 0;
}

int BatchSession::loadResume()
{
    if (!m_options.resume)
        return 0;
    QString error;
    std::optional<QSet<QString>> inOutput = ResumeState::compactOutput(m_options.outputPath, &error);
    if (!inOutput)
        return fail(2, error);
    m_resumeOutput = std::move(*inOutput);
    if (!m_options.journalPath.isEmpty()) {
        std::optional<QSet<QString>> inJournal = ResumeState::journalSucceeded(m_options.journalPath, &error);
        if (!inJournal)
            return fail(2, error);
        m_resumeJournal = inJournal->subtract(m_resumeOutput);
    }
    return 0;
}

int BatchSession::createClient()
{
    ClientConfig config;
    config.baseUrl = clientBaseUrl(InputLineParser::chatCompletionsUrl(m_options.baseUrl));
    config.apiKey = m_apiKey;
    config.apiKeySource = m_keySource;
    config.defaultModel = m_options.model;
    config.maxInFlight = m_options.concurrency;
    config.allowInsecureHttp = m_options.allowInsecureHttp;
    if (m_options.maxAttempts > 0)
        config.retry.maxAttempts = m_options.maxAttempts;
    m_client = std::make_unique<Client>(config);

    PacingConfig pacing;
    pacing.requestsPerSecond = m_options.requestsPerSecond;
    pacing.requestBurst = m_options.requestBurst;
    pacing.requestsPerMinute = m_options.requestsPerMinute;
    pacing.tokensPerMinute = m_options.tokensPerMinute;
    pacing.maxInFlight = m_options.concurrency;
    pacing.maxQueued = std::max(pacing.maxQueued, m_options.submitWindow() * 2);
    pacing.redisUrl = m_options.redisUrl;
    pacing.redisModel = m_options.model;
    const RedisLimiterConfig redisConfig = RedisLimiterConfig::fromPacing(pacing);
    pacing.redisUrl.clear(); // the session's RedisLimiter below, not a second one of the scheduler's
    m_scheduler = std::make_unique<Scheduler>(pacing);
    m_client->setPacer(m_scheduler.get());
    connect(m_scheduler.get(), &Scheduler::warning, this, [this](const QString &message) {
        if (!m_options.quiet)
            fail(0, message);
    });
    if (!m_options.redisUrl.isEmpty()) {
        m_redis = std::make_unique<RedisLimiter>(redisConfig);
        QString error;
        if (!m_redis->start(&error))
            return fail(2, u"--redis: %1"_s.arg(error));
        m_scheduler->setSharedLimiter(m_redis.get());
    }

    connect(m_client.get(), &Client::eventEmitted, this,
            [this](const Event &event) { m_stats.recordEvent(event); });
    m_runner = std::make_unique<BatchRunner>(m_options, m_client.get(), m_reader.get(), &m_writer, &m_stats);
    m_runner->setResumeIds(m_resumeOutput, m_resumeJournal);
    connect(m_runner.get(), &BatchRunner::finished, this, &BatchSession::onFinished);
    return 0;
}

int BatchSession::openTelemetry()
{
    if (m_options.journalPath.isEmpty() && m_options.metricsPort < 0)
        return 0;
    m_telemetry = std::make_unique<BatchTelemetry>();
    m_telemetry->setServerUrl(InputLineParser::chatCompletionsUrl(m_options.baseUrl));
    connect(m_client.get(), &Client::eventEmitted, this,
            [this](const Event &event) { m_telemetry->record(event); });
    m_telemetry->attachPacer(m_scheduler.get());
    QString error;
    if (!m_options.journalPath.isEmpty() && !m_telemetry->openJournal(m_options.journalPath, &error))
        return fail(2, u"--journal: %1"_s.arg(error));
    if (m_options.metricsPort >= 0 && !m_telemetry->listenMetrics(quint16(m_options.metricsPort), &error))
        return fail(2, u"--metrics-port: %1"_s.arg(error));
    if (m_options.metricsPort >= 0 && !m_options.quiet)
        fail(0, u"metrics on http://127.0.0.1:%1/metrics"_s.arg(m_telemetry->metricsPort()));
    return 0;
}

void BatchSession::start()
{
    if (!m_options.quiet) {
        m_progress = std::make_unique<ProgressReporter>(m_stats, m_totalLines, ::isatty(STDERR_FILENO) == 1);
        m_progress->start();
    }
    m_runner->start();
}

void BatchSession::onSignal(int signalNumber, int count)
{
    const QString name = signalNumber == SIGTERM ? u"SIGTERM"_s : u"SIGINT"_s;
    if (count == 1) {
        if (!m_options.quiet)
            fail(0,
                 u"%1: stopping; in-flight requests get %2 s (signal again to quit now)"_s.arg(name).arg(
                     double(m_options.graceMs) / 1000.0));
        m_runner->stop(u"not sent: the run was interrupted by %1"_s.arg(name));
    } else {
        m_runner->abort();
    }
}

void BatchSession::onFinished(int exitCode)
{
    if (m_progress)
        m_progress->finish();
    if (m_telemetry)
        m_telemetry->flush();
    writeSummary(exitCode);
    if (!m_options.quiet)
        QTextStream(stderr) << m_stats.toText(m_clock.elapsed());
    if (exitCode == 3)
        fail(0, u"stopped: %1"_s.arg(m_runner->authenticationError()));
    if (m_writer.hasFailed())
        fail(0, u"writing %1 failed: %2"_s.arg(m_options.outputPath, m_writer.errorString()));
    QCoreApplication::exit(exitCode);
}

void BatchSession::writeSummary(int exitCode)
{
    if (m_options.summaryPath.isEmpty())
        return;
    QSaveFile file(m_options.summaryPath);
    QByteArray json = QJsonDocument(m_stats.toJson(m_clock.elapsed(), exitCode)).toJson();
    if (!m_apiKey.isEmpty())
        json.replace(m_apiKey.toUtf8(), "[redacted]");
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit())
        fail(0, u"cannot write summary %1: %2"_s.arg(m_options.summaryPath, file.errorString()));
}

} // namespace gp
