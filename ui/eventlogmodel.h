#pragma once

#include "ui/eventlogcells.h"
#include "ui/eventlogitem.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>
#include <QSet>

#include <deque>
#include <limits>
#include <memory>

namespace gp {

struct JournalEvent;

// The event log as a tree: one top-level row per request (grouped by run and job id: job ids
// restart with every run) with its attempts as children, and one row per event with no request.
// Newest first. Taken in incrementally (rows inserted, never reset per event); keeps what the
// time window holds, and never more than the memory ceiling (the oldest go first).
class EventLogModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogModel)

public:
    using Severity = LogSeverity;
    using Key = QPair<qint64, quint64>; // run id, job id
    static constexpr qint64 kDefaultWindowMs = 15 * 60 * 1000;
    static constexpr qint64 kDefaultCeilingBytes = qint64(32) << 20; // 15 min up to ~24 requests/s

    // Which top-level rows show: a request shows when any of its events matches.
    struct Filter
    {
        QList<ErrorBucket> errorBuckets; // empty: any
        Severity minimum = Severity::Info;
        QString text; // in a message, request id, model, custom id, client or alert id
        // Whose requests: any when empty and not excluding; else those whose client is (or,
        // excluding, is not) one of these ("" = the console's own). Lone events have no client.
        QSet<QString> clients;
        bool clientsExcluded = false;
        bool byClient() const { return clientsExcluded || !clients.isEmpty(); }
    };
    // What the rows hold, for an export of exactly that.
    struct Shown
    {
        QSet<Key> requests;
        QSet<qint64> events; // row ids of the lone events shown
        qint64 fromMs = 0; // the oldest event kept
        qint64 throughId = 0; // the newest journal row taken in
    };

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    // A reset; requests still shown stay open in a view that said so (expandedRows()).
    void setFilter(const Filter &filter);
    const Filter &filter() const { return m_filter; }
    // A view that says which requests it shows open (setExpanded) is told of changes in the
    // attempt rows of those only; a closed request's row still changes, and rows are inserted.
    void setExpansionHints(bool on);
    void setExpanded(const QModelIndex &index, bool expanded); // a top-level row
    QModelIndexList expandedRows() const; // the top-level rows open in the view
    void setWindowMs(qint64 ms); // 0: no time cap, only the memory ceiling
    qint64 windowMs() const { return m_windowMs; }
    void setMemoryCeiling(qint64 bytes);
    qint64 memoryCeiling() const { return m_ceiling; }

    void clear();
    void append(const QList<JournalEvent> &rows); // in the order they were written
    void expire(qint64 nowMs); // drops what left the time window

    int requestCount() const { return m_shownRequests; }
    int attemptCount() const { return m_shownAttempts; }
    int otherCount() const { return int(m_visible.size()) - m_shownRequests; }
    qint64 bytes() const { return m_bytes; }
    qint64 keptEvents() const { return m_events; } // shown or not
    qint64 oldestMs() const; // the first event kept; 0 when empty
    bool trimmedForMemory() const
    {
        return m_trimmedUntilMs > 0;
    } // the ceiling dropped what the window holds
    qint64 lastId() const { return m_lastId; }
    Shown shown() const;

    const LogItem *itemAt(int row) const; // a top-level row
    // Where a request (or its attempt `step`) shows now; invalid when the filter hides it.
    QModelIndex indexOf(const LogItem *item, int step = -1) const;
    EventKind kindAt(int row) const; // a lone event's kind, or a request's terminal (else Submitted)
    QString rowText(const QModelIndex &index) const; // tab-separated, for the clipboard
    static Severity severityOf(const Event &event);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    LogItem *itemOf(const QModelIndex &index) const; // the request a row or child belongs to
    int rowOf(const LogItem *item) const;
    qsizetype visiblePos(const LogItem *item) const;
    bool matches(const LogItem &item) const;
    void takeIn(const LogEvent &event, LogItem *item, QList<LogItem *> &changed);
    void showNewlyMatching(LogItem *item);
    void showFresh(QList<LogItem *> &fresh);
    void drop(const QList<LogItem *> &victims); // oldest first
    void trimToCeiling();
    void countShown(const LogItem *item, int sign);
    QVariant background(LogSeverity severity) const;

    std::deque<std::unique_ptr<LogItem>> m_items; // oldest first
    QHash<Key, LogItem *> m_byKey;
    QList<LogItem *> m_visible; // oldest first: top-level row r is m_visible[size - 1 - r]
    Filter m_filter;
    quint32 m_bucketMask = 0;
    qint64 m_windowMs = kDefaultWindowMs;
    qint64 m_ceiling = kDefaultCeilingBytes;
    qint64 m_bytes = 0;
    qint64 m_events = 0;
    qint64 m_lastId = 0;
    quint64 m_seq = 0;
    int m_shownRequests = 0;
    int m_shownAttempts = 0;
    bool m_expansionHints = false;
    qint64 m_trimmedUntilMs = 0; // the newest event the ceiling dropped, while inside the window
};

} // namespace gp
