#include "ui/statuspanel.h"

#include "core/telemetry/telemetry.h"
#include "ui/consolesession.h"
#include "ui/headlinestats.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace gp {

StatusPanel::StatusPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(14);
    m_endpoint = addField(tr("Endpoint"));
    m_queue = addField(tr("Requests waiting in the pacing queue, by priority"));
    m_inFlight = addField(tr("Requests in flight"));
    m_breaker = addField(tr("Circuit breaker"));
    m_reset = addField(tr("Next quota reset"));
    m_alerts = new QToolButton(this);
    m_alerts->setAutoRaise(true);
    m_alerts->setAccessibleName(tr("Active alerts: open the alert history"));
    m_alerts->setToolTip(tr("Active alerts; click for every alert raised and cleared this session"));
    layout()->addWidget(m_alerts);
    connect(m_alerts, &QToolButton::clicked, this, &StatusPanel::alertHistoryRequested);
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
    // The same numbers as the headline tiles: one computation for both.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const HeadlineStats s = HeadlineStats::compute(*m_session, now);
    const auto &q = s.queuedByPriority;
    QStringList waiting; // only the priorities that wait: the bar stays short at 1024 px
    static const char *const priorities[] = { "interactive", "normal", "background" };
    for (int i = 0; i < 3; ++i) {
        if (q[size_t(i)] > 0)
            waiting.append(tr("%1 %2").arg(q[size_t(i)]).arg(tr(priorities[i])));
    }
    m_queue->setText(s.queued == 0 ? tr("Queue empty")
                                   : tr("Waiting: %1").arg(waiting.join(QStringLiteral(", "))));
    m_inFlight->setText(s.maxInFlight > 0 ? tr("In flight: %1 of %2").arg(s.inFlight).arg(s.maxInFlight)
                                          : tr("In flight: %1").arg(s.inFlight));
    static const char *const breakerNames[] = { "closed", "half-open", "OPEN" };
    m_breaker->setText(tr("Breaker: %1").arg(tr(breakerNames[std::clamp(s.breaker, 0, 2)])));
    m_reset->setText(s.resetWords().sentence); // the tile's wording
    const int alerts = int(m_session->telemetry()->alerts().activeAlertIds().size());
    m_alerts->setText(tr("Alerts: %1").arg(alerts));
    QFont font = m_alerts->font();
    if (font.bold() != (alerts > 0)) {
        font.setBold(alerts > 0);
        m_alerts->setFont(font);
    }
}

QString StatusPanel::text() const
{
    return QStringList { m_endpoint->text(), m_queue->text(), m_inFlight->text(),
                         m_breaker->text(),  m_reset->text(), m_alerts->text() }
        .join(QStringLiteral(" | "));
}

} // namespace gp
