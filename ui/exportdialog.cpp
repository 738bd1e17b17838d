#include "ui/exportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

#include <algorithm>

namespace gp {

ExportDialog::ExportDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export the journal"));
    auto *form = new QFormLayout(this);
    m_what = new QComboBox(this);
    m_what->addItem(tr("Errors"), int(JournalExporter::What::Errors));
    m_what->addItem(tr("All events"), int(JournalExporter::What::Events));
    m_what->addItem(tr("Requests"), int(JournalExporter::What::Requests));
    m_what->addItem(tr("Remote work (batch --via)"), int(JournalExporter::What::Remote));
    m_what->setItemData(3, tr("xAI batches and deferred completions started by grokpulse batch --via"),
                        Qt::ToolTipRole);
    m_what->setAccessibleName(tr("What to export"));
    form->addRow(tr("&What"), m_what);
    m_format = new QComboBox(this);
    m_format->addItem(QStringLiteral("CSV"), int(JournalExporter::Format::Csv));
    m_format->addItem(QStringLiteral("JSONL"), int(JournalExporter::Format::Jsonl));
    m_format->setAccessibleName(tr("Format"));
    form->addRow(tr("&Format"), m_format);
    const QDateTime now = QDateTime::currentDateTime();
    m_from = new QDateTimeEdit(now.addSecs(-3600), this);
    m_from->setCalendarPopup(true);
    m_from->setAccessibleName(tr("From"));
    form->addRow(tr("F&rom"), m_from);
    m_to = new QDateTimeEdit(now, this); // "until now": moved to the moment of export if left alone
    m_untilDefault = m_to->dateTime(); // as the edit holds it (it drops milliseconds)
    m_to->setCalendarPopup(true);
    m_to->setAccessibleName(tr("Until"));
    form->addRow(tr("&Until"), m_to);
    auto *row = new QHBoxLayout;
    m_path = new QLineEdit(defaultPath(), this);
    m_path->setAccessibleName(tr("File"));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    form->addRow(tr("F&ile"), row);
    m_run = new QComboBox(this);
    m_run->setAccessibleName(tr("Runs"));
    m_run->addItem(tr("Every run"), 0);
    m_run->setToolTip(tr("Each row carries its run_id: job ids restart with every run."));
    m_run->setEnabled(false);
    form->addRow(tr("Ru&ns"), m_run);
    m_filtered = new QCheckBox(this);
    m_filtered->setAccessibleName(tr("Export only what the event log's filters show"));
    m_filtered->hide();
    form->addRow(QString(), m_filtered);
    m_lastDefault = m_path->text();
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::followChoice);
    connect(m_what, &QComboBox::currentIndexChanged, this, &ExportDialog::followChoice);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

void ExportDialog::offerFilters(const QString &summary)
{
    m_filtered->setVisible(!summary.isEmpty());
    m_filtered->setChecked(!summary.isEmpty());
    m_filtered->setText(tr("Only what the event &log shows: %1").arg(summary));
}

bool ExportDialog::followsFilters() const
{
    return m_filtered->isChecked() && m_filtered->isEnabled();
}

bool ExportDialog::exportsRemoteWork() const
{
    return m_what->currentData().toInt() == int(JournalExporter::What::Remote);
}

void ExportDialog::offerRun(qint64 runId)
{
    if (runId <= 0)
        return;
    m_run->addItem(tr("This run only (run_id %1)").arg(runId), runId);
    m_run->setEnabled(true);
}

qint64 ExportDialog::runId() const
{
    return m_run->currentData().toLongLong();
}

QString ExportDialog::defaultPath() const
{
    static const char *const names[] = { "errors", "events", "requests", "remote-work" };
    const int what = std::clamp(m_what->currentIndex(), 0, 3);
    const bool csv = m_format->currentData().toInt() == int(JournalExporter::Format::Csv);
    return QDir::home().filePath(QStringLiteral("grokpulse-") + QLatin1String(names[what])
                                 + (csv ? QStringLiteral(".csv") : QStringLiteral(".jsonl")));
}

// The file name follows what and format; a name the user typed keeps its stem, gets the extension.
void ExportDialog::followChoice()
{
    // The event log's filters pick events and requests; remote work rows are not in the table.
    m_filtered->setEnabled(!exportsRemoteWork());
    const bool csv = m_format->currentData().toInt() == int(JournalExporter::Format::Csv);
    QString p = m_path->text();
    if (p == m_lastDefault) {
        p = defaultPath();
    } else {
        const qsizetype dot = p.lastIndexOf(u'.');
        p = (dot < 0 ? p : p.left(dot)) + (csv ? QStringLiteral(".csv") : QStringLiteral(".jsonl"));
    }
    m_lastDefault = defaultPath();
    m_path->setText(p);
}

void ExportDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export to"), m_path->text(),
                                                      tr("CSV (*.csv);;JSON lines (*.jsonl);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

JournalExporter::Options ExportDialog::options() const
{
    JournalExporter::Options o;
    o.what = JournalExporter::What(m_what->currentData().toInt());
    o.format = JournalExporter::Format(m_format->currentData().toInt());
    o.sinceMs = m_from->dateTime().toMSecsSinceEpoch();
    o.untilMs = m_to->dateTime() == m_untilDefault ? QDateTime::currentMSecsSinceEpoch()
                                                   : m_to->dateTime().toMSecsSinceEpoch();
    return o;
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

} // namespace gp
