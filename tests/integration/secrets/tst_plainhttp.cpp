// The key never travels over plain http to a non-loopback host, from any HTTP path of core:
// chat requests and the model list. Every request of this process goes through a proxy that
// listens on loopback (Qt's application proxy), so a request to a remote-looking host reaches
// nothing but that catcher, and the catcher tells whether anything was sent. The rows that
// allow insecure http are the control: they prove the catcher does see such requests.
#include "core/client/client.h"
#include "core/client/modellistjob.h"
#include "core/sim/simserver.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString PlantedKey = u"xai-PLANTED-PLAINHTTP-77"_s;
const QUrl RemoteHttp(u"http://api.grokpulse-remote.example/v1"_s);

// A loopback HTTP proxy that answers every request with a one-model list and records bytes.
class ProxyCatcher final : public QObject
{
public:
    ProxyCatcher()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++connections;
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    received += socket->readAll();
                    if (!received.contains("\r\n\r\n"))
                        return;
                    const QByteArray body = R"({"data":[{"id":"caught-model"}]})";
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                  + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }

    int connections = 0;
    QByteArray received;

private:
    QTcpServer m_server;
};

struct ListResult
{
    QStringList models;
    gp::Error error;
};

ListResult listModels(QNetworkAccessManager *network, const QUrl &base, const QString &key, bool insecure)
{
    gp::ModelListJob::Target target;
    target.baseUrl = base;
    target.apiKey = key;
    target.allowInsecureHttp = insecure;
    target.timeoutMs = 5000;
    QObject owner;
    ListResult result;
    bool done = false;
    auto *job = gp::ModelListJob::start(network, target, &owner);
    QObject::connect(job, &gp::ModelListJob::finished, &owner,
                     [&](const QStringList &models, const gp::Error &error) {
                         result = { models, error };
                         done = true;
                     });
    // Never inside start(): the refusal, too, arrives on the event loop.
    if (done)
        result.error = { gp::ErrorClass::Internal, 0, {}, u"finished inside start()"_s };
    if (!QTest::qWaitFor([&done] { return done; }, 10000))
        result.error = { gp::ErrorClass::Internal, 0, {}, u"no finished() within 10 s"_s };
    return result;
}

} // namespace

class TestPlainHttp final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void modelListRefusedBeforeSending_data();
    void modelListRefusedBeforeSending();
    void chatRefusedBeforeSending_data();
    void chatRefusedBeforeSending();
    void modelListFromSimulator();
    void modelListWrongKeyNamesNoKey();

private:
    std::unique_ptr<ProxyCatcher> m_catcher;
};

void TestPlainHttp::init()
{
    m_catcher = std::make_unique<ProxyCatcher>();
    QVERIFY(m_catcher->listen());
    QNetworkProxy::setApplicationProxy(
        QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, m_catcher->port()));
}

void TestPlainHttp::cleanup()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    m_catcher.reset();
}

void TestPlainHttp::modelListRefusedBeforeSending_data()
{
    QTest::addColumn<bool>("allowInsecure");
    QTest::newRow("refused by default") << false;
    QTest::newRow("control: allowed, the catcher sees it") << true;
}

void TestPlainHttp::modelListRefusedBeforeSending()
{
    QFETCH(bool, allowInsecure);
    QNetworkAccessManager network;
    const ListResult r = listModels(&network, RemoteHttp, PlantedKey, allowInsecure);
    if (allowInsecure) {
        QVERIFY2(!r.error.isError(), qPrintable(r.error.message));
        QCOMPARE(r.models, QStringList { u"caught-model"_s });
        QVERIFY(m_catcher->received.contains(QByteArray("Authorization: Bearer " + PlantedKey.toUtf8())));
        return;
    }
    QCOMPARE(r.error.errorClass, gp::ErrorClass::Tls);
    QVERIFY2(r.error.message.contains(u"api.grokpulse-remote.example"_s), qPrintable(r.error.message));
    QVERIFY(!r.error.message.contains(PlantedKey));
    QCOMPARE(m_catcher->connections, 0);
    QVERIFY(m_catcher->received.isEmpty());
}

void TestPlainHttp::chatRefusedBeforeSending_data()
{
    modelListRefusedBeforeSending_data();
}

void TestPlainHttp::chatRefusedBeforeSending()
{
    QFETCH(bool, allowInsecure);
    gp::ClientConfig config;
    config.baseUrl = RemoteHttp;
    config.apiKey = PlantedKey;
    config.allowInsecureHttp = allowInsecure;
    config.retry.maxAttempts = 1;
    gp::Client client(config);
    gp::ChatRequest request;
    request.messages.append({ u"user"_s, u"hello"_s });
    // Never inside submit(): a spy connected right after it sees the end however it comes.
    QSignalSpy finished(client.submit(request), &gp::RequestJob::finished);
    if (allowInsecure) {
        QTRY_VERIFY_WITH_TIMEOUT(m_catcher->received.contains("\r\n\r\n"), 10000);
        QVERIFY(m_catcher->received.contains(QByteArray("Authorization: Bearer " + PlantedKey.toUtf8())));
        client.cancelAll();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    const gp::Outcome outcome = finished.first().first().value<gp::Outcome>();
    QCOMPARE(outcome.error.errorClass, gp::ErrorClass::Tls);
    QVERIFY(!outcome.error.message.contains(PlantedKey));
    QCOMPARE(m_catcher->connections, 0);
    QVERIFY(m_catcher->received.isEmpty());
}

void TestPlainHttp::modelListFromSimulator()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy); // the simulator is loopback, no proxy
    gp::sim::SimServer sim;
    QVERIFY(sim.listen());
    QNetworkAccessManager network;
    const ListResult r = listModels(&network, sim.baseUrl(), PlantedKey, false);
    QVERIFY2(!r.error.isError(), qPrintable(r.error.message));
    QVERIFY2(r.models.contains(u"grok-4-0709"_s), qPrintable(r.models.join(u',')));
}

void TestPlainHttp::modelListWrongKeyNamesNoKey()
{
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    gp::sim::SimServer sim;
    sim.setRequiredApiKey(u"xai-the-right-one"_s);
    QVERIFY(sim.listen());
    QNetworkAccessManager network;
    const ListResult r = listModels(&network, sim.baseUrl(), PlantedKey, false);
    QCOMPARE(r.error.errorClass, gp::ErrorClass::Authentication);
    QCOMPARE(r.error.httpStatus, 401);
    QVERIFY2(!r.error.message.contains(PlantedKey), qPrintable(r.error.message));
    QVERIFY(r.models.isEmpty());
}

QTEST_GUILESS_MAIN(TestPlainHttp)
#include "tst_plainhttp.moc"
