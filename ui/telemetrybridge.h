#pragma once

#include "core/pacing/pacer.h"
#include "core/telemetry/alertconfig.h"
#include "core/telemetry/event.h"

#include <QObject>

#include <memory>

namespace gp {

class Telemetry;

// Owns the session's Telemetry behind a header that does not include telemetry.h, so
// code that includes core/client/client.h can feed it: metricbucket.h and
// circuitbreaker.h both declare gp::BreakerState and cannot share a translation unit.
class TelemetryBridge final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TelemetryBridge)

public:
    explicit TelemetryBridge(QObject *parent = nullptr);
    ~TelemetryBridge() override;

    Telemetry *telemetry() const { return m_telemetry.get(); }
    bool openJournal(const QString &path, QString *error);
    void setAlertConfig(const AlertConfig &config);
    void record(const gp::Event &event);
    void recordPacing(const gp::PacingState &state);
    bool flushJournal(QString *error);
    void setAlertEvaluationInterval(int ms);
    static QString defaultJournalPath();

Q_SIGNALS:
    void alertRaised(const gp::Event &event);
    void alertCleared(const gp::Event &event);

private:
    std::unique_ptr<Telemetry> m_telemetry;
};

} // namespace gp
