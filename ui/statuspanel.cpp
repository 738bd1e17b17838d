#include "ui/statuspanel.h"

#include "core/telemetry/telemetry.h"
#include "ui/consolesession.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>

namespace gp {

StatusPanel::StatusPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(14);
    m_endpoint = addField(tr("Endpoint"));
    m_queue = addField(tr("Queue depth by priority: interactive / normal / background"));
    m_inFlight = addField(tr("Requests in flight"));
    m_breaker = addField(tr("Circuit breaker"));
    m_reset = addField(tr("Next quota reset"));
    m_alerts = addField(tr("Active alerts"));
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &StatusPanel::refresh);
    m_timer.start();
    refresh();
}

QLabel *StatusPanel::addField(const QString &accessibleName)
{
    auto *label = new QLabel(this);
    label->setAccessibleName(accessibleName);
    label->setToolTip(accessibleName); // the bar's short forms ("i/n/b") spelled out on hover
    label->setTextFormat(Qt::PlainText);
    layout()->addWidget(label);
    return label;
}

void StatusPanel::refresh()
{
    if (!m_session || !m_session->telemetry())
        return;
    const QString url = m_session->endpoint().toString();
    m_endpoint->setText(m_session->isSimulated() ? tr("Simulator (%1) · %2").arg(m_session->scenario(), url)
                                                 : url);
    const MetricGauges &g = m_session->telemetry()->hub().snapshot().gauges;
    m_queue->setText(tr("Queue i/n/b: %1/%2/%3").arg(g.queued[0]).arg(g.queued[1]).arg(g.queued[2]));
    m_inFlight->setText(tr("In flight: %1").arg(g.inFlight));
    static const char *const breakerNames[] = { "closed", "half-open", "OPEN" };
    m_breaker->setText(tr("Breaker: %1").arg(tr(breakerNames[int(g.breaker)])));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (g.quotaResetAtMs > now)
        m_reset->setText(tr("Quota reset in %1 s").arg(double(g.quotaResetAtMs - now) / 1000.0, 0, 'f', 1));
    else
        m_reset->setText(g.quotaResetAtMs < 0 ? tr("Quota reset: unknown") : tr("Quota reset: now"));
    const int alerts = int(m_session->telemetry()->alerts().activeAlertIds().size());
    m_alerts->setText(tr("Alerts: %1").arg(alerts));
    m_alerts->setForegroundRole(alerts > 0 ? QPalette::Highlight : QPalette::WindowText);
}

QString StatusPanel::text() const
{
    return QStringList { m_endpoint->text(), m_queue->text(), m_inFlight->text(),
                         m_breaker->text(),  m_reset->text(), m_alerts->text() }
        .join(QStringLiteral(" | "));
}

} // namespace gp
