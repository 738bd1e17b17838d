#pragma once

#include "core/events/event.h"

#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QObject;

namespace gp {

class Journal;
class Telemetry;

// The run's journal and Prometheus endpoint (the Engine's Telemetry, not owned) behind a
// narrow face, so the session depends on a few calls rather than on the whole facade.
class BatchTelemetry final
{
public:
    explicit BatchTelemetry(Telemetry *telemetry);
    ~BatchTelemetry();
    BatchTelemetry(const BatchTelemetry &) = delete;
    BatchTelemetry &operator=(const BatchTelemetry &) = delete;

    quint16 metricsPort() const;
    // Blocks until the journal has committed everything so far; false with *error when
    // it could not (disk full, read-only). True without a journal.
    bool flush(QString *error = nullptr);
    bool hasJournal() const;
    Journal *journal() const; // nullptr without one
    // Only the journal's write failures (after openJournal()).
    void onWriteFailed(QObject *context, std::function<void(const QString &)> handler);

private:
    Telemetry *m_telemetry = nullptr;
};

} // namespace gp
