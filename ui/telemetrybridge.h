#pragma once

#include "core/pacing/pacer.h"
#include "core/telemetry/alertconfig.h"
#include "core/telemetry/event.h"

#include <QObject>

#include <memory>

namespace gp {

class Telemetry;

// Owns the session's Telemetry behind a narrow header. It was written while telemetry.h and
// client.h could not share a file (two gp::BreakerState enums); that clash is fixed, so this
// bridge can be folded into ConsoleSession.
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
