#include "core/telemetry/journalexporter.h"
#include "core/telemetry/journalreader.h"
#include "core/telemetry/telemetry.h"
#include "journaltestutil.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace gp;
using namespace gp::testutil;

namespace {

const QByteArray kSecret = "PLANTED-SECRET-123";
const QString kKey = QStringLiteral("xai-PLANTED-SECRET-123");
// A harmless marker written next to the key: proves the byte grep can see what was written.
const QByteArray kMarker = "VISIBLE-MARKER-42";

QList<Event> plantedStream(qint64 t0)
{
    QList<Event> events
        = failedJob(1, t0, kKey,
                    QStringLiteral("VISIBLE-MARKER-42: upstream echoed %1 with Authorization: Bearer %2")
                        .arg(kKey, kKey));
    Event quota = makeEvent(EventKind::QuotaUpdated, t0 + 5, 0, QStringLiteral("api_key=%1").arg(kKey));
    quota.requestId = kKey;
    quota.model = QStringLiteral("grok-4 ") + kKey;
    events << quota;
    Event warning
        = makeEvent(EventKind::Warning, t0 + 6, 0,
                    QStringLiteral("key sk-%1 leaked? VISIBLE-MARKER-42").arg(QLatin1String(kSecret)));
    events << warning;
    return events;
}

} // namespace

class TestSecretLeak : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plantedKeyAppearsNowhere();
};

void TestSecretLeak::plantedKeyAppearsNowhere()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("leak.sqlite"));
    Telemetry telemetry;
    JournalConfig config;
    config.path = path;
    QString error;
    QVERIFY2(telemetry.openJournal(config, &error), qPrintable(error));
    QVERIFY(telemetry.listenMetrics(0, &error));
    for (const Event &e : plantedStream(QDateTime::currentMSecsSinceEpoch()))
        telemetry.record(e);
    QVERIFY(telemetry.journal()->flush());

    // 1. Journal file bytes (main file, WAL and shared memory).
    QByteArray journalBytes;
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") }) {
        QFile f(path + suffix);
        if (f.open(QIODevice::ReadOnly))
            journalBytes += f.readAll();
    }
    QVERIFY(journalBytes.contains(kMarker));
    QVERIFY(!journalBytes.contains(kSecret));

    // 2. Every export.
    JournalReader reader;
    QVERIFY(reader.open(path));
    for (const auto what :
         { JournalExporter::What::Errors, JournalExporter::What::Requests, JournalExporter::What::Events }) {
        for (const auto format : { JournalExporter::Format::Csv, JournalExporter::Format::Jsonl }) {
            QBuffer buffer;
            buffer.open(QIODevice::WriteOnly);
            JournalExporter::Options options;
            options.what = what;
            options.format = format;
            QVERIFY(JournalExporter::run(reader, options, buffer));
            QVERIFY(!buffer.data().contains(kSecret));
            if (what != JournalExporter::What::Requests)
                QVERIFY(buffer.data().contains(kMarker));
        }
    }

    // 3. The Prometheus endpoint over TCP.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, telemetry.metricsPort());
    socket.write("GET /metrics HTTP/1.1\r\n\r\n");
    QByteArray metrics;
    QTRY_VERIFY_WITH_TIMEOUT(
        (metrics += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState), 5000);
    metrics += socket.readAll();
    QVERIFY(metrics.contains("grokpulse_errors_total"));
    QVERIFY(!metrics.contains(kSecret));
}

QTEST_GUILESS_MAIN(TestSecretLeak)
#include "tst_secretleak.moc"
