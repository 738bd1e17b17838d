#include "core/telemetry/journal.h"
#include "core/telemetry/journalexporter.h"
#include "core/telemetry/journalreader.h"
#include "csvtestparser.h"
#include "journaltestutil.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace gp::testutil;

namespace {
constexpr qint64 T0 = 1'790'000'040'000; // 2026-09-21T...Z
const QString kNasty = QStringLiteral("model \"grok\", said: no\r\nsecond line\nthird, \"quoted\"");
} // namespace

class TestJournalExporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void csvRoundTrips_data();
    void csvRoundTrips();
    void jsonlRoundTrips_data();
    void jsonlRoundTrips();
    void timeWindow();
    void csvField_data();
    void csvField();
    void parseTime_data();
    void parseTime();
    void isoTime();

private:
    QByteArray exportBytes(JournalExporter::What what, JournalExporter::Format format,
                           std::optional<qint64> since = {}, std::optional<qint64> until = {});
    QTemporaryDir m_dir;
    QString m_path;
};

void TestJournalExporter::initTestCase()
{
    m_path = m_dir.filePath(QStringLiteral("export.sqlite"));
    Journal journal;
    JournalConfig c;
    c.path = m_path;
    c.retentionDays = 0;
    QVERIFY(journal.open(c));
    for (const Event &e : succeededJob(1, T0, QStringLiteral("ok,1"))
             + failedJob(2, T0 + 10'000, QStringLiteral("bad\"2"), kNasty))
        journal.append(e);
    QVERIFY(journal.flush());
}

QByteArray TestJournalExporter::exportBytes(JournalExporter::What what, JournalExporter::Format format,
                                            std::optional<qint64> since, std::optional<qint64> until)
{
    JournalReader reader;
    if (!reader.open(m_path))
        return {};
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    JournalExporter::Options options;
    options.what = what;
    options.format = format;
    options.sinceMs = since;
    options.untilMs = until;
    const auto rows = JournalExporter::run(reader, options, buffer, &error);
    return rows ? buffer.data() : QByteArray();
}

void TestJournalExporter::csvRoundTrips_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("rows");
    QTest::newRow("events") << int(JournalExporter::What::Events) << 8;
    QTest::newRow("errors") << int(JournalExporter::What::Errors)
                            << 4; // 429 attempt, retry, 400 attempt, failed
    QTest::newRow("requests") << int(JournalExporter::What::Requests) << 2;
}

void TestJournalExporter::csvRoundTrips()
{
    QFETCH(int, what);
    QFETCH(int, rows);
    const auto w = JournalExporter::What(what);
    const QByteArray bytes = exportBytes(w, JournalExporter::Format::Csv);
    QVERIFY(bytes.endsWith("\r\n"));
    QList<QStringList> table;
    QVERIFY(parseCsv(QString::fromUtf8(bytes), table));
    QCOMPARE(table.size(), rows + 1);
    const QStringList header = JournalExporter::columns(w);
    QCOMPARE(table.first(), header);
    for (const QStringList &row : table)
        QCOMPARE(row.size(), header.size());
    const QString messageColumn
        = w == JournalExporter::What::Requests ? QStringLiteral("error_message") : QStringLiteral("message");
    const int msg = header.indexOf(messageColumn);
    bool found = false;
    for (const QStringList &row : table)
        found = found || row[msg] == kNasty;
    QVERIFY(found);
    const int time = header.indexOf(w == JournalExporter::What::Requests ? QStringLiteral("submitted")
                                                                         : QStringLiteral("time"));
    QCOMPARE(table[1][time], JournalExporter::isoTime(w == JournalExporter::What::Errors ? T0 + 100 : T0));
}

void TestJournalExporter::jsonlRoundTrips_data()
{
    csvRoundTrips_data();
}

void TestJournalExporter::jsonlRoundTrips()
{
    QFETCH(int, what);
    QFETCH(int, rows);
    const auto w = JournalExporter::What(what);
    const QByteArray bytes = exportBytes(w, JournalExporter::Format::Jsonl);
    const QList<QByteArray> lines = bytes.trimmed().split('\n');
    QCOMPARE(lines.size(), rows);
    QList<QJsonObject> objects;
    for (const QByteArray &line : lines) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        QVERIFY(doc.isObject());
        objects << doc.object();
    }
    QCOMPARE(objects.first().keys().size(), JournalExporter::columns(w).size());
    if (w == JournalExporter::What::Requests) {
        QCOMPARE(objects[0][QStringLiteral("custom_id")].toString(), QStringLiteral("ok,1"));
        QCOMPARE(objects[0][QStringLiteral("attempts")].toInt(), 2);
        QCOMPARE(objects[0][QStringLiteral("cost_usd")].toDouble(), 0.0012345);
        QVERIFY(objects[0][QStringLiteral("error_class")].isNull());
        QCOMPARE(objects[1][QStringLiteral("error_message")].toString(), kNasty);
        QCOMPARE(objects[1][QStringLiteral("http_status")].toInt(), 400);
    } else {
        QCOMPARE(objects.last()[QStringLiteral("message")].toString(), kNasty);
        QCOMPARE(objects.last()[QStringLiteral("error_class")].toString(), QStringLiteral("bad_request"));
        QCOMPARE(objects.last()[QStringLiteral("error_bucket")].toString(), QStringLiteral("4xx"));
    }
}

void TestJournalExporter::timeWindow()
{
    const QByteArray bytes
        = exportBytes(JournalExporter::What::Events, JournalExporter::Format::Jsonl, T0 + 1000, T0 + 10'055);
    QCOMPARE(bytes.trimmed().split('\n').size(), 4); // attempt 2, succeeded, submitted 2, the 400 attempt
}

void TestJournalExporter::csvField_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("abc");
    QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
    QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
    QTest::newRow("lf") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
    QTest::newRow("cr") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
    QTest::newRow("empty") << QString() << QString();
}

void TestJournalExporter::csvField()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(JournalExporter::csvField(in), out);
}

void TestJournalExporter::parseTime_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expected"); // -1: invalid
    const qint64 now = T0;
    QTest::newRow("1h") << QStringLiteral("1h") << now - 3'600'000;
    QTest::newRow("30m") << QStringLiteral("30m") << now - 1'800'000;
    QTest::newRow("90s") << QStringLiteral("90s") << now - 90'000;
    QTest::newRow("2d") << QStringLiteral("2d") << now - 2 * 86'400'000LL;
    QTest::newRow("iso minutes, UTC") << QStringLiteral("2026-11-20T10:00") << qint64(1'795'168'800'000);
    QTest::newRow("iso with Z and ms")
        << QStringLiteral("2026-11-20T10:00:00.250Z") << qint64(1'795'168'800'250);
    QTest::newRow("iso with offset") << QStringLiteral("2026-11-20T11:00:00+01:00")
                                     << qint64(1'795'168'800'000);
    QTest::newRow("date") << QStringLiteral("2026-11-20") << qint64(1'795'132'800'000);
    QTest::newRow("garbage") << QStringLiteral("yesterday") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-5m") << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
}

void TestJournalExporter::parseTime()
{
    QFETCH(QString, text);
    QFETCH(qint64, expected);
    QCOMPARE(JournalExporter::parseTime(text, T0).value_or(-1), expected);
}

void TestJournalExporter::isoTime()
{
    QCOMPARE(JournalExporter::isoTime(1'795'168'800'250), QStringLiteral("2026-11-20T10:00:00.250Z"));
}

QTEST_GUILESS_MAIN(TestJournalExporter)
#include "tst_journalexporter.moc"
