#pragma once

#include "core/telemetry/event.h"

#include <QString>
#include <QUrl>

#include <memory>

namespace gp {

class Pacer;
class Telemetry;

// The run's journal and Prometheus endpoint behind a narrow face, so the runner
// depends on four calls rather than on the whole telemetry facade.
class BatchTelemetry final
{
public:
    BatchTelemetry();
    ~BatchTelemetry();
    BatchTelemetry(const BatchTelemetry &) = delete;
    BatchTelemetry &operator=(const BatchTelemetry &) = delete;

    void attachPacer(Pacer *pacer);
    bool openJournal(const QString &path, QString *error);
    bool listenMetrics(quint16 port, QString *error);
    quint16 metricsPort() const;
    void setServerUrl(const QUrl &baseUrl); // names the server in the GenAI metrics
    void record(const Event &event);
    void flush(); // blocks until the journal has committed everything so far

private:
    std::unique_ptr<Telemetry> m_telemetry;
};

} // namespace gp
