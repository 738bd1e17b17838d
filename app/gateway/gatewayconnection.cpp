#include "app/gateway/gatewayconnection.h"

#include "app/gateway/openaierror.h"

#include <QTimerEvent>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// "Expect: 100-continue" among the head's lines, any case, without copying the head.
bool asksToContinue(QByteArrayView buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end <= 0)
        return false;
    constexpr QByteArrayView needle = "\r\nexpect: 100-continue";
    const QByteArrayView head = buffer.first(end);
    const auto lower = [](char a, char b) { return (a >= 'A' && a <= 'Z' ? char(a - 'A' + 'a') : a) == b; };
    return std::search(head.begin(), head.end(), needle.begin(), needle.end(), lower) != head.end();
}

} // namespace

GatewayConnection::GatewayConnection(QTcpSocket *socket, const ConnectionLimits &limits, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_peer(socket->peerAddress().toString() + u':' + QString::number(socket->peerPort()))
{
    m_socket->setParent(this);
    m_parser.setMaxBodyBytes(qsizetype(m_limits.maxBodyBytes));
}

GatewayConnection::~GatewayConnection()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void GatewayConnection::start()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // answers and SSE chunks go out at once
    connect(m_socket, &QTcpSocket::readyRead, this, &GatewayConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &GatewayConnection::close);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError
            || m_socket->state() != QAbstractSocket::ConnectedState)
            close();
    });
    setPhase(Phase::Idle);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

void GatewayConnection::setPhase(Phase phase)
{
    m_phase = phase;
    const int ms = phase == Phase::Idle ? m_limits.idleTimeoutMs
        : phase == Phase::Head          ? m_limits.headerTimeoutMs
        : phase == Phase::Body          ? m_limits.bodyTimeoutMs
                                        : 0;
    if (ms > 0)
        m_timer.start(ms, this);
    else
        m_timer.stop();
}

void GatewayConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    if (m_phase == Phase::Idle) {
        close();
        return;
    }
    if (m_phase != Phase::Head && m_phase != Phase::Body)
        return;
    const QString what = m_phase == Phase::Head ? u"headers"_s : u"body"_s;
    const int ms = m_phase == Phase::Head ? m_limits.headerTimeoutMs : m_limits.bodyTimeoutMs;
    const OpenAiError error { 408, u"invalid_request_error"_s, u"request_timeout"_s,
                              u"the request %1 did not arrive within %2 ms"_s.arg(what).arg(ms) };
    refuse(408, {}, error.toJson());
}

void GatewayConnection::onReadyRead()
{
    if (!m_socket || m_closing)
        return;
    m_buffer += m_socket->readAll();
    if (m_phase == Phase::Busy) {
        // One request at a time: what follows waits, bounded.
        if (m_buffer.size() > sim::HttpRequestParser::kMaxHeaderBytes + m_limits.maxBodyBytes)
            close();
        return;
    }
    processBuffer();
}

void GatewayConnection::processBuffer()
{
    if (m_buffer.isEmpty() || m_closing)
        return;
    const bool expectsContinue = !m_parser.isReadingBody() && asksToContinue(m_buffer);
    const auto result = m_parser.parse(m_buffer);
    if (result == sim::HttpRequestParser::Result::Error) {
        const int status = m_parser.errorStatus();
        const OpenAiError error { status, u"invalid_request_error"_s,
                                  status == 413 ? u"request_too_large"_s : u"bad_http_request"_s,
                                  m_parser.errorMessage() };
        refuse(status, {}, error.toJson());
        return;
    }
    if (result == sim::HttpRequestParser::Result::NeedMore) {
        const Phase next = m_parser.isReadingBody() ? Phase::Body : Phase::Head;
        if (next != m_phase)
            setPhase(next);
        if (expectsContinue && m_parser.isReadingBody())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return;
    }
    const sim::HttpRequest request = m_parser.takeRequest();
    m_keepAlive = request.keepAlive;
    setPhase(Phase::Busy);
    Q_EMIT requestReady(this, request);
}

QByteArray GatewayConnection::reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 499: return "Client Closed Request";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status < 300 ? "OK" : "Error";
    }
}

QByteArray GatewayConnection::head(int status, const HeaderList &headers, const QByteArray &framing) const
{
    QByteArray text;
    text.reserve(512); // one allocation for a usual head
    text += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        text += name + ": " + value + "\r\n";
    text += framing;
    text += m_keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    return text;
}

void GatewayConnection::sendResponse(int status, const HeaderList &headers, const QByteArray &body)
{
    if (!m_socket || m_closing || m_streaming)
        return;
    // One write: head and body leave in one segment (no Nagle wait between them).
    QByteArray bytes = head(status, headers, "Content-Length: " + QByteArray::number(body.size()) + "\r\n");
    bytes += body;
    m_socket->write(bytes);
    afterResponse();
}

void GatewayConnection::refuse(int status, const HeaderList &headers, const QByteArray &body)
{
    m_keepAlive = false;
    m_streaming = false;
    HeaderList all = headers;
    all.append(std::pair<QByteArray, QByteArray>("Content-Type", "application/json"));
    sendResponse(status, all, body);
}

void GatewayConnection::beginStream(int status, const HeaderList &headers)
{
    if (!m_socket || m_closing || m_streaming)
        return;
    m_streaming = true;
    m_socket->write(head(status, headers, "Transfer-Encoding: chunked\r\n"));
}

void GatewayConnection::writeStream(const QByteArray &bytes)
{
    if (!m_socket || m_closing || !m_streaming || bytes.isEmpty())
        return;
    m_socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
    if (m_socket->bytesToWrite() > m_limits.maxUnsentBytes)
        cutStream(); // the client stopped reading: bounded, never an unbounded buffer
}

void GatewayConnection::endStream()
{
    if (!m_socket || m_closing || !m_streaming)
        return;
    m_socket->write("0\r\n\r\n");
    m_streaming = false;
    afterResponse();
}

void GatewayConnection::cutStream()
{
    if (!m_socket || m_closing)
        return;
    m_streaming = false;
    closeAfterFlush();
}

void GatewayConnection::afterResponse()
{
    if (!m_keepAlive) {
        closeAfterFlush();
        return;
    }
    setPhase(Phase::Idle);
    processBuffer(); // a request that arrived while we were busy
}

void GatewayConnection::closeAfterFlush()
{
    m_closing = true;
    m_timer.stop();
    if (!m_socket || m_socket->bytesToWrite() == 0) {
        close();
        return;
    }
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_socket && m_socket->bytesToWrite() == 0)
            close();
    });
    m_timer.start(5000, this); // a client that never reads the last bytes
    m_phase = Phase::Idle;
}

void GatewayConnection::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_closing = true;
    m_timer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    Q_EMIT closed(this);
}

} // namespace gp
