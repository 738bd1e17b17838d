// `grokpulse batch` against servers that do not help: a dead one (ends in bounded time,
// says why), one that takes any short key (the output stays valid JSON), one that
// answers 413 (final, said clearly), and input ids that look like made-up ones.
#include "tests/app/batchtestsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace batchtest;

class TestBatchServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void deadServerEndsInBoundedTime_data();
    void deadServerEndsInBoundedTime();
    void shortKeyKeepsOutputValid_data();
    void shortKeyKeepsOutputValid();
    void madeUpIdsNeverCollide();
    void requestTooLargeIsFinal();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path(const QString &name) const { return m_dir->filePath(name); }
};

void TestBatchServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestBatchServer::deadServerEndsInBoundedTime_data()
{
    QTest::addColumn<int>("lines");
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("boundMs");
    QTest::newRow("40 lines, give up after 2 s") << 40 << QStringList { u"--give-up-after=2"_s } << 15000;
    QTest::newRow("40 lines, defaults") << 40 << QStringList() << 60000;
    QTest::newRow("2000 lines, defaults") << 2000 << QStringList() << 120000;
}

// Connection refused on every attempt: the breaker opens, nothing succeeds, the run
// gives up (exit 5) with every line written and the reason named, in bounded time.
void TestBatchServer::deadServerEndsInBoundedTime()
{
    QFETCH(int, lines);
    QFETCH(QStringList, extra);
    QFETCH(int, boundMs);
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    const QStringList ids = writeInput(path(u"in.jsonl"_s), lines, u"dead"_s);
    QElapsedTimer clock;
    clock.start();
    const Run run = runBatch(QStringList { u"--base-url"_s, u"http://127.0.0.1:%1/v1"_s.arg(port),
                                           u"--input"_s, path(u"in.jsonl"_s), u"--output"_s,
                                           path(u"out.jsonl"_s), u"--summary"_s, path(u"s.json"_s) }
                                 + extra,
                             environment(u"test-key-12345"_s), boundMs);
    const qint64 wallMs = clock.elapsed();
    qInfo("%d lines against a closed port: %lld ms", lines, wallMs);
    QVERIFY2(run.exitCode != -1, qPrintable(u"still running after %1 ms"_s.arg(boundMs)));
    QVERIFY2(run.exitCode == 5, run.err.constData());
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.contains(u"gave up"_s) && err.contains(u"network"_s), run.err.constData());
    if (wallMs > 6000) // the plain progress line comes every 5 s: it names the breaker and the error
        QVERIFY2(err.contains(u"breaker open"_s) && err.contains(u"last error network"_s),
                 run.err.constData());
    const QList<QJsonObject> output = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(idsOf(output), sorted(ids));
    for (const QJsonObject &line : output) {
        QCOMPARE(line.value("status"_L1).toString(), u"failed"_s);
        const QJsonObject error = line.value("error"_L1).toObject();
        const QString errorClass = error.value("class"_L1).toString();
        QVERIFY2(errorClass == "circuit_open"_L1 || errorClass == "network"_L1, qPrintable(errorClass));
        const QString message = error.value("message"_L1).toString();
        QVERIFY2(message.contains(u"connection refused"_s, Qt::CaseInsensitive), qPrintable(message));
        if (line.value("attempts"_L1).toInt() > 0)
            QVERIFY2(!message.startsWith("not sent"_L1), qPrintable(message));
    }
    QFile summaryFile(path(u"s.json"_s));
    QVERIFY(summaryFile.open(QIODevice::ReadOnly));
    const QJsonObject summary = QJsonDocument::fromJson(summaryFile.readAll()).object();
    QVERIFY(summary.value("latency_ms"_L1).toObject().value("p50"_L1).isNull()); // nothing succeeded
    const int attempts = summary.value("attempts"_L1).toInt();
    QVERIFY(attempts > 0);
    QVERIFY2(summary.value("retries"_L1).toInt() < attempts, qPrintable(QString::number(attempts)));
}

void TestBatchServer::shortKeyKeepsOutputValid_data()
{
    QTest::addColumn<QString>("key");
    QTest::newRow("1") << u"1"_s;
    QTest::newRow("x") << u"x"_s;
    QTest::newRow("7 characters") << u"attempt"_s;
}

void TestBatchServer::shortKeyKeepsOutputValid()
{
    QFETCH(QString, key);
    QProcess sim;
    const QString baseUrl = startSim(&sim, { u"--scenario=steady"_s }, environment());
    QVERIFY(!baseUrl.isEmpty());
    const QStringList ids = writeInput(path(u"in.jsonl"_s), 5, u"p"_s);
    const Run run = runBatch({ u"--base-url"_s, baseUrl, u"--input"_s, path(u"in.jsonl"_s), u"--output"_s,
                               path(u"out.jsonl"_s), u"--summary"_s, path(u"s.json"_s) },
                             environment(key));
    stopProcess(&sim);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    for (const QJsonObject &line : lines)
        QVERIFY2(!line.contains("torn"_L1), qPrintable(line.value("torn"_L1).toString())); // valid JSON
    QCOMPARE(idsOf(lines), sorted(ids)); // ids intact, not "p[redacted]"
    for (const QJsonObject &line : lines) {
        QCOMPARE(line.value("attempts"_L1).toInt(), 1);
        QVERIFY(line.value("response"_L1).toObject().value("body"_L1).toObject().contains("choices"_L1));
    }
    QFile summary(path(u"s.json"_s));
    QVERIFY(summary.open(QIODevice::ReadOnly));
    QVERIFY(QJsonDocument::fromJson(summary.readAll()).isObject());
    QCOMPARE(run.err.count("shorter than 8 characters"), 1); // said once, instead
}

// A real id that reads like a made-up one, and a line that has no id at all.
void TestBatchServer::madeUpIdsNeverCollide()
{
    QFile file(path(u"in.jsonl"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"id\":\"line-2\",\"prompt\":\"a\"}\nnot json\n{\"id\":\"line-1\",\"prompt\":\"b\"}\n"
               "{\"prompt\":\"no id\"}\n");
    file.close();
    const Run run = runBatch({ u"--simulate=steady"_s, u"--input"_s, path(u"in.jsonl"_s), u"--output"_s,
                               path(u"out.jsonl"_s), u"--quiet"_s },
                             environment());
    QCOMPARE(run.exitCode, 1);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(lines.size(), 4);
    QStringList realIds;
    QList<int> withoutId;
    for (const QJsonObject &line : lines) {
        if (line.value("custom_id"_L1).isNull())
            withoutId << line.value("line"_L1).toInt();
        else
            realIds << line.value("custom_id"_L1).toString();
    }
    QCOMPARE(sorted(realIds), (QStringList { u"line-1"_s, u"line-2"_s })); // each exactly once
    std::sort(withoutId.begin(), withoutId.end());
    QCOMPARE(withoutId, (QList<int> { 2, 4 }));
}

// 413 is final: one attempt, class request_too_large, the status in the message.
void TestBatchServer::requestTooLargeIsFinal()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    int requests = 0;
    connect(&server, &QTcpServer::newConnection, this, [&server, &requests] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [socket, &requests] {
                const QByteArray request = socket->readAll();
                if (!request.contains("\r\n\r\n"))
                    return;
                ++requests;
                const QByteArray body
                    = R"({"error":{"message":"Request body too large","type":"invalid_request_error"}})";
                socket->write(
                    "HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nContent-Length: "
                    + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    writeInput(path(u"in.jsonl"_s), 1, u"big"_s);
    QProcess batch;
    startBatch(&batch,
               { u"--base-url"_s, u"http://127.0.0.1:%1/v1"_s.arg(server.serverPort()), u"--input"_s,
                 path(u"in.jsonl"_s), u"--output"_s, path(u"out.jsonl"_s), u"--quiet"_s },
               environment(u"test-key-12345"_s));
    QVERIFY(batch.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(batch.state() == QProcess::NotRunning, 20000); // the loop serves the socket
    QCOMPARE(batch.exitCode(), 1);
    QCOMPARE(requests, 1);
    const QList<QJsonObject> lines = readOutput(path(u"out.jsonl"_s));
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.first().value("attempts"_L1).toInt(), 1);
    const QJsonObject error = lines.first().value("error"_L1).toObject();
    QCOMPARE(error.value("class"_L1).toString(), u"request_too_large"_s);
    QCOMPARE(error.value("status_code"_L1).toInt(), 413);
    QVERIFY2(error.value("message"_L1).toString().contains(u"413"_s),
             qPrintable(error.value("message"_L1).toString()));
}

QTEST_GUILESS_MAIN(TestBatchServer)
#include "tst_batchserver.moc"
