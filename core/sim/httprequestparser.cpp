#include "core/sim/httprequestparser.h"

#include <QByteArrayView>

#include <cctype>

namespace gp::sim {

namespace {

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return QByteArray();
}

bool HttpRequest::hasHeader(QByteArrayView lowerName) const
{
    for (const auto &entry : headers) {
        if (entry.first == lowerName)
            return true;
    }
    return false;
}

HttpRequestParser::Result HttpRequestParser::fail(int status, const QString &message)
{
    m_errorStatus = status;
    m_errorMessage = message;
    return Result::Error;
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    const QList<QByteArray> parts = line.toByteArray().split(' ');
    if (parts.size() != 3 || !isToken(parts.at(0)) || !parts.at(1).startsWith('/')
        || !parts.at(2).startsWith("HTTP/1."))
        return false;
    m_request.method = parts.at(0);
    const qsizetype q = parts.at(1).indexOf('?');
    m_request.path = q < 0 ? parts.at(1) : parts.at(1).left(q);
    m_request.query = q < 0 ? QByteArray() : parts.at(1).mid(q + 1);
    m_request.keepAlive = parts.at(2) == "HTTP/1.1";
    return parts.at(2) == "HTTP/1.1" || parts.at(2) == "HTTP/1.0";
}

bool HttpRequestParser::parseHeaderLine(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return false;
    const QByteArray name = line.first(colon).toByteArray().toLower();
    const QByteArray value = line.sliced(colon + 1).trimmed().toByteArray();
    m_request.headers.append(SimHeader { name, value });
    return true;
}

bool HttpRequestParser::parseHead(QByteArrayView head)
{
    qsizetype start = 0;
    bool first = true;
    while (start < head.size()) {
        qsizetype end = head.indexOf(QByteArrayView("\r\n"), start);
        if (end < 0)
            end = head.size();
        const QByteArrayView line = head.sliced(start, end - start);
        if (first ? !parseRequestLine(line) : !parseHeaderLine(line))
            return false;
        first = false;
        start = end + 2;
    }
    return !first;
}

HttpRequestParser::Result HttpRequestParser::parse(QByteArray &buffer)
{
    if (!m_haveHead) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (buffer.size() > kMaxHeaderBytes)
                return fail(431, QStringLiteral("request headers are larger than 16 KiB"));
            return Result::NeedMore;
        }
        if (end > kMaxHeaderBytes)
            return fail(431, QStringLiteral("request headers are larger than 16 KiB"));
        m_request = HttpRequest();
        if (!parseHead(QByteArrayView(buffer).first(end)))
            return fail(400, QStringLiteral("malformed HTTP request"));
        buffer.remove(0, end + 4);
        if (m_request.hasHeader("transfer-encoding"))
            return fail(501, QStringLiteral("chunked request bodies are not supported; send Content-Length"));
        const QByteArray length = m_request.header("content-length");
        bool ok = true;
        m_bodyLength = length.isEmpty() ? 0 : length.toLongLong(&ok);
        if (!ok || m_bodyLength < 0
            || (!length.isEmpty() && !std::isdigit(static_cast<unsigned char>(length.at(0)))))
            return fail(400, QStringLiteral("invalid Content-Length"));
        if (m_bodyLength > m_maxBodyBytes)
            return fail(413,
                        m_maxBodyBytes == kMaxBodyBytes
                            ? QStringLiteral("request body is larger than 4 MiB")
                            : QStringLiteral("request body is larger than %1 bytes").arg(m_maxBodyBytes));
        const QByteArray connection = m_request.header("connection").toLower();
        if (connection.contains("close"))
            m_request.keepAlive = false;
        else if (connection.contains("keep-alive"))
            m_request.keepAlive = true;
        m_haveHead = true;
    }
    if (buffer.size() < m_bodyLength)
        return Result::NeedMore;
    m_request.body = buffer.left(m_bodyLength);
    buffer.remove(0, m_bodyLength);
    m_haveHead = false;
    return Result::Ready;
}

} // namespace gp::sim
