#pragma once

#include "core/telemetry/journalexporter.h"

#include <QDateTime>
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLineEdit;

namespace gp {

// Export…: errors or all events (or requests, or batch --via remote work), CSV or JSONL, a time range, every
// run or this one (each row carries its run_id), and a file.
class ExportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)

public:
    explicit ExportDialog(QWidget *parent = nullptr);

    JournalExporter::Options options() const;
    QString path() const;
    // Offers "only what the event log shows" (summary: its filters in words), checked.
    void offerFilters(const QString &summary);
    bool followsFilters() const; // false for remote work, which the event log does not show
    // Offers "this run only" (the console's run_id) beside every run, which stays the choice.
    void offerRun(qint64 runId);
    qint64 runId() const; // 0: every run

private:
    bool exportsRemoteWork() const;
    void browse();
    void followChoice();
    QString defaultPath() const;

    QComboBox *m_what = nullptr;
    QComboBox *m_format = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QLineEdit *m_path = nullptr;
    QCheckBox *m_filtered = nullptr;
    QComboBox *m_run = nullptr;
    QDateTime m_untilDefault; // untouched: "until" means the moment of export
    QString m_lastDefault; // the name we suggested last: replaced freely, a typed one is kept
};

} // namespace gp
