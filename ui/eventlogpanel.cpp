#include "ui/eventlogpanel.h"

#include "ui/charts/chartspec.h"
#include "ui/consolesession.h"
#include "ui/eventlogmodel.h"
#include "ui/exportdialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

namespace gp {

EventLogPanel::EventLogPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new EventLogModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildFilters());
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setAccessibleName(tr("Event log"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int widths[] = { 170, 130, 60, 120, 55, 130, 70 };
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_table->setColumnWidth(c, widths[c]);
    auto *copy = new QAction(tr("&Copy rows"), m_table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &EventLogPanel::copySelection);
    m_table->addAction(copy);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    layout->addWidget(m_table, 1);

    if (m_session) {
        QString error;
        if (!m_model->open(m_session->journalPath(), &error))
            m_count->setText(tr("Journal unavailable: %1").arg(error));
        connect(m_session, &ConsoleSession::activity, this, [this] { m_dirty = true; });
        connect(m_session, &ConsoleSession::alertRaised, this, [this] { m_dirty = true; });
    }
    applyFilters();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &EventLogPanel::tick);
    m_timer.start();
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(300);
    connect(&m_searchDelay, &QTimer::timeout, this, &EventLogPanel::applyFilters);
}

EventLogPanel::~EventLogPanel() = default;

QWidget *EventLogPanel::buildFilters()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_class = new QComboBox(bar);
    m_class->setAccessibleName(tr("Error class filter"));
    m_class->addItem(tr("Any class"), -1);
    for (int b = 0; b < ErrorBucketCount; ++b)
        m_class->addItem(ChartSpec::bucketLabel(ErrorBucket(b)), b);
    m_severity = new QComboBox(bar);
    m_severity->setAccessibleName(tr("Severity filter"));
    m_severity->addItem(tr("All severities"), int(EventLogModel::Severity::Info));
    m_severity->addItem(tr("Warnings and errors"), int(EventLogModel::Severity::Warning));
    m_severity->addItem(tr("Errors only"), int(EventLogModel::Severity::Error));
    m_since = new QComboBox(bar);
    m_since->setAccessibleName(tr("Time filter"));
    m_since->addItem(tr("Last 5 minutes"), 300);
    m_since->addItem(tr("Last hour"), 3600);
    m_since->addItem(tr("Last 24 hours"), 86400);
    m_since->addItem(tr("Any time"), 0);
    m_since->setCurrentIndex(1);
    m_search = new QLineEdit(bar);
    m_search->setPlaceholderText(tr("Search messages, models, ids…"));
    m_search->setAccessibleName(tr("Search the event log"));
    m_search->setClearButtonEnabled(true);
    m_count = new QLabel(bar);
    m_count->setMinimumWidth(m_count->fontMetrics().horizontalAdvance(tr("newest 2000 rows")) + 8);
    auto *exportButton = new QPushButton(tr("E&xport…"), bar);
    exportButton->setAccessibleName(tr("Export the event log"));
    connect(exportButton, &QPushButton::clicked, this, &EventLogPanel::exportInteractive);
    for (QComboBox *box : { m_class, m_severity, m_since })
        connect(box, &QComboBox::currentIndexChanged, this, &EventLogPanel::applyFilters);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    row->addWidget(m_class);
    row->addWidget(m_severity);
    row->addWidget(m_since);
    row->addWidget(m_search, 1);
    row->addWidget(m_count);
    row->addWidget(exportButton);
    return bar;
}

void EventLogPanel::applyFilters()
{
    EventQuery query;
    const int bucket = m_class->currentData().toInt();
    if (bucket >= 0)
        query.errorBuckets = { ErrorBucket(bucket) };
    const int seconds = m_since->currentData().toInt();
    if (seconds > 0)
        query.fromMs = QDateTime::currentMSecsSinceEpoch() - qint64(seconds) * 1000;
    query.text = m_search->text().trimmed();
    m_model->setQuery(query, EventLogModel::Severity(m_severity->currentData().toInt()));
    reload();
}

void EventLogPanel::setSearchText(const QString &text)
{
    m_search->setText(text);
    applyFilters();
}

void EventLogPanel::reload()
{
    m_dirty = false;
    QString error;
    if (!m_model->refresh(&error) && !error.isEmpty()) {
        m_count->setText(tr("Journal: %1").arg(error));
        return;
    }
    const int n = m_model->rowCount();
    const QString rows = n == 1 ? tr("1 row") : tr("%1 rows").arg(n);
    if (n < EventLogModel::kMaxRows) {
        m_count->setText(rows);
        return;
    }
    // Capped: say from when the rows reach back, so the cap reads as a time.
    qint64 oldest = m_model->event(0).timeMs;
    for (int r = 0; r < n; ++r)
        oldest = std::min(oldest, m_model->event(r).timeMs);
    m_count->setText(
        tr("%1 since %2")
            .arg(rows, QDateTime::fromMSecsSinceEpoch(oldest).toString(QStringLiteral("HH:mm:ss"))));
    m_count->setToolTip(tr("The newest %1 rows that match; narrow the filters or export for older ones.")
                            .arg(EventLogModel::kMaxRows));
}

void EventLogPanel::tick()
{
    if (m_dirty && isVisible())
        applyFilters(); // also moves the "last N minutes" start
}

void EventLogPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    applyFilters();
}

void EventLogPanel::copySelection()
{
    QStringList lines;
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    for (const QModelIndex &index : std::as_const(rows))
        lines.append(m_model->rowText(index.row()));
    if (!lines.isEmpty())
        QApplication::clipboard()->setText(lines.join(u'\n') + u'\n');
}

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
    m_lastExport = tr("Exported %n row(s) to %1", nullptr, int(rows)).arg(QDir::toNativeSeparators(path));
    m_count->setText(m_lastExport);
    Q_EMIT exported(path, rows, m_lastExport);
    return rows;
}

void EventLogPanel::exportInteractive()
{
    ExportDialog dialog(this);
    dialog.offerFilters(filterSummary());
    if (dialog.exec() != QDialog::Accepted || dialog.path().isEmpty())
        return;
    QString error;
    JournalExporter::Options options = dialog.options();
    const JournalExporter::Filter filter
        = dialog.followsFilters() ? tableFilter(options) : JournalExporter::Filter {};
    if (exportAndConfirm(dialog.path(), options, filter, &error) < 0)
        QMessageBox::warning(this, tr("Export failed"), error);
}

QString EventLogPanel::filterSummary() const
{
    QStringList parts;
    for (const QComboBox *box : { m_class, m_severity })
        if (box->currentIndex() > 0)
            parts.append(box->currentText());
    if (m_since->currentData().toInt() > 0)
        parts.append(m_since->currentText().toLower());
    if (!m_search->text().trimmed().isEmpty())
        parts.append(tr("\"%1\"").arg(m_search->text().trimmed()));
    return parts.join(QStringLiteral(", "));
}

JournalExporter::Filter EventLogPanel::tableFilter(JournalExporter::Options &options) const
{
    JournalExporter::Filter filter;
    const int bucket = m_class->currentData().toInt();
    if (bucket >= 0)
        filter.errorBuckets = { ErrorBucket(bucket) };
    filter.text = m_search->text().trimmed();
    const int seconds = m_since->currentData().toInt();
    if (seconds > 0) {
        const qint64 from = QDateTime::currentMSecsSinceEpoch() - qint64(seconds) * 1000;
        options.sinceMs = std::max(options.sinceMs.value_or(from), from);
    }
    const auto minimum = EventLogModel::Severity(m_severity->currentData().toInt());
    if (minimum != EventLogModel::Severity::Info)
        filter.keep = [minimum](const Event &e) { return int(EventLogModel::severityOf(e)) >= int(minimum); };
    return filter;
}

} // namespace gp
