#include "core/telemetry/telemetry.h"

#include "core/events/steadyclock.h"
#include "core/telemetry/prometheusformatter.h"

#include <QDateTime>

namespace gp {

Telemetry::Telemetry(QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_evaluateTimer.setInterval(1000);
    connect(&m_evaluateTimer, &QTimer::timeout, this, &Telemetry::evaluateAlerts);
    m_evaluateTimer.start();
}

Telemetry::~Telemetry() = default;

void Telemetry::recordPacing(const PacingState &state)
{
    // PacingState's reset time is on the steady clock.
    m_hub.recordPacing(state, m_clock(), SteadyClock::nowMs());
    m_labelled.recordPacing(state);
}

bool Telemetry::openJournal(const JournalConfig &config, QString *error)
{
    auto journal = std::make_unique<Journal>();
    connect(journal.get(), &Journal::warning, this, [this](const Event &e) {
        m_hub.record(e);
        Q_EMIT warning(e);
    });
    connect(journal.get(), &Journal::writeFailed, this, [this](const QString &message) {
        Event e;
        e.timeMs = m_clock();
        e.kind = EventKind::Warning;
        e.message = message;
        Q_EMIT warning(e);
    });
    if (!journal->open(config, error))
        return false;
    m_journal = std::move(journal);
    return true;
}

bool Telemetry::listenMetrics(quint16 port, QString *error)
{
    if (!m_endpoint)
        m_endpoint = std::make_unique<MetricsEndpoint>(
            [this] { return PrometheusFormatter::render(m_hub.snapshot(), m_labelled); });
    return m_endpoint->listen(port, error);
}

quint16 Telemetry::metricsPort() const
{
    return m_endpoint ? m_endpoint->port() : 0;
}

void Telemetry::record(const Event &event)
{
    m_hub.record(event);
    m_labelled.record(event);
    if (m_journal)
        m_journal->append(event);
}

void Telemetry::evaluateAlerts()
{
    const QList<Event> changes = m_alerts.evaluate(m_clock());
    for (const Event &e : changes) {
        record(e);
        if (e.kind == EventKind::AlertRaised)
            Q_EMIT alertRaised(e);
        else
            Q_EMIT alertCleared(e);
    }
    for (const auto &[alertId, sentence] : m_alerts.updatedSentences())
        Q_EMIT alertUpdated(alertId, sentence);
}

} // namespace gp
