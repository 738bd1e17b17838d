#pragma once

#include "core/policy/error.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace gp {

// What one API call (a batch call, a deferred poll, a tokenize call) came back with.
struct ApiReply
{
    int httpStatus = 0; // 0: no answer
    QByteArray body; // at most ApiCall's bound
    Error error; // None for a 2xx; else the class, status and message, as for chat
    bool retriable = false; // the same call may succeed later (429, 5xx, network, timeout)
    qint64 retryAfterMs = -1; // the server's hint, when it gave one
};

// One HTTP exchange that is not a paced chat attempt: GET or POST under the client's
// base URL, with the same key, plain-http and redirect rules, classified by the same
// table. finished() comes exactly once, always from the event loop (never inside the
// call that made it). Deletes itself after finished().
class ApiCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiCall)

public:
    static constexpr qint64 MaxBodyBytes = 64 * 1024 * 1024;

    // refusal non-empty: finishes with it (ErrorClass::Tls) and sends nothing.
    ApiCall(QNetworkAccessManager *network, QNetworkRequest request, QByteArray verb, QByteArray body,
            QString refusal, qint64 timeoutMs, QString apiKey, QObject *parent = nullptr);
    ~ApiCall() override;

    void abort(); // finishes it now, Cancelled

Q_SIGNALS:
    void finished(const gp::ApiReply &reply);

private:
    void send();
    void onFinished();
    void deliver(ApiReply reply);
    void timerEvent(QTimerEvent *event) override;

    QNetworkAccessManager *m_network = nullptr;
    QNetworkRequest m_request;
    QByteArray m_verb;
    QByteArray m_body;
    QString m_refusal;
    qint64 m_timeoutMs = 0;
    QString m_apiKey; // only to redact it from messages
    QPointer<QNetworkReply> m_reply;
    QBasicTimer m_timer;
    bool m_timedOut = false;
    bool m_done = false;
};

} // namespace gp

Q_DECLARE_METATYPE(gp::ApiReply)
