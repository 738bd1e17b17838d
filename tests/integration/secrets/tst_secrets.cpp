// End to end: a recognisable API key, right or wrong, must appear nowhere the key could
// leak: the simulator's answers, the client's outcomes and events, the journal file,
// its CSV/JSONL exports, the Prometheus output and the process's own log messages.
#include "core/client/client.h"
#include "core/client/credentialprovider.h"
#include "core/sim/simserver.h"
#include "core/telemetry/journalexporter.h"
#include "core/telemetry/journalreader.h"
#include "core/telemetry/telemetry.h"

#include <QBuffer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString PlantedKey = u"xai-PLANTED-SECRET-42"_s; // the right key
const QString WrongKey = u"xai-PLANTED-SECRET-42-but-wrong"_s;
const QByteArray Needle = "PLANTED-SECRET-42"; // in either key, so a partial echo counts too

QStringList g_logLines; // every qDebug/qWarning of the process, grepped at the end

void captureMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_logLines.append(message);
}

QString describe(const gp::Event &e)
{
    return QStringList { gp::eventKindName(e.kind), e.model, e.customId, e.requestId, e.message, e.alertId }
        .join(u'|');
}

QString describe(const gp::Outcome &o)
{
    return QStringList {
        gp::jobStatusName(o.status),       o.error.message,  o.error.serverCode, o.requestId, o.partialText,
        QString::fromUtf8(o.responseBody), o.response.text()
    }
        .join(u'|');
}

// Answers the client's request for a new key with another wrong one, then declines.
class WrongKeyProvider final : public gp::CredentialProvider
{
public:
    using gp::CredentialProvider::CredentialProvider;
    QStringList seen; // reason messages and key sources the client handed over
    void requestNewKey(const gp::Error &reason, const QString &currentSource) override
    {
        seen << reason.message << reason.serverCode << currentSource;
        if (seen.size() == 3)
            Q_EMIT keyProvided(WrongKey + u"-again"_s, u"prompt"_s);
        else
            Q_EMIT declined();
    }
};

} // namespace

class TestSecrets final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void simulatorNeverEchoesKey_data();
    void simulatorNeverEchoesKey();
    void keyAppearsNowhere();

private:
    gp::ClientConfig config(const QString &key) const;
    gp::Outcome run(gp::Client &client, const gp::ChatRequest &request, bool stream, const QString &customId);
    QByteArray journalBytes() const;
    QByteArray exports() const;
    QByteArray prometheus(quint16 port) const;

    QTemporaryDir m_dir;
    gp::sim::SimServer m_sim;
    QStringList m_seen; // every event and outcome, as text
};

void TestSecrets::initTestCase()
{
    qInstallMessageHandler(captureMessage);
    QString error;
    QVERIFY2(m_sim.loadScenario(u"steady"_s, &error), qPrintable(error));
    m_sim.setSeed(7);
    m_sim.setRequiredApiKey(PlantedKey);
    QVERIFY(m_sim.listen(0));
}

gp::ClientConfig TestSecrets::config(const QString &key) const
{
    gp::ClientConfig c;
    c.baseUrl = m_sim.baseUrl();
    c.apiKey = key;
    c.apiKeySource = u"XAI_API_KEY"_s;
    c.retry.baseMs = 2;
    c.retry.capMs = 10;
    c.retry.budgetMinPerSecond = 1000;
    c.timeouts.firstByteMs = 3000;
    c.timeouts.idleMs = 3000;
    c.breaker.consecutiveFailures = 1000;
    c.breaker.minSamples = 1000;
    c.randomSeed = 3;
    return c;
}

void TestSecrets::simulatorNeverEchoesKey_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("body");
    const QByteArray wrong = "Bearer " + WrongKey.toUtf8();
    const QByteArray chat = R"({"model":"grok-4","messages":[{"role":"user","content":"hi"}]})";
    QTest::newRow("chat, wrong key") << "POST"_ba << u"/chat/completions"_s << wrong << chat;
    QTest::newRow("chat, key without Bearer")
        << "POST"_ba << u"/chat/completions"_s << WrongKey.toUtf8() << chat;
    QTest::newRow("chat, malformed body") << "POST"_ba << u"/chat/completions"_s << wrong << "{"_ba;
    QTest::newRow("models, wrong key") << "GET"_ba << u"/models"_s << wrong << QByteArray();
    QTest::newRow("tokenize, wrong key") << "POST"_ba << u"/tokenize-text"_s << wrong << "{}"_ba;
    QTest::newRow("unknown path") << "POST"_ba << u"/nowhere"_s << wrong << chat;
}

// The simulator's answer (status line, headers, body) to a request carrying a wrong key.
void TestSecrets::simulatorNeverEchoesKey()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, body);
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(m_sim.baseUrl().toString() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("Authorization", authorization);
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QVERIFY2(status >= 400, qPrintable(QString::number(status)));
    QByteArray answer = reply->readAll();
    QVERIFY(!answer.isEmpty());
    for (const auto &[name, value] : reply->rawHeaderPairs())
        answer += '\n' + name + ": " + value;
    QVERIFY2(!answer.contains(Needle), answer.constData());
    reply->deleteLater();
}

gp::Outcome TestSecrets::run(gp::Client &client, const gp::ChatRequest &request, bool stream,
                             const QString &customId)
{
    gp::RequestOptions options;
    options.stream = stream;
    options.customId = customId;
    gp::RequestJob *job = client.submit(request, options);
    job->setAutoDelete(false); // read below, then deleted with the client
    if (!job->isFinished()) {
        QSignalSpy spy(job, &gp::RequestJob::finished);
        if (!spy.wait(10000))
            qFatal("job %s did not finish", qPrintable(customId));
    }
    m_seen << describe(job->outcome());
    return job->outcome();
}

QByteArray TestSecrets::journalBytes() const
{
    QByteArray bytes;
    for (const QString &suffix : { QString(), u"-wal"_s, u"-shm"_s }) {
        QFile file(m_dir.filePath(u"journal.sqlite"_s) + suffix);
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

QByteArray TestSecrets::exports() const
{
    gp::JournalReader reader;
    if (!reader.open(m_dir.filePath(u"journal.sqlite"_s)))
        return {};
    QByteArray all;
    using E = gp::JournalExporter;
    for (const E::What what : { E::What::Errors, E::What::Requests, E::What::Events }) {
        for (const E::Format format : { E::Format::Csv, E::Format::Jsonl }) {
            QBuffer buffer;
            buffer.open(QIODevice::WriteOnly);
            if (!E::run(reader, { what, format, {}, {} }, buffer))
                return {};
            all += buffer.data();
        }
    }
    return all;
}

QByteArray TestSecrets::prometheus(quint16 port) const
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QByteArray bytes;
    const bool closed = QTest::qWaitFor(
        [&] {
            bytes += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        5000);
    if (!closed)
        qWarning("the metrics endpoint did not close the connection");
    return bytes + socket.readAll();
}

void TestSecrets::keyAppearsNowhere()
{
    gp::Telemetry telemetry;
    QString error;
    gp::JournalConfig journal;
    journal.path = m_dir.filePath(u"journal.sqlite"_s);
    QVERIFY2(telemetry.openJournal(journal, &error), qPrintable(error));
    QVERIFY2(telemetry.listenMetrics(0, &error), qPrintable(error));
    gp::ChatRequest request;
    request.model = u"grok-4"_s;
    request.messages = { gp::ChatMessage { u"user"_s, u"Say hello."_s } };
    request.maxCompletionTokens = 32;

    { // A wrong key: 401s, a new (still wrong) key from the provider, then a decline.
        gp::Client client(config(WrongKey));
        telemetry.attach(&client);
        connect(&client, &gp::Client::eventEmitted, this,
                [this](const gp::Event &e) { m_seen << describe(e); });
        WrongKeyProvider provider;
        client.setCredentialProvider(&provider);
        for (const bool stream : { false, true }) {
            const gp::Outcome outcome = run(client, request, stream, u"wrong-key"_s);
            QCOMPARE(outcome.status, gp::JobStatus::Failed);
            QVERIFY2(outcome.error.message.contains(u"XAI_API_KEY"_s)
                         || outcome.error.message.contains(u"key"_s),
                     qPrintable(outcome.error.message));
        }
        m_seen << provider.seen;
        QVERIFY(!provider.seen.isEmpty());
    }
    { // The right key, through successes and faults that produce retries and error events.
        gp::Client client(config(PlantedKey));
        telemetry.attach(&client);
        connect(&client, &gp::Client::eventEmitted, this,
                [this](const gp::Event &e) { m_seen << describe(e); });
        const QStringList faults { u"rate_limit"_s,         u"status"_s,       u"malformed_json"_s,
                                   u"stream_error_event"_s, u"unauthorized"_s, u"credits_exhausted"_s };
        int succeeded = 0;
        for (const QString &fault : faults) {
            m_sim.enqueueFaults(QJsonArray { QJsonObject { { u"kind"_s, fault } } });
            for (const bool stream : { false, true })
                succeeded += run(client, request, stream, u"fault-"_s + fault).isSuccess() ? 1 : 0;
        }
        QVERIFY(succeeded > 0);
    }
    QVERIFY(telemetry.journal()->flush());

    const QByteArray seen = m_seen.join(u'\n').toUtf8();
    QVERIFY(seen.contains("XAI_API_KEY") || seen.contains("API key")); // the grep sees real text
    QVERIFY2(!seen.contains(Needle), seen.constData());
    const QByteArray file = journalBytes();
    QVERIFY(file.contains("wrong-key")); // the custom id: proof the journal holds these jobs
    QVERIFY(!file.contains(Needle));
    const QByteArray exported = exports();
    QVERIFY(exported.contains("wrong-key"));
    QVERIFY2(!exported.contains(Needle), exported.constData());
    const QByteArray metrics = prometheus(telemetry.metricsPort());
    QVERIFY(metrics.contains("grokpulse_"));
    QVERIFY2(!metrics.contains(Needle), metrics.constData());
    const QByteArray log = g_logLines.join(u'\n').toUtf8();
    QVERIFY2(!log.contains(Needle), log.constData());
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
