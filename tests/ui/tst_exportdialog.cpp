// Export: the file name follows the choice, "until" means now, and a finished export says
// where it went and how many rows it wrote.
#include "core/client/client.h"
#include "core/sim/simserver.h"
#include "core/telemetry/journal.h"
#include "core/telemetry/journalreader.h"
#include "core/telemetry/remotework.h"
#include "core/telemetry/telemetry.h"
#include "sessionfixture.h"
#include "tests/core/telemetry/csvtestparser.h"
#include "ui/eventlogmodel.h"
#include "ui/eventlogpanel.h"
#include "ui/exportdialog.h"
#include "ui/mainwindow.h"

#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>

using namespace gp;
using gp::test::named;

class TestExportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultNameFollowsChoice_data();
    void defaultNameFollowsChoice();
    void typedNameIsKept();
    void untilDefaultsToNow();
    void exportConfirmsPathAndRows();
    void exportFollowsTableFilters();
    void exportsRemoteWork();
};

void TestExportDialog::defaultNameFollowsChoice_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("file");
    QTest::newRow("errors csv") << 0 << 0 << QStringLiteral("grokpulse-errors.csv");
    QTest::newRow("all events csv") << 1 << 0 << QStringLiteral("grokpulse-events.csv");
    QTest::newRow("all events jsonl") << 1 << 1 << QStringLiteral("grokpulse-events.jsonl");
    QTest::newRow("requests jsonl") << 2 << 1 << QStringLiteral("grokpulse-requests.jsonl");
    QTest::newRow("remote work csv") << 3 << 0 << QStringLiteral("grokpulse-remote-work.csv");
}

void TestExportDialog::defaultNameFollowsChoice()
{
    QFETCH(int, what);
    QFETCH(int, format);
    QFETCH(QString, file);
    ExportDialog dialog;
    named<QComboBox>(&dialog, QStringLiteral("What to export"))->setCurrentIndex(what);
    named<QComboBox>(&dialog, QStringLiteral("Format"))->setCurrentIndex(format);
    QVERIFY2(dialog.path().endsWith(u'/' + file), qPrintable(dialog.path()));
}

void TestExportDialog::typedNameIsKept()
{
    ExportDialog dialog;
    named<QLineEdit>(&dialog, QStringLiteral("File"))->setText(QStringLiteral("/tmp/mine.csv"));
    named<QComboBox>(&dialog, QStringLiteral("What to export"))->setCurrentIndex(1);
    QCOMPARE(dialog.path(), QStringLiteral("/tmp/mine.csv"));
    named<QComboBox>(&dialog, QStringLiteral("Format"))->setCurrentIndex(1);
    QCOMPARE(dialog.path(), QStringLiteral("/tmp/mine.jsonl"));
}

void TestExportDialog::untilDefaultsToNow()
{
    ExportDialog dialog;
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const qint64 until = dialog.options().untilMs.value_or(0);
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(until >= before - 1000 && until <= after, qPrintable(QString::number(until - after)));
}

void TestExportDialog::exportConfirmsPathAndRows()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.show();
    ChatRequest request;
    request.messages = { { QStringLiteral("user"), QStringLiteral("hi") } };
    RequestJob *job = session->client()->submit(request);
    QSignalSpy done(job, &RequestJob::finished);
    QVERIFY(done.wait(10000));
    QSignalSpy exported(window.eventLog(), &EventLogPanel::exported);
    JournalExporter::Options options;
    options.what = JournalExporter::What::Events;
    options.untilMs = QDateTime::currentMSecsSinceEpoch() + 1000;
    const QString path = dir.filePath(QStringLiteral("out.csv"));
    const qint64 rows = window.eventLog()->exportAndConfirm(path, options);
    QVERIFY(rows > 0);
    QCOMPARE(exported.size(), 1);
    const QString message = window.eventLog()->lastExportMessage();
    QVERIFY2(message.contains(path) && message.contains(QString::number(rows)), qPrintable(message));
    QCOMPARE(window.statusBar()->currentMessage(), message);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(qint64(file.readAll().count('\n')) - 1, rows); // header + one line per row
}

// "Only what the event log shows": the file holds every event of the requests the filtered
// table shows (their successes too), and nothing of the requests it hides.
void TestExportDialog::exportFollowsTableFilters()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    QJsonArray faults;
    for (int i = 0; i < 2; ++i)
        faults.append(QJsonObject { { QStringLiteral("kind"), QStringLiteral("status") },
                                    { QStringLiteral("status"), 503 } });
    QString error;
    QVERIFY2(session->simulator()->enqueueFaults(faults, &error), qPrintable(error));
    MainWindow window(session.get());
    window.setCurrentView(QStringLiteral("events"));
    window.show();
    for (int i = 0; i < 3; ++i) {
        ChatRequest request;
        request.messages = { { QStringLiteral("user"), QStringLiteral("hi %1").arg(i) } };
        RequestJob *job = session->client()->submit(request);
        QSignalSpy done(job, &RequestJob::finished);
        QVERIFY(done.wait(10000));
    }
    EventLogPanel *log = window.eventLog();
    QVERIFY(session->flushJournal());
    log->reload();
    QCOMPARE(log->model()->requestCount(), 3);
    QVERIFY2(log->filterSummary().contains(QStringLiteral("last 15 min")), qPrintable(log->filterSummary()));
    named<QComboBox>(log, QStringLiteral("Error class filter"))
        ->setCurrentIndex(1 + int(ErrorBucket::Server5xx));
    named<QComboBox>(log, QStringLiteral("Severity filter"))->setCurrentIndex(1); // warnings and errors
    QCOMPARE(log->model()->requestCount(), 1); // the one whose attempts met the 503s
    const LogItem *shown = log->model()->itemAt(0);
    QVERIFY(shown && shown->isRequest());
    QVERIFY2(log->filterSummary().contains(QStringLiteral("5xx")), qPrintable(log->filterSummary()));
    JournalExporter::Options all;
    all.what = JournalExporter::What::Events;
    const qint64 allRows = log->exportTo(dir.filePath(QStringLiteral("all.csv")), all);
    const QString filtered = dir.filePath(QStringLiteral("filtered.csv"));
    JournalExporter::Options narrowed = all;
    const qint64 rows = log->exportTo(filtered, narrowed, log->tableFilter(narrowed));
    QCOMPARE(rows, qint64(shown->eventCount)); // all of its events: submitted ... succeeded
    QVERIFY(allRows > rows);
    QFile file(filtered);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QStringList> table;
    QVERIFY(parseCsv(QString::fromUtf8(file.readAll()), table));
    const QStringList header = table.takeFirst();
    const qsizetype job = header.indexOf(QStringLiteral("job_id"));
    const qsizetype run = header.indexOf(QStringLiteral("run_id"));
    const qsizetype kind = header.indexOf(QStringLiteral("kind"));
    QSet<QString> kinds;
    for (const QStringList &row : std::as_const(table)) {
        QCOMPARE(row[job], QString::number(shown->jobId));
        QCOMPARE(row[run], QString::number(shown->runId));
        kinds.insert(row[kind]);
    }
    QVERIFY(kinds.contains(QStringLiteral("succeeded")) && kinds.contains(QStringLiteral("retry_scheduled")));
    // Requests follow the table too: its one row.
    JournalExporter::Options requests = all;
    requests.what = JournalExporter::What::Requests;
    QCOMPARE(
        log->exportTo(dir.filePath(QStringLiteral("requests.csv")), requests, log->tableFilter(requests)),
        qint64(1));
    // The dialog offers it, ticked, in words; and this run beside every run.
    ExportDialog dialog;
    dialog.offerFilters(log->filterSummary());
    QVERIFY(dialog.followsFilters());
    QCOMPARE(dialog.runId(), 0);
    dialog.offerRun(session->telemetry()->journal()->runId());
    auto *runs = named<QComboBox>(&dialog, QStringLiteral("Runs"));
    QVERIFY(runs && runs->count() == 2);
    runs->setCurrentIndex(1);
    QCOMPARE(dialog.runId(), session->telemetry()->journal()->runId());
}

// The journal's batch --via rows from the console: the dialog offers them (the event log's
// filters do not apply), and the export holds the work and its lines with their ids.
void TestExportDialog::exportsRemoteWork()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    Journal *journal = session->telemetry()->journal();
    QVERIFY(journal);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    RemoteWork work;
    work.workId = work.runId = journal->runId();
    work.via = QStringLiteral("xai-batch");
    work.inputPath = dir.filePath(QStringLiteral("in.jsonl"));
    work.outputPath = dir.filePath(QStringLiteral("out.jsonl"));
    work.batchId = QStringLiteral("batch_7f3a");
    work.state = QStringLiteral("created");
    work.createdMs = work.updatedMs = now - 1000;
    RemoteWork line = work;
    line.customId = QStringLiteral("req-1");
    line.line = 1;
    line.state = QStringLiteral("added");
    QString error;
    QVERIFY2(journal->recordRemoteWork({ work, line }, &error), qPrintable(error));
    ExportDialog dialog;
    dialog.offerFilters(QStringLiteral("last 15 min"));
    QVERIFY(dialog.followsFilters());
    named<QComboBox>(&dialog, QStringLiteral("What to export"))->setCurrentIndex(3);
    QVERIFY(!dialog.followsFilters()); // not offered: remote work is not in the table
    QCOMPARE(dialog.options().what, JournalExporter::What::Remote);
    MainWindow window(session.get());
    const QString path = dir.filePath(QStringLiteral("remote.csv"));
    QCOMPARE(window.eventLog()->exportAndConfirm(path, dialog.options(), {}, &error), qint64(2));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QStringList> table;
    QVERIFY(parseCsv(QString::fromUtf8(file.readAll()), table));
    const QStringList header = table.takeFirst();
    QCOMPARE(table.size(), 2);
    const qsizetype batch = header.indexOf(QStringLiteral("batch_id"));
    const qsizetype custom = header.indexOf(QStringLiteral("custom_id"));
    QVERIFY(batch >= 0 && custom >= 0);
    QSet<QString> customIds;
    for (const QStringList &row : std::as_const(table)) {
        QCOMPARE(row[batch], QStringLiteral("batch_7f3a"));
        customIds.insert(row[custom]);
    }
    QCOMPARE(customIds, (QSet<QString> { QString(), QStringLiteral("req-1") }));
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
