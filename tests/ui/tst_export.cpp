// Export… writes errors or all events as CSV or JSONL, and the file parses.
#include "sessionfixture.h"
#include "ui/demotraffic.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace gp;

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesParsableFile_data();
    void writesParsableFile();
};

void TestExport::writesParsableFile_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("format");
    using E = JournalExporter;
    QTest::newRow("errors csv") << int(E::What::Errors) << int(E::Format::Csv);
    QTest::newRow("errors jsonl") << int(E::What::Errors) << int(E::Format::Jsonl);
    QTest::newRow("events csv") << int(E::What::Events) << int(E::Format::Csv);
    QTest::newRow("events jsonl") << int(E::What::Events) << int(E::Format::Jsonl);
}

// Fields of one CSV record; quoted fields may hold commas and doubled quotes.
static QStringList csvFields(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted && c == u'"' && i + 1 < line.size() && line.at(i + 1) == u'"') {
            field += u'"';
            ++i;
        } else if (c == u'"') {
            quoted = !quoted;
        } else if (c == u',' && !quoted) {
            fields.append(field);
            field.clear();
        } else {
            field += c;
        }
    }
    fields.append(field);
    return fields;
}

void TestExport::writesParsableFile()
{
    QFETCH(int, what);
    QFETCH(int, format);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    QJsonArray faults;
    for (int i = 0; i < 3; ++i)
        faults.append(QJsonObject { { QStringLiteral("kind"), QStringLiteral("status") },
                                    { QStringLiteral("status"), 503 } });
    session->simulator()->enqueueFaults(faults);
    MainWindow window(session.get());
    window.demoTraffic()->setRate(20);
    window.demoTraffic()->start();
    QTRY_VERIFY_WITH_TIMEOUT(window.demoTraffic()->sent() >= 8, 5000);
    window.demoTraffic()->stop();

    JournalExporter::Options options;
    options.what = JournalExporter::What(what);
    options.format = JournalExporter::Format(format);
    const QString path = dir.filePath(QStringLiteral("export.out"));
    QString error;
    qint64 rows = 0;
    QTRY_VERIFY_WITH_TIMEOUT((rows = window.eventLog()->exportTo(path, options, {}, &error)) >= 3, 8000);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll())
                                  .split(QRegularExpression(QStringLiteral("\r?\n")), Qt::SkipEmptyParts);
    if (options.format == JournalExporter::Format::Jsonl) {
        QCOMPARE(lines.size(), rows);
        for (const QString &line : lines) {
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &parseError);
            QVERIFY2(doc.isObject(), qPrintable(parseError.errorString() + u' ' + line));
        }
    } else {
        QCOMPARE(lines.size(), rows + 1); // header row
        const int columns = int(csvFields(lines.first()).size());
        QVERIFY(columns >= 5);
        for (const QString &line : lines)
            QCOMPARE(int(csvFields(line).size()), columns);
    }
    QVERIFY(error.isEmpty());
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
