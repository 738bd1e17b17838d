#include "core/telemetry/journal.h"
#include "core/telemetry/journaldatabase.h"
#include "core/telemetry/remotework.h"

#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

// The journal's remote_work table: rows committed before recordRemoteWork() returns, one row
// per (work, line) whose later records update its state, a resume reading only the latest
// work for its output, and older journals read (as having none) and migrated.
class TestRemoteWork final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void rowsAreReadBackBeforeAnyFlush();
    void laterRecordsUpdateTheRow();
    void onlyTheLatestWorkForTheOutput();
    void olderJournalHasNoneAndIsMigrated();
    void jsonRoundTrip();

private:
    QString journalPath() const { return m_dir->filePath(u"j.sqlite"_s); }
    bool openJournal(Journal *journal) const;
    QList<RemoteWork> read(const QString &output) const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

RemoteWork row(qint64 work, const QString &state, const QString &customId = {},
               const QString &output = u"/o"_s)
{
    RemoteWork w;
    w.workId = work;
    w.runId = work;
    w.via = u"xai-batch"_s;
    w.inputPath = u"/in"_s;
    w.outputPath = output;
    w.customId = customId;
    w.line = customId.isEmpty() ? 0 : 7;
    w.state = state;
    w.createdMs = w.updatedMs = 1000;
    return w;
}

} // namespace

void TestRemoteWork::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

bool TestRemoteWork::openJournal(Journal *journal) const
{
    JournalConfig config;
    config.path = journalPath();
    config.flushIntervalMs = 60'000; // events would wait a minute: remote work must not
    return journal->open(config);
}

QList<RemoteWork> TestRemoteWork::read(const QString &output) const
{
    QString error;
    const std::optional<QList<RemoteWork>> rows = RemoteWorkReader::latestFor(journalPath(), output, &error);
    if (!rows)
        qWarning("%s", qPrintable(error));
    return rows.value_or(QList<RemoteWork>());
}

void TestRemoteWork::rowsAreReadBackBeforeAnyFlush()
{
    Journal journal;
    QVERIFY(openJournal(&journal));
    RemoteWork created = row(5, u"created"_s);
    created.batchId = u"batch_1"_s;
    QString error;
    QVERIFY2(journal.recordRemoteWork({ row(5, u"started"_s) }, &error), qPrintable(error));
    QVERIFY2(journal.recordRemoteWork({ created, row(5, u"added"_s, u"a"_s) }, &error), qPrintable(error));
    // Another connection sees them at once: committed, not queued like events.
    const QList<RemoteWork> rows = read(u"/o"_s);
    QCOMPARE(rows.size(), 2);
    for (const RemoteWork &w : rows) {
        QCOMPARE(w.workId, 5);
        QCOMPARE(w.inputPath, u"/in"_s);
        if (w.customId.isEmpty()) {
            QCOMPARE(w.state, u"created"_s);
            QCOMPARE(w.batchId, u"batch_1"_s);
        } else {
            QCOMPARE(w.state, u"added"_s);
            QCOMPARE(w.line, 7);
        }
    }
}

void TestRemoteWork::laterRecordsUpdateTheRow()
{
    Journal journal;
    QVERIFY(openJournal(&journal));
    RemoteWork submitted = row(9, u"submitted"_s, u"x"_s);
    submitted.requestId = u"req_x"_s;
    RemoteWork written = row(9, u"written"_s, u"x"_s); // carries no request id
    written.updatedMs = 2000;
    QVERIFY(journal.recordRemoteWork({ submitted }));
    QVERIFY(journal.recordRemoteWork({ written }));
    const QList<RemoteWork> rows = read(u"/o"_s);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().state, u"written"_s);
    QCOMPARE(rows.first().requestId, u"req_x"_s); // kept
    QCOMPARE(rows.first().createdMs, 1000);
    QCOMPARE(rows.first().updatedMs, 2000);
}

void TestRemoteWork::onlyTheLatestWorkForTheOutput()
{
    Journal journal;
    QVERIFY(openJournal(&journal));
    QVERIFY(journal.recordRemoteWork({ row(1, u"started"_s), row(1, u"added"_s, u"old"_s) }));
    QVERIFY(journal.recordRemoteWork({ row(2, u"started"_s) })); // a fresh run to the same output
    QVERIFY(journal.recordRemoteWork({ row(3, u"added"_s, u"other"_s, u"/elsewhere"_s) }));
    const QList<RemoteWork> rows = read(u"/o"_s);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().workId, 2);
    QCOMPARE(rows.first().state, u"started"_s);
    QVERIFY(read(u"/nothing"_s).isEmpty());
}

void TestRemoteWork::olderJournalHasNoneAndIsMigrated()
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"old"_s);
        db.setDatabaseName(journalPath());
        QString error;
        QVERIFY(db.open() && JournalDatabase::createVersion(db, 3, &error));
        db.close();
    }
    QSqlDatabase::removeDatabase(u"old"_s);
    QString error;
    const std::optional<QList<RemoteWork>> none = RemoteWorkReader::latestFor(journalPath(), u"/o"_s, &error);
    QVERIFY2(none.has_value(), qPrintable(error)); // a version-3 file: no table, no work, no error
    QVERIFY(none->isEmpty());
    Journal journal;
    QVERIFY(openJournal(&journal)); // migrates to the current version
    QVERIFY(journal.recordRemoteWork({ row(4, u"started"_s) }, &error));
    QCOMPARE(read(u"/o"_s).size(), 1);
    QVERIFY(RemoteWorkReader::latestFor(m_dir->filePath(u"missing.sqlite"_s), u"/o"_s, &error)->isEmpty());
}

void TestRemoteWork::jsonRoundTrip()
{
    RemoteWork w = row(12, u"submitted"_s, u"c"_s);
    w.requestId = u"req"_s;
    const std::optional<RemoteWork> back = RemoteWork::fromJson(w.toJson());
    QVERIFY(back.has_value());
    QCOMPARE(back->toJson(), w.toJson());
    QVERIFY(!RemoteWork::fromJson(QJsonObject()).has_value()); // a torn line
    QVERIFY(!RemoteWork::fromJson(QJsonObject { { u"journal"_s, u"/j"_s } }).has_value()); // a pointer line
}

QTEST_GUILESS_MAIN(TestRemoteWork)
#include "tst_remotework.moc"
