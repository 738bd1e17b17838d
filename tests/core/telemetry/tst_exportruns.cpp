// Two runs in one journal file (a real SQLite file, two Journal opens) with the same job ids:
// every export (events, errors, requests; CSV and JSONL; the library and `export`) carries the
// run_id that tells them apart, --run keeps one run, and the reader pages the rows by row id.
#include "core/telemetry/journal.h"
#include "core/telemetry/journalexporter.h"
#include "core/telemetry/journalreader.h"
#include "csvtestparser.h"
#include "journaltestutil.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace gp::testutil;

class TestExportRuns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportsTellRunsApart_data();
    void exportsTellRunsApart();
    void commandKeepsOneRun();
    void readerPagesByRowId();

private:
    // Each exported row as its (run_id, job_id) and kind (or outcome, for requests).
    QList<std::pair<QString, QString>> exportKeys(JournalExporter::What what, JournalExporter::Format format,
                                                  qint64 runId = 0);
    QTemporaryDir m_dir;
    QString m_path;
    qint64 m_runs[2] {};
    qint64 m_now = 0;
};

void TestExportRuns::initTestCase()
{
    m_path = m_dir.filePath(QStringLiteral("runs.sqlite"));
    m_now = QDateTime::currentMSecsSinceEpoch();
    for (int r = 0; r < 2; ++r) {
        Journal journal;
        JournalConfig config;
        config.path = m_path;
        QVERIFY(journal.open(config));
        m_runs[r] = journal.runId();
        // Job ids restart with every run: 1 and 2 in both.
        for (const Event &e : succeededJob(1, m_now - 60'000 + r * 10'000, QStringLiteral("a%1").arg(r))
                 + failedJob(2, m_now - 55'000 + r * 10'000, QStringLiteral("b%1").arg(r),
                             QStringLiteral("no")))
            journal.append(e);
        QVERIFY(journal.flush());
    }
    QVERIFY(m_runs[0] != m_runs[1]);
}

QList<std::pair<QString, QString>> TestExportRuns::exportKeys(JournalExporter::What what,
                                                              JournalExporter::Format format, qint64 runId)
{
    JournalReader reader;
    if (!reader.open(m_path))
        return {};
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    JournalExporter::Options options;
    options.what = what;
    options.format = format;
    JournalExporter::Filter filter;
    filter.runId = runId;
    if (!JournalExporter::run(reader, options, filter, out))
        return {};
    const QString kind
        = what == JournalExporter::What::Requests ? QStringLiteral("outcome") : QStringLiteral("kind");
    QList<std::pair<QString, QString>> keys;
    if (format == JournalExporter::Format::Jsonl) {
        for (const QByteArray &line : out.data().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (!o.isEmpty())
                keys.append({ QStringLiteral("%1/%2")
                                  .arg(o.value(QStringLiteral("run_id")).toInteger())
                                  .arg(o.value(QStringLiteral("job_id")).toInteger()),
                              o.value(kind).toString() });
        }
        return keys;
    }
    QList<QStringList> table;
    if (!parseCsv(QString::fromUtf8(out.data()), table) || table.isEmpty())
        return {};
    const QStringList header = table.takeFirst();
    const qsizetype run = header.indexOf(QStringLiteral("run_id"));
    const qsizetype job = header.indexOf(QStringLiteral("job_id"));
    const qsizetype k = header.indexOf(kind);
    if (run < 0 || job < 0 || k < 0)
        return {};
    for (const QStringList &row : std::as_const(table))
        keys.append({ row[run] + u'/' + row[job], row[k] });
    return keys;
}

void TestExportRuns::exportsTellRunsApart_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("perRun"); // rows of one run
    using E = JournalExporter;
    for (const auto &[name, format] :
         { std::pair { "csv", E::Format::Csv }, std::pair { "jsonl", E::Format::Jsonl } }) {
        QTest::addRow("events %s", name) << int(E::What::Events) << int(format) << 8; // 5 + 3
        QTest::addRow("errors %s", name) << int(E::What::Errors) << int(format) << 4; // 429, retry, 400 x2
        QTest::addRow("requests %s", name) << int(E::What::Requests) << int(format) << 2;
    }
}

void TestExportRuns::exportsTellRunsApart()
{
    QFETCH(int, what);
    QFETCH(int, format);
    QFETCH(int, perRun);
    const auto keys = exportKeys(JournalExporter::What(what), JournalExporter::Format(format));
    QCOMPARE(keys.size(), 2 * perRun);
    QSet<QString> requests;
    for (const auto &[key, kind] : keys)
        requests.insert(key);
    // Job 1 and job 2 of each run: four requests, not two.
    const QSet<QString> expected { QStringLiteral("%1/1").arg(m_runs[0]),
                                   QStringLiteral("%1/2").arg(m_runs[0]),
                                   QStringLiteral("%1/1").arg(m_runs[1]),
                                   QStringLiteral("%1/2").arg(m_runs[1]) };
    QCOMPARE(requests, expected);
    for (const qint64 run : m_runs) {
        const auto one = exportKeys(JournalExporter::What(what), JournalExporter::Format(format), run);
        QCOMPARE(one.size(), perRun);
        for (const auto &[key, kind] : one)
            QVERIFY2(key.startsWith(QString::number(run) + u'/'), qPrintable(key));
    }
}

void TestExportRuns::commandKeepsOneRun()
{
    QProcess p;
    p.start(QCoreApplication::applicationDirPath() + QStringLiteral("/export_command_main"),
            { QStringLiteral("export"), QStringLiteral("--journal"), m_path, QStringLiteral("--what"),
              QStringLiteral("events"), QStringLiteral("--format"), QStringLiteral("jsonl"),
              QStringLiteral("--run"), QString::number(m_runs[1]) });
    QVERIFY(p.waitForFinished(20'000));
    QCOMPARE(p.exitCode(), 0);
    const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 8);
    for (const QByteArray &line : lines)
        QCOMPARE(QJsonDocument::fromJson(line).object().value(QStringLiteral("run_id")).toInteger(),
                 m_runs[1]);
}

void TestExportRuns::readerPagesByRowId()
{
    JournalReader reader;
    QVERIFY(reader.open(m_path));
    const qint64 last = reader.lastEventId().value_or(-1);
    QCOMPARE(last, 16);
    QCOMPARE(reader.firstEventIdSince(m_now - 50'000).value_or(-1), 9); // the second run's first row
    QCOMPARE(reader.firstEventIdSince(m_now + 60'000).value_or(-1), 0);
    EventQuery query;
    query.byId = true;
    query.afterId = 6;
    query.throughId = 12;
    query.limit = 100;
    const auto rows = reader.journalEvents(query);
    QVERIFY(rows);
    QCOMPARE(rows->size(), 6);
    for (qsizetype i = 0; i < rows->size(); ++i)
        QCOMPARE(rows->at(i).id, 7 + i);
    QCOMPARE(rows->first().runId, m_runs[0]);
    QCOMPARE(rows->last().runId, m_runs[1]);
    query.newestFirst = true;
    QCOMPARE(reader.journalEvents(query)->first().id, 12);
}

QTEST_GUILESS_MAIN(TestExportRuns)
#include "tst_exportruns.moc"
