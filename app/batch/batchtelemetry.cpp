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

bool BatchTelemetry::flush(QString *error)
{
    Journal *journal = m_telemetry->journal();
    return !journal || journal->flush(error);
}

bool BatchTelemetry::hasJournal() const
{
    return m_telemetry->journal() != nullptr;
}

void BatchTelemetry::onWarning(QObject *context, std::function<void(const QString &)> handler)
{
    QObject::connect(m_telemetry.get(), &Telemetry::warning, context,
                     [handler = std::move(handler)](const Event &event) { handler(event.message); });
}

} // namespace gp

namespace gp {

void BatchTelemetry::onWriteFailed(QObject *context, std::function<void(const QString &)> handler)
{
    if (Journal *journal = m_telemetry->journal())
        QObject::connect(journal, &Journal::writeFailed, context, std::move(handler));
}

} // namespace gp
