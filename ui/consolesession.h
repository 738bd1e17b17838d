#pragma once

#include "core/engine/engineconfig.h"
#include "core/events/event.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace gp {

class Client;
class CredentialProvider;
class Engine;
class Scheduler;
class Telemetry;
struct ConsoleSettings;
namespace sim {
class SimServer;
}

// How this run was started (command line), on top of the persisted settings.
struct SessionOptions
{
    bool simulate = false; // start the built-in simulator even with a key
    QString scenario; // empty: the settings' scenario
    QUrl baseUrl; // overrides the settings' endpoint when valid
    QString apiKey; // empty: demo mode (simulator) unless baseUrl is given
    QString apiKeySource;
    QString journalPath; // empty: JournalConfig::defaultPath()
    quint64 seed = 0;
};

// The console's Engine (Client, pacing Scheduler, Redis, Telemetry and, in demo mode, the
// in-process simulator), made from the settings and the command line. No widgets: tests and
// the benchmark drive it directly.
class ConsoleSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConsoleSession)

public:
    ConsoleSession(const ConsoleSettings &settings, SessionOptions options, QObject *parent = nullptr);
    ~ConsoleSession() override;

    // Starts the simulator (when simulated), opens the journal. False with *error.
    bool start(QString *error = nullptr);

    Engine *engine() const { return m_engine.get(); } // nullptr before start()
    Client *client() const;
    Scheduler *scheduler() const;
    Telemetry *telemetry() const; // nullptr before start()
    sim::SimServer *simulator() const;
    bool isSimulated() const { return simulator() != nullptr; }
    bool isDemo() const { return m_demo; } // simulated because no key was configured
    QString scenario() const { return m_scenario; }
    QUrl endpoint() const { return m_endpoint; }
    QString apiKey() const { return m_apiKey; }
    QString journalPath() const { return m_journalPath; }
    // What runs now, for people: "simulator scenario "flaky" at http://127.0.0.1:…/v1", or the URL.
    QString runningDescription() const;
    const ConsoleSettings &settings() const { return *m_settings; }
    // New settings: what the running engine can take applies at once (pacing from the next
    // admission, retries for the next prompts, alert thresholds); the report says what waits for
    // the next start. Refused (a limits or retry problem): nothing changes, not even settings().
    ApplyReport updateSettings(const ConsoleSettings &settings);
    void setApiKey(const QString &key, const QString &source);
    void setCredentialProvider(CredentialProvider *provider);
    // Commits what the journal writer has queued (before an export).
    bool flushJournal(QString *error = nullptr);
    void setAlertEvaluationInterval(int ms); // tests: alerts are evaluated once a second

Q_SIGNALS:
    void settingsChanged();
    // Something happened that the charts and the status bar may want to show.
    void activity();
    void alertRaised(const gp::Event &event);
    void alertCleared(const gp::Event &event);
    void alertUpdated(const QString &alertId, const QString &sentence); // still raised, counts of now

private:
    EngineConfig engineConfig(const ConsoleSettings &settings) const;

    std::unique_ptr<ConsoleSettings> m_settings;
    SessionOptions m_options;
    std::unique_ptr<Engine> m_engine;
    QUrl m_endpoint;
    QString m_apiKey;
    QString m_scenario;
    QString m_journalPath;
    bool m_demo = false;
};

} // namespace gp
