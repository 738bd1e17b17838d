#pragma once

#include "core/client/outcome.h"
#include "core/client/requestkind.h"
#include "core/client/requestoptions.h"
#include "core/policy/backoff.h"
#include "core/wire/chatrequest.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace gp {

class Attempt;
class Client;

// One submitted request, from submit() to its single finished() signal (KJob-like).
// Created and driven by Client; the caller may deleteLater() it after finished().
class RequestJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestJob)

public:
    enum class Stage { Queued, Holding, InFlight, AwaitingCredential, Finished };

    ~RequestJob() override;

    quint64 id() const { return m_id; }
    const ChatRequest &request() const { return m_request; }
    const RequestOptions &options() const { return m_options; }
    // For Responses and deferred jobs request() is a chat view (model, input as messages).
    RequestKind kind() const { return m_kind; }
    // Finishes the job Cancelled at once, wherever it is (queued, waiting, in flight).
    void cancel();
    bool isFinished() const { return m_stage == Stage::Finished; }
    const Outcome &outcome() const { return m_outcome; }
    Stage stage() const { return m_stage; }
    int attempts() const { return m_attempts; }
    QString partialText() const { return m_partialText; }
    qint64 deadlineMs() const { return m_deadlineMs; }

Q_SIGNALS:
    void finished(const gp::Outcome &outcome);
    void attemptStarted(int attempt);
    void retryScheduled(int attempt, qint64 delayMs, gp::ErrorClass reason);
    void streamDelta(const QString &content, const QString &reasoning);
    // The current attempt's status line and headers arrived (every attempt, any status).
    void responseStarted(int httpStatus, const gp::HeaderList &headers);
    // The current attempt's raw bytes of a 2xx stream, as they arrive (before decoding).
    // A later attempt starts over: attemptStarted() comes first.
    void streamBytes(const QByteArray &bytes);

private:
    friend class Client;
    friend class PacerLink; // reads the pacing fields (estimate, deadline, retry flag)
    RequestJob(quint64 id, ChatRequest request, RequestOptions options, Backoff backoff, Client *client);
    void timerEvent(QTimerEvent *event) override;

    Client *m_client = nullptr;
    quint64 m_id = 0;
    ChatRequest m_request;
    RequestOptions m_options;
    Backoff m_backoff;
    Outcome m_outcome;
    Stage m_stage = Stage::Queued;
    int m_attempts = 0;
    bool m_nextIsRetry = false;
    bool m_usedNewCredential = false;
    bool m_isProbe = false;
    qint64 m_deadlineMs = 0; // steady clock; 0 = none
    QElapsedTimer m_clock; // since submit
    QBasicTimer m_deadlineTimer;
    QPointer<Attempt> m_attempt;
    QPointer<Attempt> m_lastAttempt; // finished; a child, deleted at the next attempt or with the job
    QString m_partialText;
    QString m_partialReasoning;
    Error m_pendingError; // the authentication error while a new key is awaited
    qint64 m_estimatedTokens = 0; // prompt estimate + max completion, for pacing
    QByteArray m_body; // the request JSON, built once
    RequestKind m_kind = RequestKind::ChatCompletions;
};

} // namespace gp
