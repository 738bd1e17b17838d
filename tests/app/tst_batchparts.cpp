// The batch command's pure parts: when to give up on a dead server, what the summary
// counts (retries, percentiles, results not written), which paths collide, reading a
// stream without blocking, and the journal committed before the output line.
#include "app/batch/batchpaths.h"
#include "app/batch/batchstats.h"
#include "app/batch/giveuprule.h"
#include "app/batch/inputreader.h"
#include "app/batch/outputwriter.h"
#include "app/batch/resultcommitter.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using gp::BreakerState;

class TestBatchParts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void givesUp_data();
    void givesUp();
    void retriesAreAttemptsAfterTheFirst();
    void percentilesOnlyOfSuccesses();
    void countsWhatWasWritten();
    void samePaths_data();
    void samePaths();
    void readsAStreamWithoutBlocking();
    void journalCommitsBeforeTheOutput();
    void journalFailureIsReported();
};

void TestBatchParts::givesUp_data()
{
    QTest::addColumn<qint64>("afterMs");
    // pairs: time, what (0 closed, 1 half-open, 2 open, 9 success, 7 attempt failed unanswered,
    // 8 attempt failed with an HTTP answer)
    QTest::addColumn<QList<qint64>>("steps");
    QTest::addColumn<qint64>("askAt");
    QTest::addColumn<bool>("giveUp");
    QTest::newRow("open long enough") << qint64(30000) << QList<qint64> { 1000, 2 } << qint64(31000) << true;
    QTest::newRow("not yet") << qint64(30000) << QList<qint64> { 1000, 2 } << qint64(30999) << false;
    QTest::newRow("half-open probes keep the first opening")
        << qint64(30000) << QList<qint64> { 1000, 2, 11000, 1, 11010, 2, 21000, 1, 21010, 2 } << qint64(31000)
        << true;
    QTest::newRow("closed again") << qint64(30000) << QList<qint64> { 1000, 2, 20000, 0 } << qint64(60000)
                                  << false;
    QTest::newRow("reopened: counts from the new opening")
        << qint64(30000) << QList<qint64> { 1000, 2, 20000, 0, 25000, 2 } << qint64(50000) << false;
    QTest::newRow("a success while open")
        << qint64(30000) << QList<qint64> { 1000, 2, 5000, 9 } << qint64(40000) << false;
    QTest::newRow("never when 0") << qint64(0) << QList<qint64> { 1000, 2 } << qint64(1'000'000) << false;
    QTest::newRow("closed from the start") << qint64(1000) << QList<qint64> {} << qint64(1'000'000) << false;
    QTest::newRow("stalling: unanswered failures, breaker closed")
        << qint64(30000) << QList<qint64> { 60000, 7, 60001, 7 } << qint64(90001) << true;
    QTest::newRow("stalling: not yet")
        << qint64(30000) << QList<qint64> { 60000, 7 } << qint64(89999) << false;
    QTest::newRow("an HTTP answer (even an error) since")
        << qint64(30000) << QList<qint64> { 60000, 7, 70000, 8 } << qint64(100000) << false;
    QTest::newRow("a success since") << qint64(30000) << QList<qint64> { 60000, 7, 70000, 9 }
                                     << qint64(100000) << false;
    QTest::newRow("unanswered again after an answer counts anew")
        << qint64(30000) << QList<qint64> { 0, 7, 20000, 8, 25000, 7 } << qint64(50000) << false;
}

void TestBatchParts::givesUp()
{
    QFETCH(qint64, afterMs);
    QFETCH(QList<qint64>, steps);
    QFETCH(qint64, askAt);
    QFETCH(bool, giveUp);
    gp::GiveUpRule rule(afterMs);
    for (qsizetype i = 0; i + 1 < steps.size(); i += 2) {
        if (steps[i + 1] == 9)
            rule.onSuccess(steps[i]);
        else if (steps[i + 1] == 7 || steps[i + 1] == 8)
            rule.onAttempt(steps[i + 1] == 8 ? 503 : 0, true, steps[i]);
        else
            rule.onBreakerState(BreakerState(steps[i + 1]), steps[i]);
    }
    QCOMPARE(rule.shouldGiveUp(askAt), giveUp);
}

void TestBatchParts::retriesAreAttemptsAfterTheFirst()
{
    gp::BatchStats stats;
    for (int attempts : { 1, 3, 5, 0, 2 }) {
        gp::Outcome outcome;
        outcome.status = attempts == 1 ? gp::JobStatus::Succeeded : gp::JobStatus::Failed;
        outcome.attempts = attempts;
        stats.recordOutcome(outcome);
    }
    // 11 attempts for 5 jobs: 0 + 2 + 4 + 0 + 1 retries.
    const QJsonObject summary = stats.toJson(1000, 1);
    QCOMPARE(summary.value("attempts"_L1).toInt(), 11);
    QCOMPARE(summary.value("retries"_L1).toInt(), 7);
    QVERIFY(stats.toText(1000).contains(u"11 attempts, 7 retries"_s));
}

void TestBatchParts::percentilesOnlyOfSuccesses()
{
    gp::BatchStats stats;
    gp::Outcome failed;
    failed.status = gp::JobStatus::Failed;
    failed.attempts = 5;
    failed.latencyMs = 406171; // a failure's time is not the service's latency
    stats.recordOutcome(failed);
    QJsonObject latency = stats.toJson(2000, 1).value("latency_ms"_L1).toObject();
    QVERIFY(latency.value("p50"_L1).isNull());
    QVERIFY(latency.value("p99"_L1).isNull());
    QVERIFY(stats.toText(2000).contains(u"p50 - ms"_s));
    gp::Outcome ok;
    ok.status = gp::JobStatus::Succeeded;
    ok.attempts = 1;
    ok.latencyMs = 120;
    stats.recordOutcome(ok);
    latency = stats.toJson(2000, 1).value("latency_ms"_L1).toObject();
    QVERIFY(qAbs(latency.value("p99"_L1).toDouble() - 120) < 15);
}

void TestBatchParts::countsWhatWasWritten()
{
    gp::BatchStats stats;
    gp::Outcome ok;
    ok.status = gp::JobStatus::Succeeded;
    ok.attempts = 1;
    stats.recordOutcome(ok, true);
    stats.recordOutcome(ok, false);
    stats.recordOutcome(ok, false);
    const QJsonObject counts = stats.toJson(1000, 4).value("counts"_L1).toObject();
    QCOMPARE(counts.value("succeeded"_L1).toInt(), 1); // only what is on disk is delivered
    QCOMPARE(counts.value("not_written"_L1).toInt(), 2);
    QCOMPARE(counts.value("succeeded_not_written"_L1).toInt(), 2);
    QCOMPARE(stats.toJson(1000, 4).value("attempts"_L1).toInt(), 3); // all paid for
    QVERIFY(stats.toText(1000).contains(u"NOT written"_s));
}

void TestBatchParts::samePaths_data()
{
    QTest::addColumn<QString>("output"); // relative to the temporary directory; "@in" is the input
    QTest::addColumn<QString>("journal");
    QTest::addColumn<QString>("errorPart"); // empty: accepted
    QTest::newRow("distinct") << u"out.jsonl"_s << u"j.sqlite"_s << QString();
    QTest::newRow("output is the input") << u"in.jsonl"_s << QString() << u"--input and --output"_s;
    QTest::newRow("output via ./ and ..") << u"./sub/../in.jsonl"_s << QString() << u"same file"_s;
    QTest::newRow("output is a symlink to the input") << u"link.jsonl"_s << QString() << u"same file"_s;
    QTest::newRow("output is a hard link") << u"hard.jsonl"_s << QString() << u"same file"_s;
    QTest::newRow("journal is the output") << u"out.jsonl"_s << u"out.jsonl"_s << u"--output and --journal"_s;
    QTest::newRow("journal is the input") << u"out.jsonl"_s << u"in.jsonl"_s << u"--input and --journal"_s;
    QTest::newRow("output is a directory") << u"sub"_s << QString() << u"is a directory"_s;
    QTest::newRow("output in a missing directory") << u"none/out.jsonl"_s << QString() << u"does not exist"_s;
}

void TestBatchParts::samePaths()
{
    QFETCH(QString, output);
    QFETCH(QString, journal);
    QFETCH(QString, errorPart);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile input(dir.filePath(u"in.jsonl"_s));
    QVERIFY(input.open(QIODevice::WriteOnly));
    input.close();
    QVERIFY(QDir(dir.path()).mkdir(u"sub"_s));
    QVERIFY(QFile::link(dir.filePath(u"in.jsonl"_s), dir.filePath(u"link.jsonl"_s)));
    QCOMPARE(::link(QFile::encodeName(dir.filePath(u"in.jsonl"_s)).constData(),
                    QFile::encodeName(dir.filePath(u"hard.jsonl"_s)).constData()),
             0);
    gp::BatchOptions options;
    options.inputPath = dir.filePath(u"in.jsonl"_s);
    options.outputPath = dir.filePath(output);
    options.journalPath = journal.isEmpty() ? QString() : dir.filePath(journal);
    const QString error = gp::BatchPaths::check(options);
    if (errorPart.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(errorPart), qPrintable(error));
}

// A pipe with no complete line yet: next() returns at once, and the lines come as they arrive.
void TestBatchParts::readsAStreamWithoutBlocking()
{
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    gp::InputReader reader(gp::InputLineParser(QUrl(u"https://api.x.ai/v1"_s), u"grok-4"_s));
    QString error;
    QVERIFY2(reader.open(u"/proc/self/fd/%1"_s.arg(fds[0]), &error), qPrintable(error));
    QVERIFY(reader.streamFd() >= 0);
    QCOMPARE(gp::InputReader::countLines(u"/proc/self/fd/%1"_s.arg(fds[0])), -1); // never read twice
    QVERIFY(!reader.next());
    QVERIFY(!reader.atEnd());
    const QByteArray first = R"({"id":"a","prompt":"x"})"
                             "\n"
                             R"({"id":"b",)";
    QCOMPARE(::write(fds[1], first.constData(), size_t(first.size())), ssize_t(first.size()));
    std::optional<gp::InputLine> line = reader.next();
    QVERIFY(line && line->customId == u"a"_s);
    QVERIFY(!reader.next()); // half a line: wait for the rest
    const QByteArray rest = R"("prompt":"y"})"; // the last line has no newline
    QCOMPARE(::write(fds[1], rest.constData(), size_t(rest.size())), ssize_t(rest.size()));
    ::close(fds[1]);
    line = reader.next();
    QVERIFY(line && line->customId == u"b"_s && line->lineNumber == 2);
    QVERIFY(!reader.next());
    QVERIFY(reader.atEnd());
    ::close(fds[0]);
}

void TestBatchParts::journalCommitsBeforeTheOutput()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    gp::OutputWriter writer;
    QString error;
    QVERIFY(writer.open(dir.filePath(u"out.jsonl"_s), false, &error));
    gp::BatchStats stats;
    gp::ResultCommitter committer(&writer, &stats);
    QStringList order;
    committer.setJournalFlush([&order, &writer](QString *) {
        order << u"journal with %1 lines out"_s.arg(writer.linesWritten());
        return true;
    });
    gp::Outcome ok;
    ok.status = gp::JobStatus::Succeeded;
    ok.attempts = 1;
    committer.add(gp::OutputWriter::outcomeLine(u"a"_s, 1, ok), ok, true);
    committer.add(gp::OutputWriter::outcomeLine(u"b"_s, 2, ok), ok, true);
    QCOMPARE(writer.linesWritten(), 0); // not acknowledged before the journal has it
    QTRY_COMPARE_WITH_TIMEOUT(writer.linesWritten(), 2, 2000);
    QCOMPARE(order, QStringList { u"journal with 0 lines out"_s }); // one commit for both, first
    QCOMPARE(stats.succeeded(), 2);
}

void TestBatchParts::journalFailureIsReported()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    gp::OutputWriter writer;
    QString error;
    QVERIFY(writer.open(dir.filePath(u"out.jsonl"_s), false, &error));
    gp::BatchStats stats;
    gp::ResultCommitter committer(&writer, &stats);
    committer.setJournalFlush([](QString *why) {
        *why = u"database or disk is full"_s;
        return false;
    });
    QSignalSpy failed(&committer, &gp::ResultCommitter::writeFailed);
    gp::Outcome ok;
    ok.status = gp::JobStatus::Succeeded;
    committer.add(gp::OutputWriter::outcomeLine(u"a"_s, 1, ok), ok, true);
    committer.commitNow();
    QCOMPARE(failed.size(), 1);
    QVERIFY(failed.first().first().toString().contains(u"disk is full"_s));
    QCOMPARE(writer.linesWritten(), 1); // a result in hand still reaches the output
    committer.add(gp::OutputWriter::outcomeLine(u"b"_s, 2, ok), ok, true);
    committer.commitNow();
    QCOMPARE(failed.size(), 1); // reported once
}

QTEST_GUILESS_MAIN(TestBatchParts)
#include "tst_batchparts.moc"
