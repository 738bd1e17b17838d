#include "telemetrysink.h"

#include "core/telemetry/telemetry.h"

namespace gp::test {

TelemetrySink::TelemetrySink(QObject *parent)
    : QObject(parent)
    , m_telemetry(std::make_unique<Telemetry>())
{ }

TelemetrySink::~TelemetrySink() = default;

bool TelemetrySink::openJournal(const QString &path, QString *error)
{
    JournalConfig config;
    config.path = path;
    return m_telemetry->openJournal(config, error);
}

bool TelemetrySink::listenMetrics(QString *error)
{
    return m_telemetry->listenMetrics(0, error);
}

quint16 TelemetrySink::metricsPort() const
{
    return m_telemetry->metricsPort();
}

bool TelemetrySink::flush()
{
    return m_telemetry->journal() && m_telemetry->journal()->flush();
}

void TelemetrySink::record(const gp::Event &event)
{
    m_telemetry->record(event);
}

} // namespace gp::test
