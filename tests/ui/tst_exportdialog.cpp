// Export: the file name follows the choice, "until" means now, and a finished export says
// where it went and how many rows it wrote.
#include "core/client/client.h"
#include "core/sim/simserver.h"
#include "core/telemetry/journalreader.h"
#include "sessionfixture.h"
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

namespace {

template<typename W> W *named(QWidget *parent, const QString &name)
{
    for (W *w : parent->findChildren<W *>())
        if (w->accessibleName() == name)
            return w;
    return nullptr;
}

} // namespace

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

// "Only what the event log shows": the file holds the rows the filtered table holds.
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
    QVERIFY(log->filterSummary().contains(QStringLiteral("last hour"))); // the default time filter
    named<QComboBox>(log, QStringLiteral("Error class filter"))
        ->setCurrentIndex(1 + int(ErrorBucket::Server5xx));
    named<QComboBox>(log, QStringLiteral("Severity filter"))->setCurrentIndex(1); // warnings and errors
    log->reload();
    const int shown = log->model()->rowCount();
    QVERIFY(shown >= 2); // each 503 attempt, and its retry
    QVERIFY2(log->filterSummary().contains(QStringLiteral("5xx")), qPrintable(log->filterSummary()));
    JournalExporter::Options all;
    all.what = JournalExporter::What::Events;
    const QString everything = dir.filePath(QStringLiteral("all.csv"));
    const qint64 allRows = log->exportTo(everything, all);
    const QString filtered = dir.filePath(QStringLiteral("filtered.csv"));
    JournalExporter::Options narrowed = all;
    const JournalExporter::Filter filter = log->tableFilter(narrowed);
    const qint64 rows = log->exportTo(filtered, narrowed, filter);
    QCOMPARE(rows, qint64(shown));
    QVERIFY(allRows > rows);
    QFile file(filtered);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i)
        if (!lines[i].trimmed().isEmpty())
            QVERIFY2(lines[i].contains("server_5xx") || lines[i].contains("5xx"), lines[i].constData());
    // The dialog offers it, ticked, in words.
    ExportDialog dialog;
    dialog.offerFilters(log->filterSummary());
    QVERIFY(dialog.followsFilters());
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
