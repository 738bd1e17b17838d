// The Events tab against a real session and journal file: a success after two 503s is one row
// with three attempts; the window is read from the journal, an older run's requests apart from
// this run's with the same job ids; live requests come in without a reset; a burst of 50,000
// journal rows is caught up in slices, each short.
#include "core/client/client.h"
#include "core/telemetry/journal.h"
#include "core/telemetry/telemetry.h"
#include "eventlogtestutil.h"
#include "sessionfixture.h"
#include "ui/eventlogmodel.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTreeView>

using namespace gp;
using namespace gp::test;

class TestEventLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void successAfterRetriesIsOneRow();
    void windowReadsTheJournal();
    void catchesUpAJournalBurst();
    void newRowsKeepTheReadingPlace();
};

namespace {

Outcome sendOne(ConsoleSession *session, const QString &prompt)
{
    ChatRequest request;
    request.messages = { { QStringLiteral("user"), prompt } };
    RequestJob *job = session->client()->submit(request);
    QSignalSpy done(job, &RequestJob::finished);
    if (!done.wait(15000))
        return {};
    return done.first().first().value<Outcome>();
}

QString cell(const EventLogModel *m, int row, int column, const QModelIndex &parent = {})
{
    return m->index(row, column, parent).data().toString();
}

} // namespace

void TestEventLog::successAfterRetriesIsOneRow()
{
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.retry.baseMs = 20;
    settings.retry.capMs = 100;
    auto session = startSession(dir, QStringLiteral("steady"), settings);
    QJsonArray faults;
    for (int i = 0; i < 2; ++i)
        faults.append(QJsonObject { { QStringLiteral("kind"), QStringLiteral("status") },
                                    { QStringLiteral("status"), 503 } });
    QString error;
    QVERIFY2(session->simulator()->enqueueFaults(faults, &error), qPrintable(error));
    MainWindow window(session.get());
    window.setCurrentView(QStringLiteral("events"));
    window.show();
    EventLogPanel *log = window.eventLog();
    EventLogModel *model = log->model();
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);

    const Outcome first = sendOne(session.get(), QStringLiteral("hello"));
    QCOMPARE(first.status, JobStatus::Succeeded);
    QCOMPARE(first.attempts, 3);
    QVERIFY(session->flushJournal());
    log->poll();
    QCOMPARE(model->requestCount(), 1);
    QCOMPARE(model->rowCount(), 1);
    const QModelIndex job = model->index(0, 0);
    QCOMPARE(model->rowCount(job), 3);
    QCOMPARE(cell(model, 0, EventLogCells::Outcome), QStringLiteral("succeeded"));
    QCOMPARE(cell(model, 0, EventLogCells::Attempts), QStringLiteral("3"));
    QCOMPARE(cell(model, 0, EventLogCells::Message), QStringLiteral("after 503, 503"));
    QVERIFY(!cell(model, 0, EventLogCells::Tokens).isEmpty());
    QCOMPARE(cell(model, 0, EventLogCells::Run), QString::number(session->telemetry()->journal()->runId()));
    QCOMPARE(cell(model, 2, EventLogCells::Outcome, job), QStringLiteral("answered"));
    QCOMPARE(cell(model, 0, EventLogCells::Status, job), QStringLiteral("503"));
    QVERIFY2(log->countText().startsWith(QStringLiteral("1 request, 3 attempts · last 15 min")),
             qPrintable(log->countText()));
    log->tree()->expand(log->tree()->model()->index(0, 0));
    QVERIFY(log->tree()->visualRect(model->index(2, 0, job)).isValid());

    // The next request comes in as a row of its own: inserted, never a reset.
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QCOMPARE(sendOne(session.get(), QStringLiteral("again")).attempts, 1);
    QVERIFY(session->flushJournal());
    log->poll();
    QCOMPARE(model->requestCount(), 2);
    QVERIFY(!inserted.isEmpty());
    QCOMPARE(reset.size(), 0);
    QVERIFY2(log->countText().startsWith(QStringLiteral("2 requests, 4 attempts")),
             qPrintable(log->countText()));
}

void TestEventLog::windowReadsTheJournal()
{
    QTemporaryDir dir;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 oldRun = 0;
    {
        Journal old; // an earlier run on the same file, with job ids 1 and 2
        JournalConfig config;
        config.path = dir.filePath(QStringLiteral("journal.sqlite"));
        QVERIFY(old.open(config));
        oldRun = old.runId();
        for (const Event &e : retriedJob(1, now - 20 * 60'000, 1) + retriedJob(2, now - 2 * 60'000, 0))
            old.append(e);
        QVERIFY(old.flush());
    }
    auto session = startSession(dir, QStringLiteral("steady"));
    const qint64 thisRun = session->telemetry()->journal()->runId();
    QVERIFY(thisRun != oldRun);
    QCOMPARE(sendOne(session.get(), QStringLiteral("hi")).status, JobStatus::Succeeded);
    QVERIFY(session->flushJournal());

    EventLogPanel panel(session.get());
    panel.reload();
    EventLogModel *model = panel.model();
    // The last 15 minutes: this run's job 1 and the old run's job 2; its job 1 is too old.
    QCOMPARE(model->requestCount(), 2);
    QCOMPARE(cell(model, 0, EventLogCells::Request), QStringLiteral("1"));
    QCOMPARE(cell(model, 0, EventLogCells::Run), QString::number(thisRun));
    QCOMPARE(cell(model, 1, EventLogCells::Request), QStringLiteral("2"));
    QCOMPARE(cell(model, 1, EventLogCells::Run), QString::number(oldRun));
    QVERIFY2(panel.countText() == QStringLiteral("2 requests, 2 attempts · last 15 min"),
             qPrintable(panel.countText()));
    panel.setWindowMs(60 * 60'000);
    QCOMPARE(model->requestCount(), 3);
    QCOMPARE(cell(model, 2, EventLogCells::Request), QStringLiteral("1")); // job 1 twice, two runs
    QCOMPARE(cell(model, 2, EventLogCells::Run), QString::number(oldRun));
    QCOMPARE(model->rowCount(model->index(2, 0)), 2);
    QVERIFY2(panel.countText().startsWith(QStringLiteral("3 requests, 4 attempts · last 1 hour")),
             qPrintable(panel.countText()));
    QVERIFY(panel.filterSummary().contains(QStringLiteral("last 1 hour")));
}

void TestEventLog::catchesUpAJournalBurst()
{
    QTemporaryDir dir;
    auto session = startSession(dir, QStringLiteral("steady"));
    EventLogPanel panel(session.get());
    panel.resize(1024, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    Journal *journal = session->telemetry()->journal();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    int events = 0;
    int jobs = 0;
    while (events < 50'000) {
        ++jobs;
        const QList<Event> job = retriedJob(quint64(1000 + jobs), now + jobs, 1);
        for (const Event &e : job)
            journal->append(e);
        events += int(job.size());
    }
    QVERIFY(journal->flush());
    JournalReader reader;
    QVERIFY(reader.open(session->journalPath()));
    const qint64 last = reader.lastEventId().value_or(0);
    const qint64 rssBefore = residentBytes();
    QElapsedTimer clock;
    clock.start();
    qint64 worstNs = 0;
    int polls = 0;
    while (panel.model()->lastId() < last && clock.elapsed() < 60'000) {
        QElapsedTimer one;
        one.start();
        panel.poll();
        worstNs = std::max(worstNs, one.nsecsElapsed());
        ++polls;
        QCoreApplication::processEvents(); // the view paints between slices
    }
    const qint64 totalMs = clock.elapsed();
    qInfo("%d journal rows taken in %d slices in %lld ms (%.1f us a row, the longest slice %.1f ms); "
          "%d requests, %.1f MB by the model's count, RSS +%.1f MB",
          events, polls, totalMs, 1000.0 * double(totalMs) / events, double(worstNs) / 1e6,
          panel.model()->requestCount(), double(panel.model()->bytes()) / (1 << 20),
          double(residentBytes() - rssBefore) / (1 << 20));
    QCOMPARE(panel.model()->lastId(), last);
    QCOMPARE(panel.model()->requestCount(), jobs);
    QVERIFY(polls > 1); // in slices: the event loop ran between them
    QVERIFY2(worstNs < qint64(500) * 1'000'000, qPrintable(QString::number(worstNs)));
}

// Reading further down while requests come in on top: the rows in view stay in view.
void TestEventLog::newRowsKeepTheReadingPlace()
{
    QTemporaryDir dir;
    auto session = startSession(dir, QStringLiteral("steady"));
    EventLogPanel panel(session.get());
    panel.resize(1024, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    Journal *journal = session->telemetry()->journal();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto write = [journal, now](int from, int to) {
        for (int j = from; j < to; ++j)
            for (const Event &e : retriedJob(quint64(j), now + j, 0))
                journal->append(e);
        return journal->flush();
    };
    QVERIFY(write(1, 61));
    panel.poll();
    QCOMPARE(panel.model()->requestCount(), 60);
    QTreeView *tree = panel.tree();
    tree->scrollTo(panel.model()->index(10, 0), QAbstractItemView::PositionAtTop);
    const quint64 reading = panel.model()->itemAt(tree->indexAt(QPoint(0, 0)).row())->jobId;
    QCOMPARE(reading, quint64(50)); // the eleventh newest
    QVERIFY(write(61, 66));
    panel.poll();
    QCOMPARE(panel.model()->requestCount(), 65);
    QCOMPARE(panel.model()->itemAt(tree->indexAt(QPoint(0, 0)).row())->jobId, reading);
    tree->scrollToTop(); // at the top, the newest come into view
    QVERIFY(write(66, 67));
    panel.poll();
    QCOMPARE(panel.model()->itemAt(tree->indexAt(QPoint(0, 0)).row())->jobId, quint64(66));
}

QTEST_MAIN(TestEventLog)
#include "tst_eventlog.moc"
