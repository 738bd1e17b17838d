#include "ui/eventlogmodel.h"

#include "core/telemetry/journalreader.h"

#include <algorithm>

namespace gp {

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractItemModel(parent)
{ }

EventLogModel::~EventLogModel() = default;

void EventLogModel::setFilter(const Filter &filter)
{
    beginResetModel();
    m_filter = filter;
    m_bucketMask = 0;
    for (ErrorBucket bucket : m_filter.errorBuckets)
        m_bucketMask |= 1u << int(bucket);
    m_visible.clear();
    m_shownRequests = m_shownAttempts = 0;
    for (const auto &item : m_items) {
        item->textHit = !m_filter.text.isEmpty() && item->hitsText(m_filter.text);
        item->visible = matches(*item);
        item->expanded = item->expanded && item->visible; // the view opens them again after the reset
        if (item->visible) {
            m_visible.append(item.get());
            countShown(item.get(), 1);
        }
    }
    endResetModel();
}

void EventLogModel::setExpansionHints(bool on)
{
    m_expansionHints = on;
}

void EventLogModel::setExpanded(const QModelIndex &index, bool expanded)
{
    if (LogItem *item = itemOf(index); item && !index.internalPointer())
        item->expanded = expanded;
}

QModelIndexList EventLogModel::expandedRows() const
{
    QModelIndexList rows;
    for (qsizetype i = 0; i < m_visible.size(); ++i)
        if (m_visible[i]->expanded)
            rows.append(createIndex(int(m_visible.size() - 1 - i), 0));
    return rows;
}

void EventLogModel::setWindowMs(qint64 ms)
{
    m_windowMs = std::max<qint64>(0, ms);
}

void EventLogModel::setMemoryCeiling(qint64 bytes)
{
    m_ceiling = std::max<qint64>(1, bytes);
    trimToCeiling();
}

void EventLogModel::clear()
{
    beginResetModel();
    m_visible.clear();
    m_byKey.clear();
    m_items.clear();
    m_bytes = m_events = m_lastId = 0;
    m_shownRequests = m_shownAttempts = 0;
    m_trimmedUntilMs = 0;
    endResetModel();
}

// New requests of the batch are made silently and shown at the end in one insertion; events of
// requests already shown insert their attempt rows as they come.
void EventLogModel::append(const QList<JournalEvent> &rows)
{
    const size_t batchStart = m_items.size();
    QList<LogItem *> changed;
    for (const JournalEvent &row : rows) {
        m_lastId = std::max(m_lastId, row.id);
        LogItem *item = nullptr;
        const Key key { row.runId, row.event.jobId };
        if (row.event.jobId != 0)
            item = m_byKey.value(key);
        if (!item) {
            m_items.push_back(LogItem::make(row, ++m_seq));
            item = m_items.back().get();
            item->pending = true;
            m_bytes += item->bytes;
            if (row.event.jobId != 0)
                m_byKey.insert(key, item);
        }
        takeIn(LogEvent::from(row), item, changed);
    }
    for (LogItem *item : std::as_const(changed)) {
        item->marked = false;
        const QModelIndex top = index(rowOf(item), 0);
        Q_EMIT dataChanged(top, top.siblingAtColumn(EventLogCells::ColumnCount - 1));
        // Rows inserted in this batch need no word. A tree view searches all its rows for each
        // changed child of a closed request, so a view that tracks expansion is told only of open ones.
        if (item->changedFrom >= 0 && (!m_expansionHints || item->expanded))
            Q_EMIT dataChanged(index(item->changedFrom, 0, top),
                               index(int(item->steps.size()) - 1, EventLogCells::ColumnCount - 1, top));
        item->changedFrom = -1;
    }
    QList<LogItem *> fresh;
    for (size_t i = batchStart; i < m_items.size(); ++i) {
        m_items[i]->pending = false;
        if (matches(*m_items[i]))
            fresh.append(m_items[i].get());
    }
    showFresh(fresh);
    trimToCeiling();
}

void EventLogModel::takeIn(const LogEvent &event, LogItem *item, QList<LogItem *> &changed)
{
    const LogItem::Place place = item->placeFor(event);
    const qint64 before = item->bytes;
    if (item->visible) {
        countShown(item, -1);
        if (place.newStep) {
            beginInsertRows(index(rowOf(item), 0), place.step, place.step);
            item->add(event, place);
            endInsertRows();
        } else {
            item->add(event, place);
        }
        countShown(item, 1);
        // The attempt before a new one now reads "retried"; an existing one gained an event.
        const int from = place.newStep ? place.step - 1 : place.step;
        if (from >= 0)
            item->changedFrom = item->changedFrom < 0 ? from : std::min(item->changedFrom, from);
        if (!item->marked) {
            item->marked = true;
            changed.append(item);
        }
    } else {
        item->add(event, place);
    }
    if (!m_filter.text.isEmpty() && !item->textHit)
        item->textHit = item->hitsText(m_filter.text, event);
    if (!item->visible && !item->pending && matches(*item))
        showNewlyMatching(item);
    m_bytes += item->bytes - before;
    ++m_events;
}

bool EventLogModel::matches(const LogItem &item) const
{
    if (m_bucketMask != 0 && (item.buckets & m_bucketMask) == 0)
        return false;
    if (int(item.severity) < int(m_filter.minimum))
        return false;
    if (m_filter.byClient()
        && (!item.isRequest() || m_filter.clients.contains(item.client) == m_filter.clientsExcluded))
        return false;
    return m_filter.text.isEmpty() || item.textHit;
}

void EventLogModel::countShown(const LogItem *item, int sign)
{
    if (!item->isRequest())
        return;
    m_shownRequests += sign;
    m_shownAttempts += sign * item->attempts();
}

// A hidden request that now matches goes in at its place by age.
void EventLogModel::showNewlyMatching(LogItem *item)
{
    const qsizetype pos = visiblePos(item);
    const int row = int(m_visible.size() - pos);
    beginInsertRows({}, row, row);
    m_visible.insert(pos, item);
    item->visible = true;
    countShown(item, 1);
    endInsertRows();
}

void EventLogModel::showFresh(QList<LogItem *> &fresh)
{
    if (fresh.isEmpty())
        return;
    beginInsertRows({}, 0, int(fresh.size()) - 1); // the newest rows are on top
    for (LogItem *item : std::as_const(fresh)) {
        item->visible = true;
        m_visible.append(item);
        countShown(item, 1);
    }
    endInsertRows();
}

void EventLogModel::expire(qint64 nowMs)
{
    if (m_windowMs <= 0)
        return;
    const qint64 cutoff = nowMs - m_windowMs;
    if (m_trimmedUntilMs < cutoff)
        m_trimmedUntilMs = 0;
    QList<LogItem *> victims;
    for (const auto &item : m_items) {
        if (item->firstMs >= cutoff)
            break; // made in order: the rest are newer
        if (item->lastMs < cutoff) // a request still waiting or in flight stays
            victims.append(item.get());
    }
    drop(victims);
}

void EventLogModel::trimToCeiling()
{
    if (m_bytes <= m_ceiling)
        return;
    const qint64 target = m_ceiling - m_ceiling / 10; // room for the next bursts
    qint64 freed = 0;
    QList<LogItem *> victims;
    for (const auto &item : m_items) {
        if (m_bytes - freed <= target)
            break;
        victims.append(item.get());
        freed += item->bytes;
        m_trimmedUntilMs = std::max(m_trimmedUntilMs, item->lastMs);
    }
    drop(victims);
}

void EventLogModel::drop(const QList<LogItem *> &victims)
{
    if (victims.isEmpty())
        return;
    QList<qsizetype> positions; // ascending, as victims are
    for (LogItem *item : victims)
        if (item->visible)
            positions.append(visiblePos(item));
    // Runs of adjacent rows, newest run first so the positions before it stay valid.
    for (qsizetype end = positions.size(); end > 0;) {
        qsizetype start = end - 1;
        while (start > 0 && positions[start - 1] == positions[start] - 1)
            --start;
        const qsizetype a = positions[start];
        const qsizetype b = positions[end - 1];
        const int n = int(m_visible.size());
        beginRemoveRows({}, n - 1 - int(b), n - 1 - int(a));
        for (qsizetype i = a; i <= b; ++i) {
            countShown(m_visible[i], -1);
            m_visible[i]->visible = false;
        }
        m_visible.remove(a, b - a + 1);
        endRemoveRows();
        end = start;
    }
    for (LogItem *item : victims) {
        item->marked = true;
        m_bytes -= item->bytes;
        m_events -= item->eventCount;
        if (item->isRequest())
            m_byKey.remove(Key { item->runId, item->jobId });
    }
    qsizetype popped = 0;
    for (; !m_items.empty() && m_items.front()->marked; ++popped)
        m_items.pop_front();
    if (popped < victims.size()) // some were behind a request still in flight
        std::erase_if(m_items, [](const std::unique_ptr<LogItem> &item) { return item->marked; });
}

qint64 EventLogModel::oldestMs() const
{
    return m_items.empty() ? 0 : m_items.front()->firstMs;
}

EventLogModel::Shown EventLogModel::shown() const
{
    Shown s;
    s.throughId = m_lastId;
    s.fromMs = std::numeric_limits<qint64>::max();
    for (const LogItem *item : m_visible) {
        s.fromMs = std::min(s.fromMs, item->firstMs);
        if (item->isRequest())
            s.requests.insert(Key { item->runId, item->jobId });
        else
            s.events.insert(item->lone().id);
    }
    if (m_visible.isEmpty())
        s.fromMs = 0;
    return s;
}

} // namespace gp
