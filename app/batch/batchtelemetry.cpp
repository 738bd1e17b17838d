#include "app/batch/batchtelemetry.h"

#include "core/telemetry/telemetry.h"

namespace gp {

BatchTelemetry::BatchTelemetry(Telemetry *telemetry)
    : m_telemetry(telemetry)
{ }

BatchTelemetry::~BatchTelemetry() = default;

quint16 BatchTelemetry::metricsPort() const
{
    return m_telemetry->metricsPort();
}

bool BatchTelemetry::flush(QString *error)
{
    Journal *journal = m_telemetry->journal();
    return !journal || journal->flush(error);
}

Journal *BatchTelemetry::journal() const
{
    return m_telemetry->journal();
}

bool BatchTelemetry::hasJournal() const
{
    return m_telemetry->journal() != nullptr;
}

} // namespace gp

namespace gp {

void BatchTelemetry::onWriteFailed(QObject *context, std::function<void(const QString &)> handler)
{
    if (Journal *journal = m_telemetry->journal())
        QObject::connect(journal, &Journal::writeFailed, context, std::move(handler));
}

} // namespace gp
