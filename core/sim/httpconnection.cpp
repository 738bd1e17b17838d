#include "core/sim/httpconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <atomic>

#include <sys/socket.h>

namespace gp::sim {

namespace {

constexpr qint64 kMaxDrainBytes = 64 * 1024 * 1024;
constexpr int kDrainTimeoutMs = 10000;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 529: return "Site Overloaded";
    default: return "Status";
    }
}

bool hasHeader(const SimHeaders &headers, QByteArrayView name)
{
    for (const auto &entry : headers) {
        if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, Handler handler, InFlight inFlight, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(std::move(handler))
    , m_inFlight(std::move(inFlight))
{
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket && m_socket->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    });
}

HttpConnection::~HttpConnection()
{
    endInFlight();
}

void HttpConnection::endInFlight()
{
    if (!m_counted)
        return;
    m_counted = false;
    if (m_inFlight)
        m_inFlight(-1);
}

SimResponse HttpConnection::protocolError(int status, const QString &message)
{
    SimResponse r;
    r.status = status;
    r.headers.append(SimHeader { "Content-Type", "application/json" });
    r.body = QJsonDocument(QJsonObject { { QStringLiteral("code"),
                                           QStringLiteral("Client specified an invalid argument") },
                                         { QStringLiteral("error"), message } })
                 .toJson(QJsonDocument::Compact);
    r.closeAfter = true;
    static std::atomic<quint64> counter = 0; // servers may run on several threads
    r.headers.append(SimHeader { "x-request-id", "sim-malformed-" + QByteArray::number(++counter, 16) });
    return r;
}

void HttpConnection::onReadyRead()
{
    if (m_draining) {
        // Discard what a refused client still sends, so that closing does not reset the
        // connection before it has read the error; bounded, then give up.
        m_drained += m_socket->readAll().size();
        if (m_drained > kMaxDrainBytes)
            m_socket->abort();
        return;
    }
    if (m_closing)
        return;
    m_buffer += m_socket->readAll();
    processBuffer();
}

void HttpConnection::processBuffer()
{
    if (m_busy || m_closing || !m_socket)
        return;
    const HttpRequestParser::Result result = m_parser.parse(m_buffer);
    if (result == HttpRequestParser::Result::NeedMore)
        return;
    m_busy = true;
    if (result == HttpRequestParser::Result::Error) {
        m_current = protocolError(m_parser.errorStatus(), m_parser.errorMessage());
        m_drainBeforeClose = true;
        m_buffer.clear();
    } else {
        const HttpRequest request = m_parser.takeRequest();
        if (request.path.startsWith("/v1/")) {
            m_counted = true;
            if (m_inFlight)
                m_inFlight(+1);
        }
        m_current = m_handler(request);
        if (!request.keepAlive)
            m_current.closeAfter = true;
    }
    m_nextEvent = 0;
    m_stalled = false;
    // Precise: Qt makes a timer of 2 s or more coarse (5%, whole seconds when long), which
    // would round the tail of a latency model (a 28.4 s draw answered at 28 or 29 s).
    if (m_current.delayBeforeHeadersMs > 0)
        QTimer::singleShot(m_current.delayBeforeHeadersMs, Qt::PreciseTimer, this, &HttpConnection::perform);
    else
        perform();
}

void HttpConnection::perform()
{
    if (!m_socket)
        return;
    if (m_current.resetBeforeHeaders)
        return resetConnection();
    writeHead();
    if (m_current.resetAfterHeaders)
        return afterFlush([this] { resetConnection(); });
    if (m_current.streaming)
        writeEvents();
    else
        writeBody();
}

void HttpConnection::writeHead()
{
    SimResponse &r = m_current;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) + "\r\n";
    for (const auto &[name, value] : r.headers)
        head += name + ": " + value + "\r\n";
    if (r.streaming)
        head += "Transfer-Encoding: chunked\r\n";
    else
        head += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    if (r.closeAfter && !hasHeader(r.headers, "connection"))
        head += "Connection: close\r\n";
    head += "Server: grokpulse-sim\r\n\r\n";
    m_socket->write(head);
}

void HttpConnection::writeBody()
{
    if (m_current.truncateBody) {
        m_socket->write(m_current.body.left(m_current.body.size() / 2));
        return closeAfterFlush();
    }
    m_socket->write(m_current.body);
    finish();
}

void HttpConnection::writeEvents()
{
    SimResponse &r = m_current;
    while (m_socket && m_nextEvent < r.events.size()) {
        if (m_nextEvent == r.cutAfterEvents)
            return closeAfterFlush();
        if (m_nextEvent == r.stallAfterEvents && !m_stalled) {
            m_stalled = true;
            m_socket->flush();
            QTimer::singleShot(r.stallMs, Qt::PreciseTimer, this, &HttpConnection::writeEvents);
            return;
        }
        const QByteArray &event = r.events.at(m_nextEvent++);
        m_socket->write(QByteArray::number(event.size(), 16) + "\r\n" + event + "\r\n");
        if (r.eventIntervalMs > 0 && m_nextEvent < r.events.size()) {
            m_socket->flush();
            QTimer::singleShot(r.eventIntervalMs, this, &HttpConnection::writeEvents);
            return;
        }
    }
    if (!m_socket)
        return;
    if (m_nextEvent == r.cutAfterEvents)
        return closeAfterFlush();
    m_socket->write("0\r\n\r\n");
    finish();
}

void HttpConnection::finish()
{
    if (m_current.closeAfter)
        return closeAfterFlush();
    endInFlight();
    m_busy = false;
    m_current = SimResponse();
    // Pipelined requests already buffered are served on the next turn of the loop.
    if (!m_buffer.isEmpty())
        QTimer::singleShot(0, this, &HttpConnection::processBuffer);
}

void HttpConnection::afterFlush(std::function<void()> step)
{
    m_closing = true;
    m_socket->flush();
    // A short pause so the bytes reach the peer before the reset discards the send queue.
    QTimer::singleShot(15, this, std::move(step));
}

void HttpConnection::resetConnection()
{
    endInFlight();
    m_closing = true;
    if (!m_socket)
        return;
    // SO_LINGER 0: close() sends a TCP RST instead of a FIN.
    const struct linger lin
    {
        1, 0
    };
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
    m_socket->abort();
    deleteLater();
}

void HttpConnection::closeAfterFlush()
{
    endInFlight();
    m_closing = true;
    if (m_drainBeforeClose)
        return drainThenClose();
    if (m_socket)
        m_socket->disconnectFromHost();
}

void HttpConnection::drainThenClose()
{
    if (!m_socket)
        return;
    m_draining = true;
    m_socket->flush();
    // Half-close once the answer is out: the client sees the end of the response while
    // its remaining upload is read and dropped (a full close would answer it with a RST).
    auto halfClose = [this] {
        if (m_socket && m_socket->bytesToWrite() == 0 && m_socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    };
    if (m_socket->bytesToWrite() == 0)
        halfClose();
    else
        connect(m_socket, &QTcpSocket::bytesWritten, this, halfClose);
    onReadyRead();
    QTimer::singleShot(kDrainTimeoutMs, this, [this] {
        if (m_socket)
            m_socket->abort();
        deleteLater();
    });
}

} // namespace gp::sim
