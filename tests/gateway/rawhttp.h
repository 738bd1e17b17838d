#pragma once

// Raw HTTP against the gateway for its in-process tests: what a client sends, byte for byte,
// and what came back, read while the event loop runs (gateway and simulator share the thread).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

namespace gp::test {

using namespace Qt::StringLiterals;

constexpr auto KeyEnv = "GP_TEST_GATEWAY_UPSTREAM_KEY";
inline const QByteArray UpstreamKey = "upstream-key-for-tst-gateway";

// What came back on one raw connection: everything until the server closed it or the
// response was complete.
struct RawReply
{
    QByteArray bytes;
    bool closedByServer = false;
    int status() const { return bytes.startsWith("HTTP/1.1 ") ? bytes.mid(9, 3).toInt() : 0; }
    QByteArray body() const { return bytes.mid(bytes.indexOf("\r\n\r\n") + 4); }
    QJsonObject json() const { return QJsonDocument::fromJson(body()).object(); }
    QByteArray header(const QByteArray &name) const
    {
        const QByteArray head = bytes.left(bytes.indexOf("\r\n\r\n")).toLower();
        const QByteArray needle = QByteArray("\r\n") + name.toLower() + ": ";
        const qsizetype at = head.indexOf(needle);
        if (at < 0)
            return {};
        const qsizetype start = at + name.size() + 4;
        return bytes.mid(start, head.indexOf("\r\n", start) - start);
    }
};

// Sends raw bytes and reads until the server closes (requests say Connection: close),
// running the event loop meanwhile: the gateway and the simulator live on this thread.
inline RawReply exchange(quint16 port, const QByteArray &request, int timeoutMs = 10000)
{
    QTcpSocket socket;
    RawReply reply;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { reply.bytes += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { reply.closedByServer = true; });
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] { socket.write(request); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return reply.closedByServer; }, timeoutMs))
        qWarning() << "the server did not close the connection within" << timeoutMs << "ms";
    reply.bytes += socket.readAll();
    return reply;
}

inline QByteArray post(const QByteArray &token, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
           "Content-Type: application/json\r\nAuthorization: Bearer "
        + token + "\r\n" + extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
        + body;
}

inline QByteArray chatBody(bool stream = false)
{
    return QJsonDocument(QJsonObject { { u"model"_s, u"grok-4"_s },
                                       { u"stream"_s, stream },
                                       { u"messages"_s,
                                         QJsonArray { QJsonObject { { u"role"_s, u"user"_s },
                                                                    { u"content"_s, u"hello"_s } } } } })
        .toJson(QJsonDocument::Compact);
}

inline QJsonObject quietScenario(int chunkIntervalMs = 0, int latencyMs = 0)
{
    return QJsonObject {
        { u"name"_s, u"gateway-quiet"_s },
        { u"headers"_s, u"none"_s },
        { u"limits"_s, QJsonObject { { u"requests_per_second"_s, 1000 }, { u"burst"_s, 1000 } } },
        { u"completion"_s, QJsonObject { { u"words"_s, 20 }, { u"chunk_interval_ms"_s, chunkIntervalMs } } },
        { u"latency"_s, QJsonObject { { u"distribution"_s, u"fixed"_s }, { u"ms"_s, latencyMs } } },
    };
}

} // namespace gp::test
