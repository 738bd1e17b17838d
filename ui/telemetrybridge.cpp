#include "ui/telemetrybridge.h"

#include "core/telemetry/telemetry.h"

namespace gp {

TelemetryBridge::TelemetryBridge(QObject *parent)
    : QObject(parent)
    , m_telemetry(std::make_unique<Telemetry>())
{
    connect(m_telemetry.get(), &Telemetry::alertRaised, this, &TelemetryBridge::alertRaised);
    connect(m_telemetry.get(), &Telemetry::alertCleared, this, &TelemetryBridge::alertCleared);
}

TelemetryBridge::~TelemetryBridge() = default;

bool TelemetryBridge::openJournal(const QString &path, QString *error)
{
    JournalConfig config;
    config.path = path;
    return m_telemetry->openJournal(config, error);
}

void TelemetryBridge::setAlertConfig(const AlertConfig &config)
{
    m_telemetry->setAlertConfig(config);
}

void TelemetryBridge::record(const Event &event)
{
    m_telemetry->record(event);
}

void TelemetryBridge::recordPacing(const PacingState &state)
{
    m_telemetry->recordPacing(state);
}

bool TelemetryBridge::flushJournal(QString *error)
{
    Journal *journal = m_telemetry->journal();
    if (!journal) {
        if (error)
            *error = tr("The journal is not open.");
        return false;
    }
    return journal->flush(error);
}

void TelemetryBridge::setAlertEvaluationInterval(int ms)
{
    m_telemetry->setEvaluationInterval(ms);
}

QString TelemetryBridge::defaultJournalPath()
{
    return JournalConfig::defaultPath();
}

} // namespace gp
