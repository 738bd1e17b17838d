// EventLogModel's read side: rows and indexes for the view, cells, colours, the clipboard.
#include "ui/eventlogmodel.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace gp {

qsizetype EventLogModel::visiblePos(const LogItem *item) const
{
    const auto it = std::lower_bound(m_visible.cbegin(), m_visible.cend(), item->seq,
                                     [](const LogItem *a, quint64 seq) { return a->seq < seq; });
    return it - m_visible.cbegin();
}

int EventLogModel::rowOf(const LogItem *item) const
{
    return int(m_visible.size() - 1 - visiblePos(item));
}

const LogItem *EventLogModel::itemAt(int row) const
{
    return row >= 0 && row < m_visible.size() ? m_visible[m_visible.size() - 1 - row] : nullptr;
}

QModelIndex EventLogModel::indexOf(const LogItem *item, int step) const
{
    if (!item || !item->visible)
        return {};
    const QModelIndex top = createIndex(rowOf(item), 0);
    return step >= 0 ? index(step, 0, top) : top;
}

LogItem *EventLogModel::itemOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    if (index.internalPointer())
        return static_cast<LogItem *>(index.internalPointer());
    return const_cast<LogItem *>(itemAt(index.row()));
}

EventKind EventLogModel::kindAt(int row) const
{
    const LogItem *item = itemAt(row);
    if (!item)
        return EventKind::Warning;
    if (!item->isRequest())
        return item->lone().kind;
    const LogEvent *t = item->terminal();
    return t ? t->kind : EventKind::Submitted;
}

EventLogModel::Severity EventLogModel::severityOf(const Event &event)
{
    LogEvent e;
    e.kind = event.kind;
    e.errorClass = event.errorClass;
    return e.severity();
}

QModelIndex EventLogModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= EventLogCells::ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_visible.size() ? createIndex(row, column) : QModelIndex();
    if (parent.internalPointer() || parent.column() != 0)
        return {}; // attempts have no children; a request's hang under its first column
    const LogItem *item = itemAt(parent.row());
    if (!item || !item->isRequest() || row >= int(item->steps.size()))
        return {};
    return createIndex(row, column, const_cast<LogItem *>(item));
}

QModelIndex EventLogModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || !child.internalPointer())
        return {};
    return createIndex(rowOf(static_cast<const LogItem *>(child.internalPointer())), 0);
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_visible.size());
    if (parent.internalPointer() || parent.column() != 0)
        return 0;
    const LogItem *item = itemAt(parent.row());
    return item && item->isRequest() ? int(item->steps.size()) : 0;
}

int EventLogModel::columnCount(const QModelIndex &) const
{
    return EventLogCells::ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    const LogItem *item = itemOf(index);
    if (!item)
        return {};
    const bool attempt = index.internalPointer() != nullptr;
    switch (role) {
    case Qt::DisplayRole:
        return attempt ? EventLogCells::step(*item, index.row(), index.column())
                       : EventLogCells::item(*item, index.column());
    case Qt::ToolTipRole:
        return attempt ? EventLogCells::stepTip(*item, index.row())
                       : EventLogCells::itemTip(*item, index.column());
    case Qt::BackgroundRole: {
        if (!attempt)
            return background(item->severity);
        LogSeverity severity = LogSeverity::Info;
        for (const LogEvent &e : item->steps[size_t(index.row())].events)
            severity = std::max(severity, e.severity());
        return background(severity);
    }
    case Qt::TextAlignmentRole:
        return EventLogCells::isNumeric(index.column()) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                        : QVariant();
    default: return {};
    }
}

QVariant EventLogModel::background(LogSeverity severity) const
{
    if (severity == LogSeverity::Info)
        return {};
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    if (severity == LogSeverity::Error)
        return QBrush(dark ? QColor(0x5A, 0x1E, 0x1E) : QColor(0xFA, 0xD4, 0xD4));
    return QBrush(dark ? QColor(0x4A, 0x3F, 0x14) : QColor(0xFF, 0xF1, 0xC4));
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole)
        return EventLogCells::header(section);
    if (role == Qt::ToolTipRole)
        return EventLogCells::headerTip(section);
    return {};
}

QString EventLogModel::rowText(const QModelIndex &index) const
{
    QStringList cells;
    for (int c = 0; c < EventLogCells::ColumnCount; ++c)
        cells.append(index.siblingAtColumn(c).data().toString());
    return cells.join(u'\t');
}

} // namespace gp
