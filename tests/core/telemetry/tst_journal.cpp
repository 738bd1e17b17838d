#include "core/telemetry/journal.h"
#include "core/telemetry/journaldatabase.h"
#include "core/telemetry/journalreader.h"
#include "journaltestutil.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace gp::testutil;

namespace {

constexpr qint64 T0 = 1'790'000'040'000;

JournalConfig configAt(const QString &path)
{
    JournalConfig c;
    c.path = path;
    c.retentionDays = 0;
    c.maxSizeBytes = 0;
    return c;
}

void execOn(const QString &path, const QStringList &statements)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("setup"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (const QString &sql : statements)
            QVERIFY2(q.exec(sql), qPrintable(sql));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("setup"));
}

} // namespace

class TestJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEventsAndRequests();
    void queriesFilterAndPage_data();
    void queriesFilterAndPage();
    void batchesCommitWithoutExplicitFlush();
    void rotatesByAge();
    void rotatesBySize();
    void foreignDatabaseIsRefused();
    void corruptFileIsMovedAside();
    void unwritablePathIsAnErrorValue();
    void fullDatabaseIsAnErrorValue();
    void scrubsSecrets();
    void initTestCase() { m_dir.setAutoRemove(qEnvironmentVariableIsEmpty("GP_KEEP_TEST_FILES")); }

private:
    QTemporaryDir m_dir { QDir::tempPath() + QStringLiteral("/tst_journal-XXXXXX") };
};

void TestJournal::roundTripsEventsAndRequests()
{
    const QString path = m_dir.filePath(QStringLiteral("roundtrip.sqlite"));
    Journal journal;
    QString error;
    QVERIFY2(journal.open(configAt(path), &error), qPrintable(error));
    const QList<Event> ok = succeededJob(1, T0, QStringLiteral("row-1"));
    const QList<Event> bad
        = failedJob(2, T0 + 5000, QStringLiteral("row-2"), QStringLiteral("bad \"field\", line1\nline2"));
    for (const Event &e : ok + bad)
        journal.append(e);
    QVERIFY(journal.flush(&error));

    JournalReader reader;
    QVERIFY2(reader.open(path, &error), qPrintable(error));
    const auto events = reader.events({});
    QVERIFY(events);
    QCOMPARE(events->size(), 8);
    const Event &back = events->at(4);
    QCOMPARE(back.kind, EventKind::Succeeded);
    QCOMPARE(back.timeMs, T0 + 2700);
    QCOMPARE(back.usage, ok.last().usage);
    QCOMPARE(back.requestId, QStringLiteral("req-1"));
    QCOMPARE(events->at(1).quota.requests.limit, std::optional<qint64>(60));
    QCOMPARE(events->at(7).message, QStringLiteral("bad \"field\", line1\nline2"));

    const auto requests = reader.requests({});
    QVERIFY(requests);
    QCOMPARE(requests->size(), 2);
    const JournalRequest &r1 = requests->at(0);
    QCOMPARE(r1.runId, journal.runId());
    QCOMPARE(r1.customId, QStringLiteral("row-1"));
    QCOMPARE(r1.priority, QStringLiteral("interactive"));
    QCOMPARE(r1.outcome, QStringLiteral("succeeded"));
    QCOMPARE(r1.attempts, 2);
    QCOMPARE(r1.submittedMs, T0);
    QCOMPARE(r1.finishedMs, T0 + 2700);
    QCOMPARE(r1.latencyMs, qint64(2700));
    QCOMPARE(r1.ttfbMs, qint64(250));
    QCOMPARE(r1.reasoningTokens, qint64(25));
    QCOMPARE(r1.costUsd.value_or(0), 0.0012345);
    QVERIFY(r1.errorClass.isEmpty());
    const JournalRequest &r2 = requests->at(1);
    QCOMPARE(r2.outcome, QStringLiteral("failed"));
    QCOMPARE(r2.errorClass, QStringLiteral("bad_request"));
    QCOMPARE(r2.httpStatus, 400);
    QCOMPARE(r2.errorMessage, bad.last().message);
    QCOMPARE(reader.succeededCustomIds().value_or(QSet<QString>()),
             QSet<QString> { QStringLiteral("row-1") });
    RequestQuery failedOnly;
    failedOnly.failedOnly = true;
    QCOMPARE(reader.requests(failedOnly)->size(), 1);
}

void TestJournal::queriesFilterAndPage_data()
{
    QTest::addColumn<EventQuery>("query");
    QTest::addColumn<int>("expected");
    EventQuery all;
    all.limit = 1000;
    QTest::newRow("all") << all << 40;
    EventQuery byKind = all;
    byKind.kinds = { EventKind::Succeeded, EventKind::Failed };
    QTest::newRow("terminal kinds") << byKind << 10;
    EventQuery byBucket = all;
    byBucket.errorBuckets = { ErrorBucket::RateLimit429 };
    QTest::newRow("429 bucket") << byBucket << 10; // attempt + retry, 5 jobs
    EventQuery errors = all;
    errors.errorsOnly = true;
    QTest::newRow("errors only") << errors << 20;
    EventQuery text = all;
    text.text = QStringLiteral("50%_off");
    QTest::newRow("text with LIKE wildcards") << text << 10;
    EventQuery range = all;
    range.fromMs = T0 + 10'000;
    range.toMs = T0 + 19'999;
    QTest::newRow("time range") << range << 8;
    EventQuery page = all;
    page.limit = 15;
    page.offset = 30;
    QTest::newRow("last page") << page << 10;
}

void TestJournal::queriesFilterAndPage()
{
    QFETCH(EventQuery, query);
    QFETCH(int, expected);
    const QString path = m_dir.filePath(QStringLiteral("query.sqlite"));
    if (!QFile::exists(path)) {
        Journal journal;
        QVERIFY(journal.open(configAt(path)));
        for (int j = 0; j < 5; ++j) {
            for (const Event &e :
                 succeededJob(quint64(10 + j), T0 + j * 10'000, QStringLiteral("ok-%1").arg(j)))
                journal.append(e);
            for (const Event &e :
                 failedJob(quint64(20 + j), T0 + j * 10'000 + 5000, QStringLiteral("bad-%1").arg(j),
                           QStringLiteral("50%_off is not a model")))
                journal.append(e);
        }
        QVERIFY(journal.flush());
    }
    JournalReader reader;
    QVERIFY(reader.open(path));
    const auto events = reader.events(query);
    QVERIFY(events);
    QCOMPARE(int(events->size()), expected);
    if (query.offset == 0)
        QCOMPARE(reader.countEvents(query).value_or(-1), qint64(expected));
}

void TestJournal::batchesCommitWithoutExplicitFlush()
{
    const QString path = m_dir.filePath(QStringLiteral("batch.sqlite"));
    Journal journal;
    QVERIFY(journal.open(configAt(path)));
    for (const Event &e : succeededJob(1, T0, QStringLiteral("a")))
        journal.append(e);
    JournalReader reader;
    QVERIFY(reader.open(path));
    // The writer commits on its own within the documented ~200 ms window.
    QTRY_COMPARE_WITH_TIMEOUT(reader.countEvents({}).value_or(0), qint64(5), 3000);
}

void TestJournal::rotatesByAge()
{
    const QString path = m_dir.filePath(QStringLiteral("age.sqlite"));
    JournalConfig c = configAt(path);
    c.retentionDays = 30;
    Journal journal;
    QSignalSpy warnings(&journal, &Journal::warning);
    QVERIFY(journal.open(c));
    const qint64 now = T0;
    for (const Event &e : succeededJob(1, now - 40 * 86'400'000LL, QStringLiteral("old")))
        journal.append(e);
    for (const Event &e : succeededJob(2, now - 1000 * 60, QStringLiteral("new")))
        journal.append(e);
    const JournalRotation r = journal.rotate(now);
    QVERIFY(r.ok);
    QCOMPARE(r.deletedEvents, qint64(5));
    QCOMPARE(r.deletedRequests, qint64(1));
    QTRY_COMPARE(warnings.size(), 1);
    QVERIFY(warnings.first().first().value<Event>().message.contains(QStringLiteral("rotated")));
    JournalReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(reader.requests({})->size(), 1);
    QCOMPARE(reader.requests({})->first().customId, QStringLiteral("new"));
}

void TestJournal::rotatesBySize()
{
    const QString path = m_dir.filePath(QStringLiteral("size.sqlite"));
    JournalConfig c = configAt(path);
    c.maxSizeBytes = 256 * 1024;
    Journal journal;
    QVERIFY(journal.open(c));
    const QString filler(300, u'x');
    for (int i = 0; i < 6000; ++i)
        journal.append(makeEvent(EventKind::Warning, T0 + i, 0, filler + QString::number(i)));
    QVERIFY(journal.flush());
    const JournalRotation r = journal.rotate(T0 + 10'000);
    QVERIFY(r.ok);
    QVERIFY(r.deletedEvents > 3000);
    journal.close();
    QVERIFY2(QFileInfo(path).size() <= 2 * c.maxSizeBytes,
             qPrintable(QString::number(QFileInfo(path).size())));
    JournalReader reader;
    QVERIFY(reader.open(path));
    EventQuery newest;
    newest.newestFirst = true;
    newest.limit = 1;
    newest.kinds = { EventKind::Warning };
    newest.text = QStringLiteral("x5999");
    QCOMPARE(reader.events(newest)->size(), 1); // the newest rows survive
    EventQuery oldest;
    oldest.text = QStringLiteral("x0");
    oldest.toMs = T0 + 10;
    QCOMPARE(reader.events(oldest)->size(), 0);
}

void TestJournal::foreignDatabaseIsRefused()
{
    const QString path = m_dir.filePath(QStringLiteral("foreign.sqlite"));
    execOn(path, { QStringLiteral("CREATE TABLE photos (id INTEGER)") });
    Journal journal;
    QString error;
    QVERIFY(!journal.open(configAt(path), &error));
    QVERIFY2(error.contains(QStringLiteral("not a GrokPulse journal")), qPrintable(error));
}

void TestJournal::corruptFileIsMovedAside()
{
    const QString path = m_dir.filePath(QStringLiteral("corrupt.sqlite"));
    QFile garbage(path);
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    const QByteArray bytes = QByteArray("this is not a database, just text\n").repeated(200);
    garbage.write(bytes);
    garbage.close();
    Journal journal;
    QSignalSpy warnings(&journal, &Journal::warning);
    QString error;
    QVERIFY2(journal.open(configAt(path), &error), qPrintable(error));
    QTRY_COMPARE(warnings.size(), 1);
    const Event warning = warnings.first().first().value<Event>();
    QCOMPARE(warning.kind, EventKind::Warning);
    QVERIFY(warning.message.contains(QStringLiteral(".corrupt-")));
    const QStringList aside = QDir(m_dir.path()).entryList({ QStringLiteral("corrupt.sqlite.corrupt-*") });
    QCOMPARE(aside.size(), 1);
    QFile moved(m_dir.filePath(aside.first()));
    QVERIFY(moved.open(QIODevice::ReadOnly));
    QCOMPARE(moved.readAll(), bytes);
    journal.append(makeEvent(EventKind::Warning, T0, 0, QStringLiteral("fresh")));
    QVERIFY(journal.flush());
    JournalReader reader;
    QVERIFY(reader.open(path));
    QCOMPARE(reader.countEvents({}).value_or(0), qint64(2)); // the warning itself is journaled too
}

void TestJournal::unwritablePathIsAnErrorValue()
{
    const QString blocker = m_dir.filePath(QStringLiteral("a-file"));
    QFile f(blocker);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    Journal journal;
    QString error;
    QVERIFY(!journal.open(configAt(blocker + QStringLiteral("/journal.sqlite")), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!journal.isOpen());
    journal.append(makeEvent(EventKind::Warning, T0)); // harmless when closed
    QVERIFY(!journal.flush(&error));
    JournalReader reader;
    QVERIFY(!reader.open(m_dir.filePath(QStringLiteral("missing.sqlite")), &error));
    QVERIFY(error.contains(QStringLiteral("not found")));
}

void TestJournal::fullDatabaseIsAnErrorValue()
{
    const QString path = m_dir.filePath(QStringLiteral("full.sqlite"));
    JournalConfig c = configAt(path);
    c.hardLimitBytes = 128 * 1024; // the schema takes ~36 KiB; room for the first round, not for 20
    Journal journal;
    QSignalSpy failures(&journal, &Journal::writeFailed);
    QVERIFY(journal.open(c));
    const QString filler(500, u'y');
    QString error;
    bool ok = true;
    for (int round = 0; round < 20 && ok; ++round) {
        for (int i = 0; i < 100; ++i)
            journal.append(makeEvent(EventKind::Warning, T0 + i, 0, filler));
        ok = journal.flush(&error);
    }
    QVERIFY(!ok);
    QVERIFY2(error.contains(QStringLiteral("full"), Qt::CaseInsensitive), qPrintable(error));
    QTRY_VERIFY(!failures.isEmpty());
    JournalReader reader;
    QVERIFY(reader.open(path)); // what was committed stays readable
    QVERIFY(reader.countEvents({}).value_or(0) > 0);
}

void TestJournal::scrubsSecrets()
{
    const QString path = m_dir.filePath(QStringLiteral("scrub.sqlite"));
    Journal journal;
    QVERIFY(journal.open(configAt(path)));
    Event e = makeEvent(EventKind::Failed, T0, 7,
                        QStringLiteral("sent Authorization: Bearer xai-PLANTED-SECRET-123 oops"));
    e.customId = QStringLiteral("xai-PLANTED-SECRET-123");
    journal.append(e);
    QVERIFY(journal.flush());
    JournalReader reader;
    QVERIFY(reader.open(path));
    const Event back = reader.events({})->first();
    QVERIFY(!back.message.contains(QStringLiteral("PLANTED")));
    QVERIFY(back.message.contains(QStringLiteral("[redacted]")));
    QVERIFY(!back.customId.contains(QStringLiteral("PLANTED")));
}

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
