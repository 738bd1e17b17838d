#include "ui/eventlogmodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>

namespace gp {

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_query.limit = kMaxRows;
    m_query.newestFirst = true;
}

EventLogModel::~EventLogModel() = default;

bool EventLogModel::open(const QString &journalPath, QString *error)
{
    return m_reader.open(journalPath, error);
}

void EventLogModel::setQuery(const EventQuery &query, Severity minimum)
{
    m_query = query;
    m_query.limit = kMaxRows;
    m_query.newestFirst = true;
    m_minimum = minimum;
}

bool EventLogModel::refresh(QString *error)
{
    if (!m_reader.isOpen())
        return false;
    auto events = m_reader.events(m_query, error);
    if (!events)
        return false;
    QList<Event> rows;
    rows.reserve(events->size());
    for (Event &e : *events)
        if (int(severityOf(e)) >= int(m_minimum))
            rows.append(std::move(e));
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    return true;
}

EventLogModel::Severity EventLogModel::severityOf(const Event &e)
{
    switch (e.kind) {
    case EventKind::Failed:
    case EventKind::BreakerOpened:
    case EventKind::AlertRaised: return Severity::Error;
    case EventKind::RetryScheduled:
    case EventKind::Interrupted:
    case EventKind::Warning:
    case EventKind::BreakerHalfOpen: return Severity::Warning;
    case EventKind::AttemptFinished:
        return e.errorClass == ErrorClass::None ? Severity::Info : Severity::Warning;
    default: return Severity::Info;
    }
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventLogModel::cell(const Event &e, int column) const
{
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case Request:
        if (e.jobId == 0)
            return e.alertId;
        return e.customId.isEmpty() ? QString::number(e.jobId)
                                    : QStringLiteral("%1 (%2)").arg(e.jobId).arg(e.customId);
    case Attempt: return e.attempt > 0 ? QString::number(e.attempt) : QString();
    case Kind: return eventKindName(e.kind);
    case Status: return e.httpStatus > 0 ? QString::number(e.httpStatus) : QString();
    case Class: return e.errorClass == ErrorClass::None ? QString() : errorClassName(e.errorClass);
    case Delay:
        return e.delayMs > 0 ? QStringLiteral("%1 s").arg(double(e.delayMs) / 1000.0, 0, 'f', 2) : QString();
    case Message: return e.message;
    default: return {};
    }
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Event &e = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return cell(e, index.column());
    if (role == Qt::BackgroundRole) {
        const Severity severity = severityOf(e);
        if (severity == Severity::Info)
            return {};
        const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
        if (severity == Severity::Error)
            return QBrush(dark ? QColor(0x5A, 0x1E, 0x1E) : QColor(0xFA, 0xD4, 0xD4));
        return QBrush(dark ? QColor(0x4A, 0x3F, 0x14) : QColor(0xFF, 0xF1, 0xC4));
    }
    if (role == Qt::TextAlignmentRole
        && (index.column() == Attempt || index.column() == Status || index.column() == Delay))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount]
        = { "Time", "Request", "Attempt", "Kind", "Status", "Class", "Delay", "Message" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

QString EventLogModel::rowText(int row) const
{
    QStringList cells;
    for (int c = 0; c < ColumnCount; ++c)
        cells.append(cell(m_rows.at(row), c));
    return cells.join(u'\t');
}

} // namespace gp
