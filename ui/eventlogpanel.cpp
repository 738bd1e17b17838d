#include "ui/eventlogpanel.h"

#include "ui/charts/chartspec.h"
#include "ui/consolesession.h"
#include "ui/consolesettings.h"
#include "ui/eventlogfeed.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QTreeView>

namespace gp {

namespace {

// "1 request", "2 requests": English plurals without a translation loaded.
QString counted(qint64 n, const QString &one, const QString &many)
{
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

QString windowWords(qint64 ms)
{
    if (ms <= 0)
        return {};
    if (ms % 3'600'000 == 0)
        return counted(ms / 3'600'000, QObject::tr("last 1 hour"), QObject::tr("last %1 hours"));
    return QObject::tr("last %1 min").arg(ms / 60'000);
}

QString megabytes(qint64 bytes)
{
    return QStringLiteral("%1 MB").arg(double(bytes) / double(1 << 20), 0, 'f', 1);
}

} // namespace

EventLogPanel::EventLogPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new EventLogModel(this))
    , m_feed(std::make_unique<EventLogFeed>())
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildFilters());
    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_model->setExpansionHints(true);
    connect(m_tree, &QTreeView::expanded, this,
            [this](const QModelIndex &i) { m_model->setExpanded(i, true); });
    connect(m_tree, &QTreeView::collapsed, this,
            [this](const QModelIndex &i) { m_model->setExpanded(i, false); });
    m_tree->setAccessibleName(tr("Event log"));
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setUniformRowHeights(true); // no size hint per row: inserts stay cheap
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setWordWrap(false);
    m_tree->header()->setStretchLastSection(false); // the message takes the room: fitMessageColumn()
    m_tree->header()->setSectionsMovable(true);
    const QFontMetrics metrics = m_tree->fontMetrics();
    for (int c = 0; c < EventLogCells::ColumnCount; ++c)
        m_tree->setColumnWidth(c,
                               metrics.horizontalAdvance(EventLogCells::widest(c)) + 14
                                   + (c == 0 ? 2 * m_tree->indentation() : 0)); // attempts sit one level in
    auto *copy = new QAction(tr("&Copy rows"), m_tree);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &EventLogPanel::copySelection);
    m_tree->addAction(copy);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_count);
    m_tree->viewport()->installEventFilter(this);

    if (m_session && !m_feed->open(m_session->journalPath(), &m_journalError))
        m_journalError = tr("Journal unavailable: %1").arg(m_journalError);
    syncClientFilter();
    applyFilters();
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &EventLogPanel::poll);
    m_timer.start();
    m_catchUp.setSingleShot(true);
    m_catchUp.setInterval(20);
    connect(&m_catchUp, &QTimer::timeout, this, &EventLogPanel::poll);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(300);
    connect(&m_searchDelay, &QTimer::timeout, this, &EventLogPanel::applyFilters);
    keepReadingPlace();
    applyWindow();
}

// New requests come in on top: one reading further down keeps its rows where they were.
void EventLogPanel::keepReadingPlace()
{
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this](const QModelIndex &parent) {
        if (!parent.isValid() && m_tree->verticalScrollBar()->value() > 0)
            m_readingAt = m_tree->indexAt(QPoint(0, 0));
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent) {
        if (parent.isValid() || !m_readingAt.isValid())
            return;
        m_tree->scrollTo(m_readingAt, QAbstractItemView::PositionAtTop);
        m_readingAt = QPersistentModelIndex();
    });
}

EventLogPanel::~EventLogPanel() = default;

// The message takes the room the other columns leave (at least a readable width), so the
// model, client and run come next to it on a wide screen and a scroll away on a narrow one.
bool EventLogPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tree->viewport() && event->type() == QEvent::Resize)
        fitMessageColumn();
    return QWidget::eventFilter(watched, event);
}

void EventLogPanel::fitMessageColumn()
{
    int others = 0;
    for (int c = 0; c < EventLogCells::ColumnCount; ++c)
        others += c == EventLogCells::Message || m_tree->isColumnHidden(c) ? 0 : m_tree->columnWidth(c);
    const int least = m_tree->fontMetrics().horizontalAdvance(EventLogCells::widest(EventLogCells::Message));
    m_tree->setColumnWidth(EventLogCells::Message, std::max(least, m_tree->viewport()->width() - others));
}

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
    m_window = new QComboBox(bar);
    m_window->setAccessibleName(tr("How far back the log keeps"));
    m_window->setToolTip(tr("How far back the log keeps requests; older ones stay in the journal (Export…)"));
    for (const qint64 minutes : { 5, 15, 60, 24 * 60 })
        m_window->addItem(tr("Keep %1").arg(windowWords(minutes * 60'000)), minutes * 60'000);
    m_window->addItem(tr("Keep what fits in memory"), 0);
    const int saved = m_session ? m_window->findData(m_session->settings().eventLogWindowMs) : -1;
    m_window->setCurrentIndex(saved >= 0 ? saved : m_window->findData(EventLogModel::kDefaultWindowMs));
    m_client = new QComboBox(bar);
    m_client->setAccessibleName(tr("Client filter"));
    m_client->setToolTip(tr("Whose requests: this console's own, one gateway client's, or the other "
                            "clients'. Alerts and breaker events belong to no client: they show under "
                            "All clients only."));
    m_client->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_search = new QLineEdit(bar);
    m_search->setPlaceholderText(tr("Search messages, models, ids…"));
    m_search->setAccessibleName(tr("Search the event log"));
    m_search->setClearButtonEnabled(true);
    m_count = new QLabel(this); // under the log: the filter row keeps its room
    m_count->setAccessibleName(tr("Event log count"));
    auto *exportButton = new QPushButton(tr("E&xport…"), bar);
    exportButton->setAccessibleName(tr("Export the event log"));
    connect(exportButton, &QPushButton::clicked, this, &EventLogPanel::exportInteractive);
    for (QComboBox *box : { m_class, m_severity, m_client })
        connect(box, &QComboBox::currentIndexChanged, this, &EventLogPanel::applyFilters);
    connect(m_window, &QComboBox::currentIndexChanged, this, &EventLogPanel::applyWindow);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    row->addWidget(m_class);
    row->addWidget(m_severity);
    row->addWidget(m_client);
    row->addWidget(m_window);
    row->addWidget(m_search, 1);
    row->addWidget(exportButton);
    return bar;
}

// Class, severity and text choose among the rows held: no journal read.
void EventLogPanel::applyFilters()
{
    EventLogModel::Filter filter;
    const int bucket = m_class->currentData().toInt();
    if (bucket >= 0)
        filter.errorBuckets = { ErrorBucket(bucket) };
    filter.minimum = EventLogModel::Severity(m_severity->currentData().toInt());
    filter.text = m_search->text().trimmed();
    clientChoice(filter);
    // A reset: the requests still shown keep their open rows and the current row (items outlive it).
    const QModelIndex current = m_tree->currentIndex();
    const bool onStep = current.parent().isValid();
    const LogItem *currentItem
        = current.isValid() ? m_model->itemAt(onStep ? current.parent().row() : current.row()) : nullptr;
    m_model->setFilter(filter);
    for (const QModelIndex &open : m_model->expandedRows())
        m_tree->expand(open); // cheap after a reset: the view lays out once, later
    QModelIndex again = m_model->indexOf(currentItem, onStep ? current.row() : -1);
    if (again.parent().isValid() && !m_tree->isExpanded(again.parent()))
        again = again.parent(); // an attempt of a request closed by hand: scrollTo would open it
    if (again.isValid()) {
        m_tree->setCurrentIndex(again.siblingAtColumn(current.column()));
        m_tree->scrollTo(again);
    }
    updateCount();
}

// A longer window reads more of the journal: in slices, like a burst.
void EventLogPanel::applyWindow()
{
    const qint64 windowMs = m_window->currentData().toLongLong();
    m_model->setWindowMs(windowMs);
    if (m_session && m_session->settings().eventLogWindowMs != windowMs) {
        ConsoleSettings settings = m_session->settings(); // the app's window saves it
        settings.eventLogWindowMs = windowMs;
        m_session->updateSettings(settings);
    }
    if (m_feed->isOpen() && !m_feed->restart(m_model, QDateTime::currentMSecsSinceEpoch(), &m_journalError))
        m_journalError = tr("Journal: %1").arg(m_journalError);
    poll();
}

void EventLogPanel::setWindowMs(qint64 ms)
{
    const int index = m_window->findData(ms);
    if (index >= 0)
        m_window->setCurrentIndex(index);
}

void EventLogPanel::setSearchText(const QString &text)
{
    m_search->setText(text);
    applyFilters();
}

void EventLogPanel::reload()
{
    if (!m_feed->isOpen()) {
        updateCount();
        return;
    }
    m_journalError.clear();
    m_behind = false;
    if (m_feed->restart(m_model, QDateTime::currentMSecsSinceEpoch(), &m_journalError))
        m_feed->poll(m_model, -1, &m_journalError);
    m_model->expire(QDateTime::currentMSecsSinceEpoch());
    updateCount();
}

void EventLogPanel::poll()
{
    if (!m_feed->isOpen()) {
        updateCount(); // says why
        return;
    }
    syncClientFilter();
    QString error;
    const auto caughtUp = m_feed->poll(m_model, 40, &error);
    m_journalError = caughtUp ? QString() : tr("Journal: %1").arg(error);
    m_model->expire(QDateTime::currentMSecsSinceEpoch());
    m_behind = caughtUp && !*caughtUp;
    if (m_behind)
        m_catchUp.start(); // a burst: the next slice soon, the UI stays live in between
    updateCount();
}

QString EventLogPanel::countText() const
{
    QStringList counts { counted(m_model->requestCount(), tr("1 request"), tr("%1 requests")),
                         counted(m_model->attemptCount(), tr("1 attempt"), tr("%1 attempts")) };
    if (m_model->otherCount() > 0)
        counts << counted(m_model->otherCount(), tr("1 other event"), tr("%1 other events"));
    const qint64 oldest = m_model->oldestMs();
    const QString since = oldest > 0
        ? QDateTime::fromMSecsSinceEpoch(oldest).toString(QStringLiteral("HH:mm:ss"))
        : QString();
    QString reach = windowWords(m_model->windowMs());
    if (m_model->trimmedForMemory())
        reach = tr("since %1 (memory limit)").arg(since);
    else if (reach.isEmpty())
        reach = since.isEmpty() ? tr("all kept") : tr("since %1").arg(since);
    return counts.join(QStringLiteral(", ")) + QStringLiteral(" · ") + reach;
}

void EventLogPanel::expandNewestRetried()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const LogItem *item = m_model->itemAt(row);
        if (item->isRequest() && item->attempts() > 1) {
            m_tree->expand(m_model->index(row, 0));
            m_tree->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtCenter);
            return;
        }
    }
}

void EventLogPanel::updateCount()
{
    if (!m_journalError.isEmpty()) {
        m_count->setText(m_journalError);
        return;
    }
    m_count->setText(m_behind ? countText() + tr(" · reading the journal…") : countText());
    m_count->setToolTip(
        tr("Holds %1 events in %2 (at most %3); older requests stay in the journal: Export… reaches them.")
            .arg(m_model->keptEvents())
            .arg(megabytes(m_model->bytes()), megabytes(m_model->memoryCeiling())));
}

void EventLogPanel::copySelection()
{
    QStringList lines;
    QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    for (const QModelIndex &index : std::as_const(rows))
        lines.append(m_model->rowText(index));
    if (!lines.isEmpty())
        QApplication::clipboard()->setText(lines.join(u'\n') + u'\n');
}

QString EventLogPanel::filterSummary() const
{
    QStringList parts;
    for (const QComboBox *box : { m_class, m_severity, m_client })
        if (box->currentIndex() > 0)
            parts.append(box->currentText());
    if (!m_search->text().trimmed().isEmpty())
        parts.append(tr("\"%1\"").arg(m_search->text().trimmed()));
    const QString window = windowWords(m_model->windowMs());
    parts.append(window.isEmpty() ? tr("what it holds") : window);
    return parts.join(QStringLiteral(", "));
}

} // namespace gp
