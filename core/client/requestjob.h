#pragma once

#include "core/client/clientconfig.h"
#include "core/client/outcome.h"
#include "core/client/requestkind.h"
#include "core/client/requestoptions.h"
#include "core/policy/backoff.h"
#include "core/wire/chatrequest.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <optional>

namespace gp {

class Attempt;
struct AttemptResult;
struct Event;
struct JobContext;
struct Judgement;

// One submitted request, from Client::submit() to its single finished() (the KJob shape):
// the job owns its state and runs its own attempts, retries and deadline through the
// parts its Client shares (JobContext). finished() is emitted exactly once, never inside
// submit(); then the job deletes itself (deleteLater) unless setAutoDelete(false) was called.
class RequestJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestJob)

public:
    enum class Stage { Queued, Holding, InFlight, AwaitingCredential, Finished };

    RequestJob(quint64 id, ChatRequest request, RequestOptions options, Backoff backoff,
               const JobContext *context, QObject *parent);
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
    // Requests sent, Qt's own resends after a reset included (what the server may have seen).
    int attempts() const { return m_attempts + m_resends; }
    QString partialText() const { return m_partialText; }
    qint64 deadlineMs() const { return m_deadlineMs; } // steady clock; 0 = none
    // On by default: deleteLater() right after finished(). Off: the caller deletes the job.
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }
    bool isAutoDelete() const { return m_autoDelete; }

    // Before start(): a kind other than chat brings its own body and pacing estimate.
    void setKind(RequestKind kind, QByteArray body, qint64 estimatedTokens);

    // What pacing reads of the next attempt.
    qint64 estimatedTokens() const { return m_estimatedTokens; } // prompt estimate + max completion
    bool nextIsRetry() const { return m_nextIsRetry; }

    // The Client's part: it routes its pacer's, breaker's and key coordinator's answers,
    // which name jobs by id, to these. Each is a no-op when the job is not waiting for it.
    void start(); // from submit(): anything that ends the job here is delivered on the next turn
    bool admit(); // false when the job no longer wants the slot (the client gives it back)
    void reject(const Error &error);
    void releaseFromBreaker();
    void resumeWithNewKey();
    void failForDeclinedKey();
    void abandon(); // silently, no finished(): the client is going away

Q_SIGNALS:
    void finished(const gp::Outcome &outcome, QPrivateSignal);
    void attemptStarted(int attempt, QPrivateSignal);
    void retryScheduled(int attempt, qint64 delayMs, gp::ErrorClass reason, QPrivateSignal);
    void streamDelta(const QString &content, const QString &reasoning, QPrivateSignal);
    // The current attempt's status line and headers arrived (every attempt, any status).
    void responseStarted(int httpStatus, const gp::HeaderList &headers, QPrivateSignal);
    // The current attempt's raw bytes of a 2xx stream, as they arrive (before decoding).
    // A later attempt starts over: attemptStarted() comes first.
    void streamBytes(const QByteArray &bytes, QPrivateSignal);

private:
    void timerEvent(QTimerEvent *event) override;
    void enqueue(qint64 delayMs);
    void countThenEnqueue();
    void holdForBreaker();
    void startAttempt();
    void onAttemptFinished(Attempt *attempt);
    void settleAttempt(const AttemptResult &result, const Judgement &judgement);
    void decideAfterFailure(const AttemptResult &result, const Judgement &judgement);
    void scheduleRetry(int httpStatus, qint64 delayMs, ErrorClass reason, const QString &message);
    void onDeadline();
    void leaveCurrentStage();
    void fail(Error error);
    void finish(Outcome outcome);
    void emitFinished();
    bool wantsEvents() const;
    void emitEvent(const Event &event) const;

    const JobContext *m_context = nullptr;
    quint64 m_id = 0;
    ChatRequest m_request;
    RequestOptions m_options;
    Backoff m_backoff;
    RetryConfig m_retry; // the client's when the job was made: later changes are for later jobs
    Outcome m_outcome;
    Stage m_stage = Stage::Queued;
    int m_attempts = 0; // attempts we made (what max attempts and the retry budget count)
    int m_resends = 0; // of those, sent again by Qt itself
    bool m_autoDelete = true;
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
    qint64 m_estimatedTokens = 0;
    QByteArray m_body; // the request JSON, built once
    RequestKind m_kind = RequestKind::ChatCompletions;
};

} // namespace gp
