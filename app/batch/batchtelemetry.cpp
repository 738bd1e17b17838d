#include "app/batch/batchtelemetry.h"

#include "core/telemetry/telemetry.h"

namespace gp {

BatchTelemetry::BatchTelemetry()
    : m_telemetry(std::make_unique<Telemetry>())
{ }

BatchTelemetry::~BatchTelemetry() = default;

void BatchTelemetry::attachPacer(Pacer *pacer)
{
    m_telemetry->attachPacer(pacer);
}

bool BatchTelemetry::openJournal(const QString &path, QString *error)
{
    JournalConfig config;
    config.path = path;
    return m_telemetry->openJournal(config, error);
}

bool BatchTelemetry::listenMetrics(quint16 port, QString *error)
{
    return m_telemetry->listenMetrics(port, error);
}

quint16 BatchTelemetry::metricsPort() const
{
    return m_telemetry->metricsPort();
}

void BatchTelemetry::setServerUrl(const QUrl &baseUrl)
{
    m_telemetry->setServerUrl(baseUrl);
}

void BatchTelemetry::record(const Event &event)
{
    m_telemetry->record(event);
}

void BatchTelemetry::flush()
{
    if (Journal *journal = m_telemetry->journal())
        journal->flush();
}

} // namespace gp
