#pragma once

#include "core/telemetry/event.h"

#include <QObject>
#include <QString>

#include <memory>

namespace gp {
class Telemetry;
}

namespace gp::test {

// gp::Telemetry behind a narrow header. Written while telemetry.h and client.h could not
// share a file (two gp::BreakerState enums, since merged); it can now use Telemetry directly.
class TelemetrySink final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TelemetrySink)

public:
    explicit TelemetrySink(QObject *parent = nullptr);
    ~TelemetrySink() override;

    bool openJournal(const QString &path, QString *error);
    bool listenMetrics(QString *error); // a free port on 127.0.0.1
    quint16 metricsPort() const;
    bool flush();
    void record(const gp::Event &event);

private:
    std::unique_ptr<Telemetry> m_telemetry;
};

} // namespace gp::test
