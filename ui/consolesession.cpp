#include "ui/consolesession.h"

#include "core/client/client.h"
#include "core/engine/engine.h"
#include "core/pacing/scheduler.h"
#include "core/sim/simserver.h"
#include "core/telemetry/telemetry.h"
#include "ui/consolesettings.h"

namespace gp {

ConsoleSession::ConsoleSession(const ConsoleSettings &settings, SessionOptions options, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_unique<ConsoleSettings>(settings))
    , m_options(std::move(options))
{ }

ConsoleSession::~ConsoleSession() = default;

Client *ConsoleSession::client() const
{
    return m_engine ? m_engine->client() : nullptr;
}

Scheduler *ConsoleSession::scheduler() const
{
    return m_engine ? m_engine->scheduler() : nullptr;
}

Telemetry *ConsoleSession::telemetry() const
{
    return m_engine ? m_engine->telemetry() : nullptr;
}

sim::SimServer *ConsoleSession::simulator() const
{
    return m_engine ? m_engine->simulator() : nullptr;
}

// The same for start() and for updateSettings(), so that only what the user changed differs.
EngineConfig ConsoleSession::engineConfig(const ConsoleSettings &settings) const
{
    EngineConfig config;
    config.client = settings.clientConfig();
    config.pacing = settings.pacingConfig();
    config.limitMemory.enabled = settings.rememberStatedLimits;
    config.telemetry.alerts = settings.alerts;
    config.journal.path = m_journalPath;
    config.runDegraded = true; // the console opens whatever is wrong, and says so where it shows
    if (m_options.simulate || m_demo) {
        QString scenario = m_options.scenario.isEmpty() ? settings.simulatorScenario : m_options.scenario;
        if (scenario.isEmpty())
            scenario = QStringLiteral("demo");
        config.simulator = SimulatorConfig { scenario, std::nullopt, {} };
        if (m_options.seed)
            config.simulator->seed = m_options.seed;
    } else {
        const bool haveEndpoint = m_options.baseUrl.isValid() && !m_options.baseUrl.isEmpty();
        config.client.baseUrl = haveEndpoint ? m_options.baseUrl : settings.endpoint;
    }
    config.client.apiKey = m_apiKey;
    config.client.apiKeySource
        = m_options.apiKeySource.isEmpty() ? QStringLiteral("simulator") : m_options.apiKeySource;
    config.client.randomSeed = m_options.seed;
    return config;
}

bool ConsoleSession::start(QString *error)
{
    const bool haveEndpoint = m_options.baseUrl.isValid() && !m_options.baseUrl.isEmpty();
    m_demo = !m_options.simulate && m_options.apiKey.isEmpty() && !haveEndpoint;
    m_apiKey = m_options.apiKey;
    if ((m_options.simulate || m_demo) && m_apiKey.isEmpty())
        m_apiKey = QStringLiteral("demo-key"); // the simulator accepts any bearer token
    m_journalPath = m_options.journalPath.isEmpty() ? JournalConfig::defaultPath() : m_options.journalPath;
    const EngineConfig config = engineConfig(*m_settings);
    m_scenario = config.simulator ? config.simulator->scenario : QString();

    m_engine = std::make_unique<Engine>(config);
    const QList<ConfigProblem> problems = m_engine->start();
    if (!m_engine->isRunning()) {
        if (error && !problems.isEmpty())
            *error = tr("Simulator %1").arg(problems.first().message);
        m_engine.reset();
        return false;
    }
    for (const ConfigProblem &problem : problems) // the endpoint's also ends every job, in view
        qWarning("GrokPulse: %s: %s", qPrintable(configFieldName(problem.field)),
                 qPrintable(problem.message));
    m_endpoint = m_engine->baseUrl();
    telemetry()->enableClientHubs(); // the charts and tiles split by client
    connect(telemetry(), &Telemetry::alertRaised, this, &ConsoleSession::alertRaised);
    connect(telemetry(), &Telemetry::alertCleared, this, &ConsoleSession::alertCleared);
    connect(telemetry(), &Telemetry::alertUpdated, this, &ConsoleSession::alertUpdated);
    connect(client(), &Client::eventEmitted, this, &ConsoleSession::activity);
    connect(scheduler(), &Scheduler::stateChanged, this, &ConsoleSession::activity);
    return true;
}

QString ConsoleSession::runningDescription() const
{
    return isSimulated() ? tr("simulator scenario \"%1\" at %2").arg(m_scenario, m_endpoint.toString())
                         : m_endpoint.toString();
}

bool ConsoleSession::flushJournal(QString *error)
{
    Journal *journal = telemetry() ? telemetry()->journal() : nullptr;
    if (!journal) {
        if (error)
            *error = tr("The journal is not open.");
        return false;
    }
    return journal->flush(error);
}

void ConsoleSession::setAlertEvaluationInterval(int ms)
{
    if (telemetry())
        telemetry()->setEvaluationInterval(ms);
}

ApplyReport ConsoleSession::updateSettings(const ConsoleSettings &settings)
{
    ApplyReport report;
    if (m_engine)
        report = m_engine->apply(engineConfig(settings));
    if (report.refused)
        return report;
    *m_settings = settings;
    Q_EMIT settingsChanged();
    return report;
}

void ConsoleSession::setApiKey(const QString &key, const QString &source)
{
    m_apiKey = key;
    if (client())
        client()->setApiKey(key, source);
}

void ConsoleSession::setCredentialProvider(CredentialProvider *provider)
{
    if (client())
        client()->setCredentialProvider(provider);
}

} // namespace gp
