#pragma once

#include "core/telemetry/event.h"

#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QObject;

namespace gp {

class Pacer;
class Telemetry;

// The run's journal and Prometheus endpoint behind a narrow face, so the session
// depends on a few calls rather than on the whole telemetry facade.
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
    // Blocks until the journal has committed everything so far; false with *error when
    // it could not (disk full, read-only). True without a journal.
    bool flush(QString *error = nullptr);
    bool hasJournal() const;
    // Journal trouble (write failures, a corrupt file moved aside, dropped events), as text.
    void onWarning(QObject *context, std::function<void(const QString &)> handler);
    // Only the journal's write failures (after openJournal()).
    void onWriteFailed(QObject *context, std::function<void(const QString &)> handler);

private:
    std::unique_ptr<Telemetry> m_telemetry;
};

} // namespace gp
