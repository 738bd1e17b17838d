#include "ui/consolesession.h"

#include "core/client/client.h"
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

ConsoleSession::~ConsoleSession()
{
    if (m_client)
        m_client->cancelAll();
    // The client talks to the pacer and the simulator: it goes first.
    m_client.reset();
    m_scheduler.reset();
    m_sim.reset();
}

bool ConsoleSession::startSimulator(QString *error)
{
    m_sim = std::make_unique<sim::SimServer>();
    m_scenario = m_options.scenario.isEmpty() ? m_settings->simulatorScenario : m_options.scenario;
    if (m_scenario.isEmpty())
        m_scenario = QStringLiteral("demo");
    QString why;
    if (!m_sim->loadScenario(m_scenario, &why)) {
        if (error)
            *error = tr("Simulator scenario \"%1\": %2").arg(m_scenario, why);
        return false;
    }
    if (m_options.seed)
        m_sim->setSeed(m_options.seed);
    if (!m_sim->listen(0)) {
        if (error)
            *error = tr("The simulator could not listen on 127.0.0.1.");
        return false;
    }
    m_endpoint = m_sim->baseUrl();
    return true;
}

bool ConsoleSession::start(QString *error)
{
    const bool haveEndpoint = m_options.baseUrl.isValid() && !m_options.baseUrl.isEmpty();
    m_demo = !m_options.simulate && m_options.apiKey.isEmpty() && !haveEndpoint;
    m_apiKey = m_options.apiKey;
    if (m_options.simulate || m_demo) {
        if (!startSimulator(error))
            return false;
        if (m_apiKey.isEmpty())
            m_apiKey = QStringLiteral("demo-key"); // the simulator accepts any bearer token
    } else {
        m_endpoint = haveEndpoint ? m_options.baseUrl : m_settings->endpoint;
    }

    m_telemetry = std::make_unique<Telemetry>();
    m_telemetry->setAlertConfig(m_settings->alerts);
    connect(m_telemetry.get(), &Telemetry::alertRaised, this, &ConsoleSession::alertRaised);
    connect(m_telemetry.get(), &Telemetry::alertCleared, this, &ConsoleSession::alertCleared);
    m_journalPath = m_options.journalPath.isEmpty() ? JournalConfig::defaultPath() : m_options.journalPath;
    JournalConfig journal;
    journal.path = m_journalPath;
    QString why;
    if (!m_telemetry->openJournal(journal, &why))
        qWarning("GrokPulse: journal unavailable: %s", qPrintable(why)); // the console still works

    ClientConfig config = m_settings->clientConfig();
    config.baseUrl = m_endpoint;
    config.apiKey = m_apiKey;
    config.apiKeySource
        = m_options.apiKeySource.isEmpty() ? QStringLiteral("simulator") : m_options.apiKeySource;
    config.randomSeed = m_options.seed;
    m_scheduler = std::make_unique<Scheduler>(m_settings->pacingConfig());
    m_client = std::make_unique<Client>(config);
    m_client->setPacer(m_scheduler.get());
    m_telemetry->attach(m_client.get());
    connect(m_client.get(), &Client::eventEmitted, this, &ConsoleSession::activity);
    m_telemetry->attachPacer(m_scheduler.get());
    connect(m_scheduler.get(), &Scheduler::stateChanged, this, &ConsoleSession::activity);
    return true;
}

bool ConsoleSession::flushJournal(QString *error)
{
    Journal *journal = m_telemetry ? m_telemetry->journal() : nullptr;
    if (!journal) {
        if (error)
            *error = tr("The journal is not open.");
        return false;
    }
    return journal->flush(error);
}

void ConsoleSession::setAlertEvaluationInterval(int ms)
{
    if (m_telemetry)
        m_telemetry->setEvaluationInterval(ms);
}

void ConsoleSession::updateSettings(const ConsoleSettings &settings)
{
    *m_settings = settings;
    if (m_telemetry)
        m_telemetry->setAlertConfig(settings.alerts);
    Q_EMIT settingsChanged();
}

void ConsoleSession::setApiKey(const QString &key, const QString &source)
{
    m_apiKey = key;
    if (m_client)
        m_client->setApiKey(key, source);
}

void ConsoleSession::setCredentialProvider(CredentialProvider *provider)
{
    if (m_client)
        m_client->setCredentialProvider(provider);
}

} // namespace gp
