#include "core/client/attempt.h"

#include "core/client/networkpool.h"
#include "core/client/responsesreader.h"
#include "core/wire/ratelimitheaders.h"

#include <QIODevice>
#include <QNetworkAccessManager>
#include <QTimerEvent>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// The request body as a random-access device (not a QBuffer, which Qt reads around). When a
// connection closes after the request went out but before any answer, Qt's HTTP/1.1 layer sends
// it again on its own (up to twice), rewinding the body first: each read from the start after a
// rewind is one more request on the wire, which the attempt counts.
class RewindCountingBody final : public QIODevice
{
public:
    RewindCountingBody(const QByteArray &data, QObject *parent)
        : QIODevice(parent)
        , m_data(data)
    {
        open(QIODevice::ReadOnly);
    }

    bool isSequential() const override { return false; }
    qint64 size() const override { return m_data.size(); }
    bool seek(qint64 pos) override
    {
        if (pos == 0 && m_read)
            m_rewound = true;
        return QIODevice::seek(pos);
    }
    int resends() const { return m_resends; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::clamp<qint64>(m_data.size() - pos(), 0, maxSize);
        if (n > 0) {
            std::copy_n(m_data.constData() + pos(), n, data);
            m_read = true;
            if (m_rewound) // read again from the start: sent again (a rewind alone is not)
                ++m_resends;
            m_rewound = false;
        }
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    const QByteArray m_data;
    bool m_read = false;
    bool m_rewound = false;
    int m_resends = 0;
};

int timerMs(qint64 ms)
{
    return int(std::clamp<qint64>(ms, 1, std::numeric_limits<int>::max()));
}

bool isSuccessStatus(int status)
{
    return status >= 200 && status < 300;
}

} // namespace

Attempt::Attempt(QNetworkAccessManager *network, QNetworkRequest request, QByteArray body, bool stream,
                 const TimeoutConfig &timeouts, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_request(std::move(request))
    , m_body(std::move(body))
    , m_stream(stream)
    , m_timeouts(timeouts)
    , m_decoder(qsizetype(std::max<qint64>(1, timeouts.maxStreamLineBytes)))
{ }

Attempt::~Attempt()
{
    if (!m_done)
        abandon();
}

void Attempt::setKind(RequestKind kind)
{
    m_kind = kind;
    if (kind != RequestKind::Responses)
        return;
    const qint64 maxChars
        = m_timeouts.maxResponseBytes > 0 ? m_timeouts.maxResponseBytes / 2 : qint64(1) << 30;
    m_responses = std::make_unique<ResponsesReader>(
        qsizetype(std::max<qint64>(1, m_timeouts.maxStreamLineBytes)), qsizetype(maxChars));
}

void Attempt::start()
{
    m_clock.start();
    auto *body = new RewindCountingBody(m_body, this);
    m_reply = m_network->post(m_request, body);
    m_reply->setParent(this);
    body->setParent(m_reply); // goes with the reply that reads it, never before
    m_upload = body;
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &Attempt::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &Attempt::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &Attempt::onFinished);
    if (m_request.url().scheme() != u"http"_s) // no handshake on plain http: nothing to hear
        connect(m_reply, &QNetworkReply::sslErrors, this, &Attempt::onSslErrors);
    armTimer();
}

// Arms the one timer for the nearest limit. Bytes arriving only move m_lastActivityMs;
// the timer re-checks when it fires, so a busy stream costs no timer churn.
void Attempt::armTimer()
{
    const qint64 now = m_clock.elapsed();
    qint64 next = std::numeric_limits<qint64>::max();
    if (m_timeouts.attemptMs > 0)
        next = std::min(next, m_timeouts.attemptMs);
    if (!m_headersSeen && m_timeouts.firstByteMs > 0)
        next = std::min(next, m_timeouts.firstByteMs);
    // Before the headers, a check every idle limit: then their arrival never needs the timer
    // earlier than it is (it re-arms from the real limits when it fires).
    if (m_timeouts.idleMs > 0)
        next = std::min(next, (m_headersSeen ? m_lastActivityMs : now) + m_timeouts.idleMs);
    if (next == std::numeric_limits<qint64>::max())
        m_timer.stop();
    else
        m_timer.start(timerMs(next - now), Qt::PreciseTimer, this);
}

void Attempt::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    const qint64 now = m_clock.elapsed();
    if (m_timeouts.attemptMs > 0 && now >= m_timeouts.attemptMs)
        onTimeout(TransportError::AttemptTimeout);
    else if (!m_headersSeen && m_timeouts.firstByteMs > 0 && now >= m_timeouts.firstByteMs)
        onTimeout(TransportError::FirstByteTimeout);
    else if (m_headersSeen && m_timeouts.idleMs > 0 && now - m_lastActivityMs >= m_timeouts.idleMs)
        onTimeout(TransportError::IdleTimeout);
    else if (!m_done)
        armTimer();
}

void Attempt::abandon()
{
    m_done = true;
    m_timer.stop();
    releaseReply();
}

void Attempt::releaseReply()
{
    if (!m_reply)
        return;
    if (m_upload)
        m_result.resends = static_cast<RewindCountingBody *>(m_upload.data())->resends();
    if (!m_reply->isFinished()) // a finished reply emits nothing more: no disconnect to pay for
        stopReply(m_reply, this);
    m_reply->deleteLater();
    m_reply = nullptr;
}

void Attempt::onMetaData()
{
    if (m_headersSeen || !m_reply)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_headersSeen = true;
    m_result.ttfbMs = m_clock.elapsed();
    m_result.httpStatus = status.toInt();
    m_result.headers = m_reply->rawHeaderPairs();
    m_result.requestId
        = QString::fromLatin1(headerValue(m_result.headers, "x-request-id").value_or(QByteArray()));
    m_result.streamed = m_stream && isSuccessStatus(m_result.httpStatus);
    m_lastActivityMs = m_result.ttfbMs;
    // No re-arm: the timer is due by the idle limit from the start, never later than from now.
    Q_EMIT headersReceived();
}

void Attempt::onReadyRead()
{
    if (m_done || !m_reply)
        return;
    onMetaData();
    m_lastActivityMs = m_clock.elapsed();
    const QByteArray bytes = m_reply->readAll();
    if (m_result.streamed && !bytes.isEmpty())
        Q_EMIT streamBytes(bytes);
    if (m_result.streamed)
        handleStreamBytes(bytes);
    else if (m_timeouts.maxResponseBytes > 0
             && m_received.size() + bytes.size() > m_timeouts.maxResponseBytes)
        failOverLimit(u"response body exceeds "_s + QString::number(m_timeouts.maxResponseBytes)
                      + u" bytes"_s);
    else
        m_received += bytes;
}

// Stops reading a response we will not hold; finished() follows and reports it.
void Attempt::failOverLimit(const QString &reason)
{
    if (m_result.overLimit)
        return;
    m_result.malformed = true;
    m_result.overLimit = true;
    m_result.malformedReason = reason;
    m_received.clear();
    if (m_reply && m_reply->isRunning()) {
        m_abortReason = TransportError::Other;
        m_reply->abort();
    }
}

// SSL errors are never ignored: the handshake fails and finished() reports the first reason.
void Attempt::onSslErrors(const QList<QSslError> &errors)
{
    if (m_sslError.isEmpty() && !errors.isEmpty())
        m_sslError = errors.first().errorString();
}

void Attempt::onTimeout(TransportError kind)
{
    if (m_done || !m_reply)
        return;
    m_abortReason = kind;
    m_reply->abort(); // finished() follows and reports the timeout
}

TransportError Attempt::mapNetworkError(QNetworkReply::NetworkError error, bool headersReceived)
{
    switch (error) {
    case QNetworkReply::NoError: return TransportError::None;
    case QNetworkReply::ConnectionRefusedError: return TransportError::ConnectionRefused;
    case QNetworkReply::RemoteHostClosedError:
        return headersReceived ? TransportError::ClosedEarly : TransportError::ConnectionReset;
    case QNetworkReply::HostNotFoundError: return TransportError::HostNotFound;
    case QNetworkReply::TimeoutError: return TransportError::FirstByteTimeout;
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::InsecureRedirectError: return TransportError::Tls;
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError: return TransportError::ConnectionReset;
    default: break;
    }
    // With a status line in hand, Qt's content/protocol/server codes (e.g. 400 is
    // ProtocolInvalidOperationError) only restate the HTTP status, which is read directly.
    if (headersReceived)
        return TransportError::None;
    const int code = int(error);
    if (code >= QNetworkReply::ProtocolUnknownError && code <= QNetworkReply::ProtocolFailure)
        return TransportError::Protocol;
    return TransportError::Other;
}

void Attempt::onFinished()
{
    if (m_done || !m_reply)
        return;
    onMetaData();
    m_done = true;
    m_timer.stop();
    m_result.durationMs = m_clock.elapsed();
    const QByteArray rest = m_reply->isOpen() && !m_result.overLimit ? m_reply->readAll() : QByteArray();
    if (m_result.streamed && !rest.isEmpty())
        Q_EMIT streamBytes(rest);
    if (m_result.streamed)
        handleStreamBytes(rest);
    else if (!rest.isEmpty() && m_timeouts.maxResponseBytes > 0
             && m_received.size() + rest.size() > m_timeouts.maxResponseBytes)
        failOverLimit(u"response body exceeds "_s + QString::number(m_timeouts.maxResponseBytes)
                      + u" bytes"_s);
    else
        m_received += rest;

    if (isTimeout(m_abortReason)) {
        m_result.transport = m_abortReason;
        m_result.transportDetail = transportErrorName(m_abortReason);
    } else if (m_abortReason == TransportError::None) {
        m_result.transport = mapNetworkError(m_reply->error(), m_headersSeen);
        if (m_result.transport != TransportError::None)
            m_result.transportDetail = m_reply->errorString();
        if (m_result.transport != TransportError::None && !m_sslError.isEmpty()) {
            m_result.transport = TransportError::Tls;
            m_result.transportDetail = m_sslError;
        }
    }
    if (m_result.streamed)
        finishStream();
    else
        finishPlainBody();
    releaseReply();
    Q_EMIT finished();
}

void Attempt::finishPlainBody()
{
    m_result.body = m_received;
    if (m_result.overLimit || m_result.transport != TransportError::None
        || !isSuccessStatus(m_result.httpStatus))
        return;
    if (m_kind != RequestKind::ChatCompletions) {
        readKindBody(m_kind, m_result);
        return;
    }
    QString error;
    const auto response = parseChatResponse(m_received, &error);
    if (!response) {
        m_result.malformed = true;
        m_result.malformedReason = error;
        return;
    }
    m_result.response = *response;
}

} // namespace gp
