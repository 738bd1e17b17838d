// EventLogPanel's exports: the file, the confirmation, and "what the table shows".
#include "ui/eventlogpanel.h"

#include "core/telemetry/journal.h"
#include "core/telemetry/journalreader.h"
#include "core/telemetry/telemetry.h"
#include "ui/consolesession.h"
#include "ui/eventlogmodel.h"
#include "ui/exportdialog.h"

#include <QDir>
#include <QFile>
#include <QMessageBox>

namespace gp {

qint64 EventLogPanel::exportTo(const QString &path, const JournalExporter::Options &options,
                               const JournalExporter::Filter &filter, QString *error)
{
    if (!m_session) {
        if (error)
            *error = tr("No session.");
        return -1;
    }
    m_session->flushJournal(); // so the file holds what the log shows
    JournalReader reader;
    if (!reader.open(m_session->journalPath(), error))
        return -1;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return -1;
    }
    const auto rows = JournalExporter::run(reader, options, filter, file, error);
    return rows ? *rows : -1;
}

// Exports and says so where it stays visible: the row count, the path, and a signal the
// main window shows in its status bar.
qint64 EventLogPanel::exportAndConfirm(const QString &path, const JournalExporter::Options &options,
                                       const JournalExporter::Filter &filter, QString *error)
{
    const qint64 rows = exportTo(path, options, filter, error);
    if (rows < 0)
        return rows;
    m_lastExport = (rows == 1 ? tr("Exported 1 row to %1") : tr("Exported %1 rows to %2").arg(rows))
                       .arg(QDir::toNativeSeparators(path));
    Q_EMIT exported(path, rows, m_lastExport);
    return rows;
}

void EventLogPanel::exportInteractive()
{
    ExportDialog dialog(this);
    dialog.offerFilters(filterSummary());
    const Journal *journal
        = m_session && m_session->telemetry() ? m_session->telemetry()->journal() : nullptr;
    if (journal)
        dialog.offerRun(journal->runId());
    if (dialog.exec() != QDialog::Accepted || dialog.path().isEmpty())
        return;
    QString error;
    JournalExporter::Options options = dialog.options();
    JournalExporter::Filter filter
        = dialog.followsFilters() ? tableFilter(options) : JournalExporter::Filter {};
    filter.runId = dialog.runId();
    if (exportAndConfirm(dialog.path(), options, filter, &error) < 0)
        QMessageBox::warning(this, tr("Export failed"), error);
}

JournalExporter::Filter EventLogPanel::tableFilter(JournalExporter::Options &options) const
{
    const EventLogModel::Shown shown = m_model->shown();
    options.sinceMs = std::max(options.sinceMs.value_or(shown.fromMs), shown.fromMs);
    JournalExporter::Filter filter;
    filter.keep = [shown](const JournalEvent &e) {
        if (e.id > shown.throughId)
            return false; // written after the table last looked
        return e.event.jobId != 0 ? shown.requests.contains(EventLogModel::Key { e.runId, e.event.jobId })
                                  : shown.events.contains(e.id);
    };
    filter.keepRequest = [requests = shown.requests](const JournalRequest &r) {
        return requests.contains(EventLogModel::Key { r.runId, r.jobId });
    };
    return filter;
}

} // namespace gp
