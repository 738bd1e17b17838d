#pragma once

// A tiny upstream on loopback for the gateway's tests: it records every request body exactly
// as it arrived on the socket and answers with a fixed chat completion, chat stream or
// Responses object. Nothing of GrokPulse is in it, so what it records is what went on the wire.
#include <QHash>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

namespace gp::test {

class RecordingUpstream final : public QObject
{
public:
    struct Request
    {
        QByteArray path;
        QByteArray body;
    };

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.serverPort()); }
    const QList<Request> &requests() const { return m_requests; }

    RecordingUpstream()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        const QByteArray head = buffer.left(headEnd).toLower();
        const qsizetype at = head.indexOf("\r\ncontent-length:");
        const qsizetype length
            = at < 0 ? 0 : head.mid(at + 17, head.indexOf("\r\n", at + 2) - at - 17).trimmed().toLongLong();
        if (buffer.size() < headEnd + 4 + length)
            return;
        Request request;
        request.path = buffer.left(buffer.indexOf(' ', 5)).mid(buffer.indexOf(' ') + 1);
        request.body = buffer.mid(headEnd + 4, length);
        buffer.remove(0, headEnd + 4 + length);
        m_requests.append(request);
        answer(socket, request);
    }

    static void answer(QTcpSocket *socket, const Request &request)
    {
        QByteArray type = "application/json";
        QByteArray body;
        if (request.path.endsWith("/responses")) {
            body
                = R"({"id":"resp_1","object":"response","status":"completed","model":"grok-4-0709",)"
                  R"("output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"hi"}]}],)"
                  R"("usage":{"input_tokens":5,"output_tokens":1,"total_tokens":6}})";
        } else if (request.body.contains("\"stream\": true") || request.body.contains("\"stream\":true")) {
            type = "text/event-stream";
            body
                = R"(data: {"id":"c1","object":"chat.completion.chunk","model":"grok-4-0709","choices":[{"index":0,"delta":{"role":"assistant","content":"hi"}}]})"
                  "\n\n"
                  R"(data: {"id":"c1","object":"chat.completion.chunk","model":"grok-4-0709","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}})"
                  "\n\ndata: [DONE]\n\n";
        } else {
            body = R"({"id":"c1","object":"chat.completion","model":"grok-4-0709","choices":[{"index":0,)"
                   R"("message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],)"
                   R"("usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}})";
        }
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
};

} // namespace gp::test
