#pragma once

#include "core/telemetry/journalreader.h"

#include <QAbstractTableModel>
#include <QList>

namespace gp {

// The event log's rows: the newest events of the journal that match a query (read on
// its own read-only connection), filtered by severity, coloured by severity.
class EventLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogModel)

public:
    enum Column { Time, Request, Attempt, Kind, Status, Class, Delay, Message, ColumnCount };
    enum class Severity { Info, Warning, Error };
    static constexpr int kMaxRows = 2000;

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    bool open(const QString &journalPath, QString *error = nullptr);
    void setQuery(const EventQuery &query, Severity minimum);
    // Re-reads the journal; false with *error when it cannot be read.
    bool refresh(QString *error = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Event &event(int row) const { return m_rows.at(row); }
    QString rowText(int row) const; // tab-separated, for the clipboard
    static Severity severityOf(const Event &event);

private:
    QString cell(const Event &event, int column) const;

    JournalReader m_reader;
    EventQuery m_query;
    Severity m_minimum = Severity::Info;
    QList<Event> m_rows;
};

} // namespace gp
