#pragma once

#include "core/telemetry/journalexporter.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace gp {

class ConsoleSession;
class EventLogModel;

// The event log: journal rows with filters (class, severity, time, text), copy and
// Export…. Reloads at most once a second, only while visible and after new activity.
class EventLogPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogPanel)

public:
    explicit EventLogPanel(ConsoleSession *session, QWidget *parent = nullptr);
    ~EventLogPanel() override;

    // Flushes the journal, then writes the export. Rows written, or -1 with *error.
    qint64 exportTo(const QString &path, const JournalExporter::Options &options,
                    const JournalExporter::Filter &filter = {}, QString *error = nullptr);
    qint64 exportAndConfirm(const QString &path, const JournalExporter::Options &options,
                            const JournalExporter::Filter &filter = {}, QString *error = nullptr);
    void exportInteractive();
    // The table's filters (class, severity, time, text) in words; empty when it shows everything.
    QString filterSummary() const;
    // What the table shows as an export filter (events and errors; requests have none); its
    // time filter narrows options' start.
    JournalExporter::Filter tableFilter(JournalExporter::Options &options) const;
    QString lastExportMessage() const { return m_lastExport; } // "Exported 12 rows to /path"
    void copySelection();
    void reload(); // now, whatever the flags
    EventLogModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    void setSearchText(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;

Q_SIGNALS:
    void exported(const QString &path, qint64 rows, const QString &message);

private:
    QWidget *buildFilters();
    void applyFilters();
    void tick();

    ConsoleSession *m_session = nullptr;
    EventLogModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_class = nullptr;
    QComboBox *m_severity = nullptr;
    QComboBox *m_since = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_count = nullptr;
    QString m_lastExport;
    QTimer m_timer;
    QTimer m_searchDelay;
    bool m_dirty = true;
};

} // namespace gp
