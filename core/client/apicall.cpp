#include "core/client/apicall.h"

#include "core/client/attempt.h"
#include "core/client/attemptjudge.h"
#include "core/client/networkpool.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimerEvent>

using namespace Qt::StringLiterals;

namespace gp {

ApiCall::ApiCall(QNetworkAccessManager *network, QNetworkRequest request, QByteArray verb, QByteArray body,
                 QString refusal, qint64 timeoutMs, QString apiKey, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_request(std::move(request))
    , m_verb(std::move(verb))
    , m_body(std::move(body))
    , m_refusal(std::move(refusal))
    , m_timeoutMs(timeoutMs)
    , m_apiKey(std::move(apiKey))
{
    // Queued: a refusal, too, arrives after the caller has connected.
    QMetaObject::invokeMethod(this, &ApiCall::send, Qt::QueuedConnection);
}

ApiCall::~ApiCall()
{
    if (m_reply)
        stopReply(m_reply, this);
}

void ApiCall::send()
{
    if (m_done)
        return;
    if (!m_refusal.isEmpty()) {
        deliver(ApiReply { 0, {}, Error { ErrorClass::Tls, 0, {}, m_refusal }, false, -1 });
        return;
    }
    if (m_verb == "GET")
        m_reply = m_network->get(m_request);
    else
        m_reply = m_network->sendCustomRequest(m_request, m_verb, m_body);
    m_reply->setParent(this);
    connect(m_reply, &QNetworkReply::finished, this, &ApiCall::onFinished);
    if (m_timeoutMs > 0)
        m_timer.start(int(std::min<qint64>(m_timeoutMs, std::numeric_limits<int>::max())), this);
}

void ApiCall::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_timer.stop();
    m_timedOut = true;
    if (m_reply)
        m_reply->abort(); // onFinished reports the timeout
}

void ApiCall::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_done)
        return;
    m_timer.stop();
    AttemptResult result;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    result.httpStatus = status.isValid() ? status.toInt() : 0;
    result.headers = reply->rawHeaderPairs();
    result.body = reply->read(MaxBodyBytes);
    if (m_timedOut)
        result.transport = TransportError::AttemptTimeout;
    else
        result.transport = Attempt::mapNetworkError(reply->error(), result.httpStatus > 0);
    if (result.transport != TransportError::None && !m_timedOut)
        result.transportDetail = reply->errorString();
    const Judgement judgement = AttemptJudge::judge(result, QDateTime::currentMSecsSinceEpoch());
    ApiReply out;
    out.httpStatus = result.httpStatus;
    out.body = result.body;
    const Classification &c = judgement.classification;
    if (!c.isSuccess()) {
        out.error = Error { c.errorClass, result.httpStatus, judgement.body.code,
                            AttemptJudge::redact(c.message, m_apiKey) };
        out.retriable = c.retriable;
        if (judgement.hint.isValid())
            out.retryAfterMs = judgement.hint.delayMs;
    }
    deliver(std::move(out));
}

void ApiCall::abort()
{
    if (m_done)
        return;
    if (m_reply)
        stopReply(m_reply, this);
    deliver(
        ApiReply { 0, {}, Error { ErrorClass::Cancelled, 0, {}, u"cancelled by the caller"_s }, false, -1 });
}

void ApiCall::deliver(ApiReply reply)
{
    m_done = true;
    Q_EMIT finished(reply);
    deleteLater();
}

} // namespace gp
