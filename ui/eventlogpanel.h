#pragma once

#include "core/telemetry/journalexporter.h"
#include "ui/eventlogmodel.h"

#include <QPersistentModelIndex>
#include <QTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace gp {

class ConsoleSession;
class EventLogFeed;

// The event log: one row per request with its attempts beneath, filters (class, severity,
// text), how far back it keeps (a time window under a memory ceiling), copy and Export….
// Takes in what the journal gained once a second, and catches up a burst in slices.
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
    // The table's filters (class, severity, client, text) and window in words.
    QString filterSummary() const;
    // Exactly what the table shows (its requests' every event, or their request rows, up to the
    // newest journal row it took in) as an export filter; narrows options' start to match.
    JournalExporter::Filter tableFilter(JournalExporter::Options &options) const;
    QString lastExportMessage() const { return m_lastExport; } // "Exported 12 rows to /path"
    void copySelection();
    void reload(); // reads the window again from the journal, now
    void poll(); // takes in what the journal gained (a slice of a burst), drops what got old
    EventLogModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    void setSearchText(const QString &text);
    void setWindowMs(qint64 ms); // one of the window choices (5, 15, 60 min, 24 h); 0: any time
    // The client filter lists the clients the Charts picker offers (as seen so far).
    QComboBox *clientFilter() const { return m_client; }
    // As the Charts picker's: "all", "console", "other" or a client's name; false when not seen yet.
    bool selectClient(const QString &name);
    QString countText() const; // "1 request, 3 attempts · last 15 min"
    // Opens the newest request that took more than one attempt (screenshots show the tree).
    void expandNewestRetried();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void exported(const QString &path, qint64 rows, const QString &message);

private:
    QWidget *buildFilters();
    void applyFilters();
    void applyWindow();
    void syncClientFilter();
    void clientChoice(EventLogModel::Filter &filter) const;
    void updateCount();
    void fitMessageColumn();
    void keepReadingPlace();

    ConsoleSession *m_session = nullptr;
    EventLogModel *m_model = nullptr;
    std::unique_ptr<EventLogFeed> m_feed;
    QTreeView *m_tree = nullptr;
    QComboBox *m_class = nullptr;
    QComboBox *m_severity = nullptr;
    QComboBox *m_window = nullptr;
    QComboBox *m_client = nullptr;
    int m_clientsGeneration = -1;
    QLineEdit *m_search = nullptr;
    QLabel *m_count = nullptr;
    QString m_lastExport;
    QString m_journalError;
    QPersistentModelIndex m_readingAt; // the top row shown while rows go in above it
    bool m_behind = false; // a burst is still being read
    QTimer m_timer;
    QTimer m_catchUp;
    QTimer m_searchDelay;
};

} // namespace gp
