#pragma once

#include "core/client/attemptresult.h"
#include "core/client/clientconfig.h"
#include "core/client/requestkind.h"
#include "core/wire/ssedecoder.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QSslError>

#include <memory>

class QNetworkAccessManager;

namespace gp {

class ResponsesReader;

// One HTTP exchange: sends, enforces first-byte / idle / attempt timeouts, decodes the
// stream, and reports finished() exactly once unless abandon()ed. The reply is a child
// of the attempt and is released with deleteLater().
class Attempt final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Attempt)

public:
    Attempt(QNetworkAccessManager *network, QNetworkRequest request, QByteArray body, bool stream,
            const TimeoutConfig &timeouts, QObject *parent = nullptr);
    ~Attempt() override;

    // Before start(): how the answer reads (chat completions unless set).
    void setKind(RequestKind kind);
    void start();
    // Cancels silently: aborts the reply, finished() is never emitted.
    void abandon();
    const AttemptResult &result() const { return m_result; }
    AttemptResult takeResult() { return std::move(m_result); }

    static TransportError mapNetworkError(QNetworkReply::NetworkError error, bool headersReceived);

Q_SIGNALS:
    void delta(const QString &content, const QString &reasoning);
    void headersReceived();
    // A 2xx stream's raw bytes as they arrive, before they are decoded (for pass-through).
    void streamBytes(const QByteArray &bytes);
    void finished();

private:
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void onSslErrors(const QList<QSslError> &errors);
    void failOverLimit(const QString &reason);
    void onTimeout(TransportError kind);
    void armTimer();
    void timerEvent(QTimerEvent *event) override;
    void handleStreamBytes(const QByteArray &bytes);
    void handleSseEvent(const SseEvent &event);
    void handleResponsesBytes(const QByteArray &bytes);
    void finishStream();
    void finishPlainBody();
    void releaseReply();

    QNetworkAccessManager *m_network = nullptr;
    QNetworkRequest m_request;
    QByteArray m_body;
    QPointer<QIODevice> m_upload; // the body as Qt reads it (a child of the reply)
    bool m_stream = false;
    TimeoutConfig m_timeouts;
    QPointer<QNetworkReply> m_reply;
    QElapsedTimer m_clock;
    QBasicTimer m_timer; // one timer for all three limits, re-armed lazily
    qint64 m_lastChunkNs = 0; // m_clock time of the last stream chunk parsed
    qint64 m_lastActivityMs = 0; // m_clock time of the last bytes received
    SseDecoder m_decoder;
    bool m_sawDone = false;
    bool m_headersSeen = false;
    bool m_done = false;
    TransportError m_abortReason = TransportError::None; // set before we abort the reply ourselves
    QByteArray m_received;
    QString m_content;
    QString m_reasoning;
    QString m_sslError; // the first certificate/handshake error Qt reported
    AttemptResult m_result;
    RequestKind m_kind = RequestKind::ChatCompletions;
    std::unique_ptr<ResponsesReader> m_responses; // Responses streams only
};

} // namespace gp
