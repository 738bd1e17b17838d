#pragma once

#include "core/sim/simresponse.h"

#include <QByteArray>
#include <QString>

#include <utility>

namespace gp::sim {

struct HttpRequest
{
    QByteArray method;
    QByteArray path; // without the query
    QByteArray query;
    SimHeaders headers; // names lower-cased
    QByteArray body;
    bool keepAlive = true;

    QByteArray header(QByteArrayView lowerName) const;
    bool hasHeader(QByteArrayView lowerName) const;
};

// An incremental HTTP/1.1 request parser with size limits: request line and headers,
// Content-Length bodies. Chunked request bodies are refused (501); clients send lengths.
class HttpRequestParser final
{
public:
    enum class Result { NeedMore, Ready, Error };
    static constexpr qsizetype kMaxHeaderBytes = 16 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 4 * 1024 * 1024;

    // The body bound (413 beyond); kMaxBodyBytes unless set.
    void setMaxBodyBytes(qsizetype bytes) { m_maxBodyBytes = bytes; }
    // True once a request's head is parsed and its body is still arriving.
    bool isReadingBody() const { return m_haveHead; }
    // Consumes one request from the front of buffer when complete.
    Result parse(QByteArray &buffer);
    HttpRequest takeRequest() { return std::move(m_request); }
    int errorStatus() const { return m_errorStatus; }
    QString errorMessage() const { return m_errorMessage; }

private:
    Result fail(int status, const QString &message);
    bool parseHead(QByteArrayView head);
    bool parseRequestLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);

    HttpRequest m_request;
    bool m_haveHead = false;
    qsizetype m_bodyLength = 0;
    qsizetype m_maxBodyBytes = kMaxBodyBytes;
    int m_errorStatus = 0;
    QString m_errorMessage;
};

} // namespace gp::sim
