// The run id rule: ids sort by start time, differ between processes that start in the same
// millisecond, and never repeat inside one process.
#include "core/telemetry/journal.h"
#include "core/telemetry/runid.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;

class TstRunId : public QObject
{
    Q_OBJECT

private slots:
    void sameMillisecondOtherProcess()
    {
        const qint64 ms = 1'764'600'000'000;
        QVERIFY(runIdFrom(ms, 4242, 0) != runIdFrom(ms, 4243, 0));
        QCOMPARE(runIdFrom(ms, 4242, 0) / 1000, ms);
    }

    void laterStartSortsLater()
    {
        const qint64 ms = 1'764'600'000'000;
        QVERIFY(runIdFrom(ms + 1, 0, 0) > runIdFrom(ms, 999, 0));
    }

    void oneProcessNeverRepeats()
    {
        const qint64 ms = 1'764'600'000'000;
        const qint64 first = runIdFrom(ms, 17, 0);
        const qint64 second = runIdFrom(ms, 17, first); // the same millisecond again
        QVERIFY(second > first);
        QCOMPARE(second % 1000, first % 1000); // still this process's residue
        const qint64 third = runIdFrom(ms - 5, 17, second); // the wall clock stepped back
        QVERIFY(third > second);
    }

    void negativeProcessIdStillInRange()
    {
        const qint64 id = runIdFrom(1000, -3, 0);
        QVERIFY(id % 1000 >= 0);
        QCOMPARE(id / 1000, 1000);
    }

    void nextRunIdUniqueInATightLoop()
    {
        QSet<qint64> seen;
        qint64 previous = 0;
        for (int i = 0; i < 2000; ++i) {
            const qint64 id = nextRunId();
            QVERIFY(id > previous);
            QVERIFY(!seen.contains(id));
            seen.insert(id);
            previous = id;
        }
    }

    void twoJournalsOnOneFileGetTwoRuns()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        JournalConfig config;
        config.path = dir.filePath(QStringLiteral("j.sqlite"));
        Journal a;
        Journal b;
        QString error;
        QVERIFY2(a.open(config, &error), qPrintable(error));
        QVERIFY2(b.open(config, &error), qPrintable(error));
        QVERIFY(a.runId() != b.runId());
    }
};

QTEST_GUILESS_MAIN(TstRunId)
#include "tst_runid.moc"
