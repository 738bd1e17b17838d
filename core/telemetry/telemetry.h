#pragma once

#include "core/events/event.h"
#include "core/events/pacingstate.h"
#include "core/telemetry/alertmonitor.h"
#include "core/telemetry/journal.h"
#include "core/telemetry/labelledmetrics.h"
#include "core/telemetry/metricsendpoint.h"
#include "core/telemetry/metricshub.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace gp {

// Wires telemetry together: events -> MetricsHub, AlertMonitor (evaluated each second),
// Journal; optional Prometheus endpoint. Only listens: record() never blocks on disk.
//   connect(client, &Client::eventEmitted, telemetry, &Telemetry::record);   or attach(client)
class Telemetry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Telemetry)

public:
    using Clock = std::function<qint64()>; // wall-clock ms since the epoch

    explicit Telemetry(QObject *parent = nullptr);
    ~Telemetry() override;

    // Any QObject with an eventEmitted(const gp::Event &) signal (gp::Client).
    template<typename Source> void attach(Source *source)
    {
        connect(source, &Source::eventEmitted, this, &Telemetry::record);
    }
    // Queue depth, in-flight and quota gauges on every stateChanged() of a gp::Pacer.
    // A template so gp_telemetry does not link gp_pacing: the caller links both.
    template<typename PacerType> void attachPacer(PacerType *pacer)
    {
        connect(pacer, &PacerType::stateChanged, this, [this, pacer] { recordPacing(pacer->state()); });
    }
    void recordPacing(const PacingState &state);

    bool openJournal(const JournalConfig &config, QString *error = nullptr);
    bool listenMetrics(quint16 port, QString *error = nullptr); // 127.0.0.1 only
    quint16 metricsPort() const;
    // The client's base URL, for the GenAI metrics' provider, server_address and server_port.
    void setServerUrl(const QUrl &baseUrl) { m_labelled.setServer(GenAiServer::fromUrl(baseUrl)); }

    void setAlertConfig(const AlertConfig &config) { m_alerts.setConfig(config); }
    void setClock(Clock clock) { m_clock = std::move(clock); } // tests pin time
    void setEvaluationInterval(int ms) { m_evaluateTimer.setInterval(ms); }

    const MetricsHub &hub() const { return m_hub; }
    const LabelledMetrics &labelled() const { return m_labelled; }
    const AlertMonitor &alerts() const { return m_alerts; }
    Journal *journal() const { return m_journal.get(); } // nullptr until openJournal()

    void record(const gp::Event &event);
    void evaluateAlerts(); // also runs on a 1 s timer

Q_SIGNALS:
    void alertRaised(const gp::Event &event);
    void alertCleared(const gp::Event &event);
    // A raised alert's sentence with the counts of now (once per evaluation that changed it).
    void alertUpdated(const QString &alertId, const QString &sentence);
    void warning(const gp::Event &event); // journal trouble (corrupt file moved aside, write failures)

private:
    Clock m_clock;
    MetricsHub m_hub;
    LabelledMetrics m_labelled;
    AlertMonitor m_alerts { m_hub };
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<MetricsEndpoint> m_endpoint;
    QTimer m_evaluateTimer;
};

} // namespace gp
