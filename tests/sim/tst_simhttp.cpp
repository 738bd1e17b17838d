// The HTTP/1.1 layer over raw sockets: keep-alive, pipelining, limits, garbage,
// chunked SSE framing, and the byte-level faults (RST, FIN mid-stream, short bodies).
#include "core/sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace gp::sim;

class TestSimHttp final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void badRequests_data();
    void badRequests();
    void pipelinedKeepAlive();
    void connectionClose_data();
    void connectionClose();
    void chunkedStreamFraming();
    void resetIsARealRst();
    void cutStreamHasNoLastChunk();
    void truncatedBodyIsShort();

private:
    // Sends raw bytes and collects everything until the peer closes (or timeoutMs).
    QByteArray exchangeUntilClosed(const QByteArray &bytes, QAbstractSocket::SocketError *error = nullptr,
                                   int timeoutMs = 3000);
    static QByteArray chatRequest(bool stream, const QByteArray &extraHeaders = QByteArray());

    SimServer m_server;
};

void TestSimHttp::initTestCase()
{
    QString error;
    QVERIFY2(
        m_server.setScenarioJson(
            QJsonDocument::fromJson(R"({"completion":{"words":6,"chunk_interval_ms":0}})").object(), &error),
        qPrintable(error));
    QVERIFY(m_server.listen());
}

void TestSimHttp::init()
{
    m_server.resetStats();
}

QByteArray TestSimHttp::chatRequest(bool stream, const QByteArray &extraHeaders)
{
    const QByteArray body = stream
        ? QByteArray(R"({"model":"grok-4","stream":true,"messages":[{"role":"user","content":"hi"}]})")
        : QByteArray(R"({"model":"grok-4","messages":[{"role":"user","content":"hi"}]})");
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"
           "Content-Type: application/json\r\n"
        + extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray TestSimHttp::exchangeUntilClosed(const QByteArray &bytes, QAbstractSocket::SocketError *error,
                                            int timeoutMs)
{
    QTcpSocket socket;
    QByteArray received;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_server.port());
    if (!socket.waitForConnected(2000))
        return QByteArray("connect failed");
    socket.write(bytes);
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    closed.wait(timeoutMs);
    received += socket.readAll();
    if (error)
        *error = socket.error();
    return received;
}

void TestSimHttp::badRequests_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::newRow("garbage") << QByteArray("\x01\x02 hello\r\n\r\n") << QByteArray("HTTP/1.1 400");
    QTest::newRow("no version") << QByteArray("GET /v1/models\r\n\r\n") << QByteArray("HTTP/1.1 400");
    QTest::newRow("bad header") << QByteArray("GET /v1/models HTTP/1.1\r\nno colon here\r\n\r\n")
                                << QByteArray("HTTP/1.1 400");
    QTest::newRow("bad length") << QByteArray(
        "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: x1\r\n\r\n")
                                << QByteArray("HTTP/1.1 400");
    QTest::newRow("huge headers") << ("GET / HTTP/1.1\r\nX-Big: " + QByteArray(20000, 'a') + "\r\n\r\n")
                                  << QByteArray("HTTP/1.1 431");
    QTest::newRow("huge body") << QByteArray(
        "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n")
                               << QByteArray("HTTP/1.1 413");
    QTest::newRow("chunked request") << QByteArray("POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: "
                                                   "chunked\r\n\r\n0\r\n\r\n")
                                     << QByteArray("HTTP/1.1 501");
}

void TestSimHttp::badRequests()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, statusLine);
    const QByteArray response = exchangeUntilClosed(bytes);
    QVERIFY2(response.startsWith(statusLine), response.left(80).constData());
    QVERIFY(response.contains("Connection: close"));
    QVERIFY(response.contains("\"code\":"));
    QVERIFY(response.contains("x-request-id: sim-malformed-"));
}

void TestSimHttp::pipelinedKeepAlive()
{
    QTcpSocket socket;
    QByteArray received;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_server.port());
    QVERIFY(socket.waitForConnected(2000));
    // Two requests in one write, then a third on the same connection after the answers.
    socket.write(chatRequest(false) + "GET /v1/models HTTP/1.1\r\nAuthorization: Bearer k\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(received.count("HTTP/1.1 200 OK"), 2, 3000);
    QVERIFY(received.indexOf("chat.completion") < received.indexOf("\"object\":\"list\""));
    socket.write("GET /sim/stats HTTP/1.1\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(received.count("HTTP/1.1 200 OK"), 3, 3000);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_server.stats().value(u"http_requests").toInt(), 3);
}

void TestSimHttp::connectionClose_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("Connection: close") << QByteArray("GET /v1/models HTTP/1.1\r\nAuthorization: Bearer k\r\n"
                                                     "Connection: close\r\n\r\n");
    QTest::newRow("HTTP/1.0") << QByteArray("GET /v1/models HTTP/1.0\r\nAuthorization: Bearer k\r\n\r\n");
}

void TestSimHttp::connectionClose()
{
    QFETCH(QByteArray, request);
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    const QByteArray response = exchangeUntilClosed(request, &error);
    QVERIFY(response.startsWith("HTTP/1.1 200 OK"));
    QVERIFY(response.contains("Connection: close"));
    QCOMPARE(error, QAbstractSocket::RemoteHostClosedError); // the server closed it
}

void TestSimHttp::chunkedStreamFraming()
{
    const QByteArray response = exchangeUntilClosed(chatRequest(true, "Connection: close\r\n"));
    QVERIFY(response.startsWith("HTTP/1.1 200 OK"));
    QVERIFY(response.contains("Transfer-Encoding: chunked"));
    QVERIFY(!response.contains("Content-Length"));
    // Walk the chunks: each size line must match its data exactly; the last is 0.
    qsizetype at = response.indexOf("\r\n\r\n") + 4;
    QByteArray payload;
    for (;;) {
        const qsizetype lineEnd = response.indexOf("\r\n", at);
        QVERIFY(lineEnd > at);
        bool ok = false;
        const qsizetype size = response.mid(at, lineEnd - at).toLongLong(&ok, 16);
        QVERIFY(ok);
        if (size == 0) {
            QCOMPARE(response.mid(lineEnd), QByteArray("\r\n\r\n"));
            break;
        }
        payload += response.mid(lineEnd + 2, size);
        QCOMPARE(response.mid(lineEnd + 2 + size, 2), QByteArray("\r\n"));
        at = lineEnd + 2 + size + 2;
    }
    QVERIFY(payload.startsWith("data: {"));
    QVERIFY(payload.endsWith("data: [DONE]\n\n"));
}

void TestSimHttp::resetIsARealRst()
{
    m_server.enqueueFaults(
        QJsonArray { QJsonObject { { QStringLiteral("kind"), QStringLiteral("reset_before_headers") } } });
    // A plain POSIX socket: Qt reports FIN and RST alike, recv() tells ECONNRESET apart.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_server.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)), 0);
    const QByteArray request = chatRequest(false);
    QCOMPARE(::send(fd, request.constData(), size_t(request.size()), 0), ssize_t(request.size()));
    ssize_t result = 0;
    int savedErrno = 0;
    bool done = false;
    const auto poll = [&] {
        if (!done) {
            char buffer[256];
            result = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
            savedErrno = errno;
            done = !(result < 0 && (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK));
        }
        return done;
    };
    QTRY_VERIFY_WITH_TIMEOUT(poll(), 3000); // the server runs on this thread's event loop
    ::close(fd);
    QCOMPARE(result, ssize_t(-1));
    QCOMPARE(savedErrno, ECONNRESET);
    QCOMPARE(m_server.stats().value(u"faults").toObject().value(u"reset_before_headers").toInt(), 1);
}

void TestSimHttp::cutStreamHasNoLastChunk()
{
    m_server.enqueueFaults(
        QJsonArray { QJsonObject { { QStringLiteral("kind"), QStringLiteral("cut_mid_stream") },
                                   { QStringLiteral("after_chunks"), 2 } } });
    const QByteArray response = exchangeUntilClosed(chatRequest(true));
    QVERIFY(response.startsWith("HTTP/1.1 200 OK"));
    QCOMPARE(response.count("data: {"), 2);
    QVERIFY(!response.contains("[DONE]"));
    QVERIFY(!response.endsWith("0\r\n\r\n"));
}

void TestSimHttp::truncatedBodyIsShort()
{
    m_server.enqueueFaults(
        QJsonArray { QJsonObject { { QStringLiteral("kind"), QStringLiteral("truncated_body") } } });
    const QByteArray response = exchangeUntilClosed(chatRequest(false));
    const qsizetype headEnd = response.indexOf("\r\n\r\n");
    QVERIFY(headEnd > 0);
    const qsizetype lengthAt = response.indexOf("Content-Length: ") + 16;
    const qsizetype promised
        = response.mid(lengthAt, response.indexOf("\r\n", lengthAt) - lengthAt).toLongLong();
    const qsizetype got = response.size() - headEnd - 4;
    QVERIFY(promised > 0);
    QCOMPARE(got, promised / 2);
}

QTEST_GUILESS_MAIN(TestSimHttp)
#include "tst_simhttp.moc"
