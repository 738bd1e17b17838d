#include "core/telemetry/journal.h"
#include "csvtestparser.h"
#include "journaltestutil.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace gp::testutil;

// Runs `export` as a subprocess: the GUI-less helper always, the real grokpulse when it was built.
class TestExportCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exitCodesAndOutput_data();
    void exitCodesAndOutput();
    void writesToOutputFile_data();
    void writesToOutputFile();

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Run run(const QString &binary, const QStringList &args);
    void addBinaries();
    QTemporaryDir m_dir;
    QString m_journal;
};

void TestExportCommand::initTestCase()
{
    m_journal = m_dir.filePath(QStringLiteral("cmd.sqlite"));
    Journal journal;
    JournalConfig c;
    c.path = m_journal;
    QVERIFY(journal.open(c));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Event &e : succeededJob(1, now - 2 * 3'600'000, QStringLiteral("old"))
             + succeededJob(2, now - 60'000, QStringLiteral("new"))
             + failedJob(3, now - 30'000, QStringLiteral("bad"), QStringLiteral("comma, \"quote\"\nnewline")))
        journal.append(e);
    QVERIFY(journal.flush());
}

TestExportCommand::Run TestExportCommand::run(const QString &binary, const QStringList &args)
{
    QProcess p;
    p.start(binary, QStringList { QStringLiteral("export") } + args);
    Run r;
    if (!p.waitForFinished(20'000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestExportCommand::addBinaries()
{
    QTest::addColumn<QString>("binary");
    const QString dir = QCoreApplication::applicationDirPath();
    QTest::newRow("helper") << dir + QStringLiteral("/export_command_main");
    const QString app = dir + QStringLiteral("/../../../app/grokpulse");
    if (QFileInfo::exists(app))
        QTest::newRow("grokpulse") << app;
}

void TestExportCommand::exitCodesAndOutput_data()
{
    addBinaries();
}

void TestExportCommand::exitCodesAndOutput()
{
    QFETCH(QString, binary);
    const QString j = m_journal;
    // Usage errors: 2, with a message on stderr.
    for (const QStringList &args :
         { QStringList { QStringLiteral("--journal"), j, QStringLiteral("--what"),
                         QStringLiteral("bananas") },
           QStringList { QStringLiteral("--journal"), j, QStringLiteral("--format"), QStringLiteral("xml") },
           QStringList { QStringLiteral("--journal"), j, QStringLiteral("--since"), QStringLiteral("soon") },
           QStringList { QStringLiteral("--journal"), j, QStringLiteral("--run"), QStringLiteral("last") },
           QStringList { QStringLiteral("--journal"), j, QStringLiteral("--client"), QString() },
           QStringList { QStringLiteral("--bogus") } }) {
        const Run r = run(binary, args);
        QVERIFY2(r.exitCode == 2,
                 qPrintable(args.join(u' ') + QStringLiteral(" -> ") + QString::number(r.exitCode)));
        QVERIFY(!r.err.isEmpty());
    }
    // Unreadable journal: 1.
    QCOMPARE(run(binary, { QStringLiteral("--journal"), m_dir.filePath(QStringLiteral("missing.sqlite")) })
                 .exitCode,
             1);
    QFile notDb(m_dir.filePath(QStringLiteral("text.sqlite")));
    QVERIFY(notDb.open(QIODevice::WriteOnly));
    notDb.write(QByteArray("plain text, not SQLite\n").repeated(100));
    notDb.close();
    QCOMPARE(run(binary, { QStringLiteral("--journal"), notDb.fileName() }).exitCode, 1);
    QCOMPARE(notDb.size(), qint64(2300)); // export never "repairs" a file it only reads

    // CSV of the last hour: 2 requests, parsed back.
    Run r = run(binary,
                { QStringLiteral("--journal"), j, QStringLiteral("--what"), QStringLiteral("requests"),
                  QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--since"),
                  QStringLiteral("1h") });
    QCOMPARE(r.exitCode, 0);
    QList<QStringList> table;
    QVERIFY(parseCsv(QString::fromUtf8(r.out), table));
    QCOMPARE(table.size(), 3);
    QVERIFY(table[2].contains(QStringLiteral("comma, \"quote\"\nnewline")));
    // JSONL errors: one object per line.
    r = run(binary,
            { QStringLiteral("--journal"), j, QStringLiteral("--what"), QStringLiteral("errors"),
              QStringLiteral("--format"), QStringLiteral("jsonl") });
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 6); // 2 x (429 attempt + retry), the 400 attempt, the failure
    for (const QByteArray &line : lines)
        QVERIFY(QJsonDocument::fromJson(line).isObject());
    // Filters: no job here has a client; every job is in the one run.
    r = run(binary,
            { QStringLiteral("--journal"), j, QStringLiteral("--what"), QStringLiteral("requests"),
              QStringLiteral("--client"), QStringLiteral("alice") });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(parseCsv(QString::fromUtf8(r.out), table));
    QCOMPARE(table.size(), 1);
    QCOMPARE(table.first().last(), QStringLiteral("client"));
    const QByteArray firstRequest
        = run(binary,
              { QStringLiteral("--journal"), j, QStringLiteral("--what"), QStringLiteral("requests"),
                QStringLiteral("--format"), QStringLiteral("jsonl") })
              .out.split('\n')
              .first();
    const QString runId = QString::number(
        QJsonDocument::fromJson(firstRequest).object().value(QStringLiteral("run_id")).toInteger());
    QVERIFY(!runId.isEmpty());
    for (const auto &[id, rows] : { std::pair { runId, 3 }, std::pair { QStringLiteral("1"), 0 } }) {
        r = run(binary,
                { QStringLiteral("--journal"), j, QStringLiteral("--what"), QStringLiteral("requests"),
                  QStringLiteral("--run"), id });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(parseCsv(QString::fromUtf8(r.out), table));
        QCOMPARE(table.size(), 1 + rows);
    }
}

void TestExportCommand::writesToOutputFile_data()
{
    addBinaries();
}

void TestExportCommand::writesToOutputFile()
{
    QFETCH(QString, binary);
    const QString out
        = m_dir.filePath(QStringLiteral("events-%1.csv").arg(QLatin1String(QTest::currentDataTag())));
    const Run r = run(binary, { QStringLiteral("--journal"), m_journal, QStringLiteral("--output"), out });
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.isEmpty());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QList<QStringList> table;
    QVERIFY(parseCsv(QString::fromUtf8(f.readAll()), table));
    QCOMPARE(table.size(), 1 + 13);
    const Run bad = run(binary,
                        { QStringLiteral("--journal"), m_journal, QStringLiteral("--output"),
                          m_dir.filePath(QStringLiteral("no/such/dir/x.csv")) });
    QCOMPARE(bad.exitCode, 1);
}

QTEST_GUILESS_MAIN(TestExportCommand)
#include "tst_exportcommand.moc"
