// The Events tab's filters: by client (the names the Charts picker offers, combined with the
// other filters, and followed by "export what the table shows"); a filter change keeps open the
// requests still shown; the time window is saved across restarts by the app's window only.
#include "core/client/client.h"
#include "core/telemetry/clienthubs.h"
#include "core/telemetry/telemetry.h"
#include "eventlogtestutil.h"
#include "sessionfixture.h"
#include "tests/core/telemetry/csvtestparser.h"
#include "ui/charts/chartpanel.h"
#include "ui/eventlogmodel.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"

#include <QComboBox>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTreeView>

using namespace gp;
using namespace gp::test;
using namespace Qt::StringLiterals;

namespace {

RequestJob *submitAs(ConsoleSession &session, const QString &client, const QString &prompt)
{
    ChatRequest request;
    request.messages = { { u"user"_s, prompt } };
    RequestOptions options;
    options.clientLabel = client;
    return session.client()->submit(request, options);
}

bool allFinish(const QList<RequestJob *> &jobs)
{
    QList<std::shared_ptr<QSignalSpy>> spies;
    for (RequestJob *job : jobs)
        spies.append(std::make_shared<QSignalSpy>(job, &RequestJob::finished));
    for (const auto &spy : std::as_const(spies))
        if (spy->isEmpty() && !spy->wait(15000))
            return false;
    return true;
}

QStringList itemTexts(const QComboBox *box, int from)
{
    QStringList texts;
    for (int i = from; i < box->count(); ++i)
        texts.append(box->itemText(i));
    return texts;
}

// The Client cell of every top-level row, and whether each is a request.
QStringList clientsShown(const EventLogModel *model)
{
    QStringList clients;
    for (int row = 0; row < model->rowCount(); ++row)
        clients.append(model->itemAt(row)->isRequest()
                           ? model->index(row, EventLogCells::Client).data().toString()
                           : u"<lone event>"_s);
    return clients;
}

int rowOfJob(const EventLogModel *model, quint64 jobId)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->itemAt(row)->jobId == jobId)
            return row;
    return -1;
}

} // namespace

class TestEventLogFilters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void clientFilterPicksRequests();
    void filterChangeKeepsOpenRows();
    void keepingOpenRowsIsCheap();
    void windowChoiceIsRemembered();
};

void TestEventLogFilters::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // nothing here may reach the user's own settings
    static QTemporaryDir settingsDir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
}

// alice (one success after a 503, one plain), bob, six more named clients that fill the named
// slots, then zed (one too many: "other") and the console's own prompt.
void TestEventLogFilters::clientFilterPicksRequests()
{
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.retry.baseMs = 20;
    settings.retry.capMs = 100;
    auto session = startSession(dir, u"steady"_s, settings);
    QString error;
    QVERIFY2(session->simulator()->enqueueFaults(
                 QJsonArray { QJsonObject { { u"kind"_s, u"status"_s }, { u"status"_s, 503 } } }, &error),
             qPrintable(error));
    MainWindow window(session.get());
    window.setCurrentView(u"events"_s);
    window.show();
    QVERIFY(allFinish({ submitAs(*session, u"alice"_s, u"first"_s) }));
    QList<RequestJob *> jobs { submitAs(*session, u"alice"_s, u"second"_s),
                               submitAs(*session, u"bob"_s, u"hi"_s) };
    for (int i = 1; i <= 6; ++i)
        jobs.append(submitAs(*session, u"client-%1"_s.arg(i), u"hi"_s));
    QVERIFY(allFinish(jobs));
    QVERIFY(allFinish({ submitAs(*session, u"zed"_s, u"late"_s), submitAs(*session, QString(), u"own"_s) }));
    QCOMPARE(session->telemetry()->clientHubs()->slotOf(u"zed"_s), -1); // past the cap: other
    QVERIFY(session->flushJournal());
    EventLogPanel *log = window.eventLog();
    log->reload();
    log->poll();
    EventLogModel *model = log->model();
    QCOMPARE(model->requestCount(), 11);

    // The same names as the Charts picker, after its two ways of showing everyone.
    auto *clients = named<QComboBox>(log, u"Client filter"_s);
    QVERIFY(clients);
    QVERIFY(window.chartPanel()->selectClient(u"all"_s)); // brings its picker up to date
    QComboBox *charts = window.chartPanel()->clientPicker();
    QCOMPARE(itemTexts(clients, 1), itemTexts(charts, 2));
    QVERIFY(itemTexts(clients, 1).contains(u"This console"_s));
    QVERIFY(itemTexts(clients, 1).contains(u"Other clients"_s));

    const auto pick = [&](const QString &text) {
        const int index = clients->findText(text);
        clients->setCurrentIndex(index);
        return index >= 0;
    };
    QVERIFY(pick(u"alice"_s));
    QCOMPARE(clientsShown(model), QStringList({ u"alice"_s, u"alice"_s }));
    QVERIFY2(log->countText().startsWith(u"2 requests, 3 attempts"_s), qPrintable(log->countText()));
    QVERIFY2(log->filterSummary().contains(u"alice"_s), qPrintable(log->filterSummary()));
    QVERIFY(pick(u"This console"_s));
    QCOMPARE(clientsShown(model), QStringList({ QString() }));
    QVERIFY(pick(u"Other clients"_s));
    QCOMPARE(clientsShown(model), QStringList({ u"zed"_s }));
    QVERIFY(pick(u"bob"_s));
    QCOMPARE(clientsShown(model), QStringList({ u"bob"_s }));

    // Combined with the class filter: alice's request that met the 503.
    QVERIFY(pick(u"alice"_s));
    named<QComboBox>(log, u"Error class filter"_s)->setCurrentIndex(1 + int(ErrorBucket::Server5xx));
    QCOMPARE(clientsShown(model), QStringList({ u"alice"_s }));
    QCOMPARE(model->index(0, EventLogCells::Attempts).data().toString(), u"2"_s);
    named<QComboBox>(log, u"Error class filter"_s)->setCurrentIndex(0);
    log->setSearchText(u"client-"_s); // no alice request holds it
    QCOMPARE(model->rowCount(), 0);
    log->setSearchText(QString());

    // "Export what the table shows": every event of alice's two requests and nothing else.
    JournalExporter::Options options;
    options.what = JournalExporter::What::Events;
    const QString path = dir.filePath(u"alice.csv"_s);
    const qint64 rows = log->exportTo(path, options, log->tableFilter(options));
    QCOMPARE(rows, qint64(model->itemAt(0)->eventCount + model->itemAt(1)->eventCount));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QStringList> table;
    QVERIFY(parseCsv(QString::fromUtf8(file.readAll()), table));
    const QStringList header = table.takeFirst();
    const qsizetype client = header.indexOf(u"client"_s);
    QVERIFY(client >= 0);
    QCOMPARE(qint64(table.size()), rows);
    for (const QStringList &line : std::as_const(table))
        QCOMPARE(line.value(client), u"alice"_s);
    // The requests export follows it too.
    options.what = JournalExporter::What::Requests;
    QCOMPARE(log->exportTo(dir.filePath(u"alice-requests.csv"_s), options, log->tableFilter(options)),
             qint64(2));
}

// Opening a request, then changing the filters: it stays open (and current) while it is shown;
// one the filter hid comes back closed.
void TestEventLogFilters::filterChangeKeepsOpenRows()
{
    EventLogPanel panel(nullptr);
    panel.resize(1024, 500);
    panel.show();
    EventLogModel *model = panel.model();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 nextId = 1;
    model->append(rows(retriedJob(1, now - 3000, 2, 503) + retriedJob(2, now - 2000, 0)
                           + retriedJob(3, now - 1000, 1, 429),
                       42, nextId));
    QCOMPARE(model->requestCount(), 3);
    QTreeView *tree = panel.tree();
    tree->expand(model->index(rowOfJob(model, 1), 0));
    tree->expand(model->index(rowOfJob(model, 2), 0));
    tree->setCurrentIndex(model->index(1, EventLogCells::Outcome, model->index(rowOfJob(model, 1), 0)));
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);

    auto *severity = named<QComboBox>(&panel, u"Severity filter"_s);
    severity->setCurrentIndex(1); // warnings and errors: jobs 1 and 3
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model->requestCount(), 2);
    QVERIFY(tree->isExpanded(model->index(rowOfJob(model, 1), 0)));
    QVERIFY(!tree->isExpanded(model->index(rowOfJob(model, 3), 0)));
    // The current row too: job 1's second attempt.
    QCOMPARE(tree->currentIndex(),
             model->index(1, EventLogCells::Outcome, model->index(rowOfJob(model, 1), 0)));
    panel.setSearchText(u"req-1-"_s); // job 1's request ids
    QCOMPARE(model->requestCount(), 1);
    QVERIFY(tree->isExpanded(model->index(rowOfJob(model, 1), 0)));
    QVERIFY(tree->visualRect(model->index(2, 0, model->index(0, 0))).isValid()); // its third attempt shows

    panel.setSearchText(QString());
    severity->setCurrentIndex(0);
    QCOMPARE(model->requestCount(), 3);
    QVERIFY(tree->isExpanded(model->index(rowOfJob(model, 1), 0)));
    QVERIFY(!tree->isExpanded(model->index(rowOfJob(model, 2), 0))); // hidden in between: closed
    // Closing it by hand is remembered as well.
    tree->collapse(model->index(rowOfJob(model, 1), 0));
    severity->setCurrentIndex(1);
    QVERIFY(!tree->isExpanded(model->index(rowOfJob(model, 1), 0)));
}

// 20,000 requests shown: a filter change and the layout after it cost about the same with 100
// requests open (kept open) as with none.
void TestEventLogFilters::keepingOpenRowsIsCheap()
{
    EventLogPanel panel(nullptr);
    panel.resize(1024, 500);
    panel.show();
    EventLogModel *model = panel.model();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 nextId = 1;
    QList<Event> events;
    for (quint64 job = 1; job <= 20'000; ++job)
        events += retriedJob(job, now - 60'000 + qint64(job), job % 10 == 0 ? 1 : 0);
    model->append(rows(events, 42, nextId));
    QCOMPARE(model->requestCount(), 20'000);
    auto *severity = named<QComboBox>(&panel, u"Severity filter"_s);
    QTreeView *tree = panel.tree();
    const auto filterTwice = [&] { // warnings only, then everything; laid out as a paint would
        QElapsedTimer timer;
        timer.start();
        for (int choice : { 1, 0 }) {
            severity->setCurrentIndex(choice);
            tree->visualRect(model->index(0, 0)); // the view's delayed layout, now
        }
        return double(timer.nsecsElapsed()) / 1e6;
    };
    QList<double> closed;
    QList<double> open;
    for (int run = 0; run < 3; ++run)
        closed.append(filterTwice());
    for (int row = 0; row < 1'000; row += 10) // 100 open, the retried ones among them
        tree->expand(model->index(row, 0));
    for (int run = 0; run < 3; ++run)
        open.append(filterTwice());
    QCOMPARE(model->expandedRows().size(), 100);
    std::sort(closed.begin(), closed.end());
    std::sort(open.begin(), open.end());
    qInfo("two filter changes, 20,000 requests: %.1f ms with none open, %.1f ms with 100 open (medians of 3)",
          closed[1], open[1]);
    QVERIFY2(open[1] < 2.0 * closed[1] + 20.0, qPrintable(u"%1 vs %2 ms"_s.arg(open[1]).arg(closed[1])));
}

// The app's window (restoreLayout) saves the window choice; the next start shows it again. A
// window that never restored its layout (every other test) leaves the stored settings alone.
void TestEventLogFilters::windowChoiceIsRemembered()
{
    QTemporaryDir dir;
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    const QString hour = u"Keep last 1 hour"_s;
    {
        QSettings store;
        auto session = startSession(dir, u"steady"_s, ConsoleSettings::load(store));
        MainWindow window(session.get());
        auto *choice = named<QComboBox>(window.eventLog(), u"How far back the log keeps"_s);
        QVERIFY(choice);
        QCOMPARE(choice->currentData().toLongLong(), EventLogModel::kDefaultWindowMs);
        choice->setCurrentIndex(choice->findText(u"Keep last 5 min"_s)); // a test's window: not saved
    }
    {
        QSettings store;
        QVERIFY(!store.contains(u"eventlog/windowMs"_s));
        auto session = startSession(dir, u"steady"_s, ConsoleSettings::load(store));
        MainWindow window(session.get());
        window.restoreLayout(); // the app's window: it saves what changes
        auto *choice = named<QComboBox>(window.eventLog(), u"How far back the log keeps"_s);
        QCOMPARE(choice->currentData().toLongLong(), EventLogModel::kDefaultWindowMs);
        QVERIFY(choice->findText(hour) >= 0);
        choice->setCurrentIndex(choice->findText(hour));
    }
    QSettings store;
    QCOMPARE(store.value(u"eventlog/windowMs"_s).toLongLong(), 60 * 60'000);
    auto session = startSession(dir, u"steady"_s, ConsoleSettings::load(store));
    MainWindow window(session.get());
    window.restoreLayout();
    auto *choice = named<QComboBox>(window.eventLog(), u"How far back the log keeps"_s);
    QCOMPARE(choice->currentText(), hour);
    QCOMPARE(window.eventLog()->model()->windowMs(), 60 * 60'000);
    QVERIFY2(window.eventLog()->countText().endsWith(u"last 1 hour"_s),
             qPrintable(window.eventLog()->countText()));
    store.setValue(u"eventlog/windowMs"_s, 7 * 60'000); // not a choice: the default
    store.sync();
    auto again = startSession(dir, u"steady"_s, ConsoleSettings::load(store));
    MainWindow other(again.get());
    QCOMPARE(named<QComboBox>(other.eventLog(), u"How far back the log keeps"_s)->currentData().toLongLong(),
             EventLogModel::kDefaultWindowMs);
}

QTEST_MAIN(TestEventLogFilters)
#include "tst_eventlogfilters.moc"
