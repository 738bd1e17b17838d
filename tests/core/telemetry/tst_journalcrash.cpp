#include "core/telemetry/journal.h"
#include "core/telemetry/journalreader.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;

namespace {

qint64 countRows(const QString &path)
{
    JournalReader reader;
    if (!reader.open(path))
        return -1;
    return reader.countEvents({}).value_or(-1);
}

QString integrityCheck(const QString &path)
{
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next())
                result = q.value(0).toString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
    return result;
}

} // namespace

class TestJournalCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sigkillMidWriteLeavesAReadableJournal_data();
    void sigkillMidWriteLeavesAReadableJournal();
};

void TestJournalCrash::sigkillMidWriteLeavesAReadableJournal_data()
{
    QTest::addColumn<qint64>("rowsBeforeKill");
    QTest::newRow("early, first batches") << qint64(200);
    QTest::newRow("later, WAL well filled") << qint64(6000);
}

void TestJournalCrash::sigkillMidWriteLeavesAReadableJournal()
{
    QFETCH(qint64, rowsBeforeKill);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crash.sqlite"));
    QProcess writer;
    writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    writer.start(QCoreApplication::applicationDirPath() + QStringLiteral("/journal_crash_writer"), { path });
    QVERIFY(writer.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(countRows(path) >= rowsBeforeKill, 20'000);
    const qint64 seen = countRows(path);
    writer.kill(); // SIGKILL: no destructor, no final flush
    QVERIFY(writer.waitForFinished(5000));
    QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

    QCOMPARE(integrityCheck(path), QStringLiteral("ok"));
    JournalReader reader;
    QString error;
    QVERIFY2(reader.open(path, &error), qPrintable(error));
    const qint64 rows = reader.countEvents({}).value_or(-1);
    QVERIFY2(rows >= seen,
             qPrintable(QStringLiteral("%1 rows after the kill, %2 seen before").arg(rows).arg(seen)));
    // Batches are transactions: jobs are whole (submitted + succeeded) and contiguous from 1.
    RequestQuery everything;
    everything.limit = 1'000'000;
    const auto requests = reader.requests(everything);
    QVERIFY(requests);
    QCOMPARE(qint64(requests->size()) * 2, rows);
    QSet<quint64> jobs;
    for (const JournalRequest &r : *requests) {
        QCOMPARE(r.outcome, QStringLiteral("succeeded"));
        jobs.insert(r.jobId);
    }
    for (quint64 id = 1; id <= quint64(requests->size()); ++id)
        QVERIFY(jobs.contains(id));
    // And the journal opens for writing again (WAL recovered).
    Journal journal;
    JournalConfig config;
    config.path = path;
    QVERIFY2(journal.open(config, &error), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestJournalCrash)
#include "tst_journalcrash.moc"
