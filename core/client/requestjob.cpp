#include "core/client/requestjob.h"

#include "core/client/attempt.h"
#include "core/client/attemptjudge.h"
#include "core/client/breakergate.h"
#include "core/client/chatendpoint.h"
#include "core/client/credentialcoordinator.h"
#include "core/client/failuredecider.h"
#include "core/client/jobcontext.h"
#include "core/client/jobevents.h"
#include "core/client/networkpool.h"
#include "core/client/pacerlink.h"
#include "core/events/steadyclock.h"
#include "core/policy/retryplanner.h"

#include <QDateTime>
#include <QTimerEvent>

#include <limits>

using namespace Qt::StringLiterals;

namespace gp {

RequestJob::RequestJob(quint64 id, ChatRequest request, RequestOptions options, Backoff backoff,
                       const JobContext *context, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_id(id)
    , m_request(std::move(request))
    , m_options(std::move(options))
    , m_backoff(std::move(backoff))
    , m_retry(context->config->retry)
    , m_estimatedTokens(m_request.estimatePromptTokens() + m_request.maxCompletionTokens.value_or(0))
    , m_body(m_options.body.isEmpty() ? m_request.toJson() : m_options.body)
{
    m_clock.start();
}

RequestJob::~RequestJob()
{
    abandon(); // deleted while running (the caller did not wait): the client must forget it
}

bool RequestJob::wantsEvents() const
{
    return m_context->wantsEvents();
}

void RequestJob::emitEvent(const Event &event) const
{
    m_context->emitEvent(event);
}

void RequestJob::start()
{
    const ClientConfig &config = *m_context->config;
    const qint64 deadline
        = m_options.deadlineMs > 0 ? m_options.deadlineMs : config.timeouts.defaultDeadlineMs;
    if (deadline > 0) {
        m_deadlineMs = SteadyClock::nowMs() + deadline;
        m_deadlineTimer.start(int(std::min<qint64>(deadline, std::numeric_limits<int>::max())),
                              Qt::PreciseTimer, this);
    }
    if (wantsEvents())
        emitEvent(JobEvents::make(this, EventKind::Submitted));
    if (const QString refusal = m_context->endpoint->refusal(); !refusal.isEmpty()) {
        fail(Error { ErrorClass::Tls, 0, {}, refusal });
        return;
    }
    if (const QString problem = ChatEndpoint::baseUrlProblem(config.baseUrl); !problem.isEmpty()) {
        fail(Error { ErrorClass::BadRequest, 0, {}, problem });
        return;
    }
    if (m_context->tokens) {
        countThenEnqueue();
        return;
    }
    enqueue(0);
}

void RequestJob::enqueue(qint64 delayMs)
{
    m_stage = Stage::Queued;
    if (const auto error = m_context->pacing->enqueue(this, delayMs, SteadyClock::nowMs())) {
        fail(*error);
        return;
    }
    if (!wantsEvents())
        return;
    Event event = JobEvents::make(this, EventKind::Queued);
    event.delayMs = delayMs;
    event.message = m_context->pacing->waitReason();
    emitEvent(event);
}

bool RequestJob::admit()
{
    if (m_stage != Stage::Queued)
        return false;
    BreakerGate *gate = m_context->gate;
    if (!gate->allowRequest(SteadyClock::nowMs())) {
        m_context->pacing->releaseUnsent(m_id, m_request.model);
        holdForBreaker();
        return true;
    }
    m_isProbe = gate->state() == BreakerState::HalfOpen;
    startAttempt();
    return true;
}

void RequestJob::reject(const Error &error)
{
    if (m_stage == Stage::Queued)
        fail(error);
}

void RequestJob::startAttempt()
{
    ++m_attempts;
    m_stage = Stage::InFlight;
    delete m_lastAttempt.data(); // runs from the pacer's timer, never inside its signal
    auto *attempt
        = new Attempt(m_context->network->pick(),
                      m_context->endpoint->buildRequest(m_request.stream, m_options.customId, m_kind), m_body,
                      m_request.stream, m_context->config->timeouts, this);
    attempt->setKind(m_kind);
    m_attempt = attempt;
    if (m_request.stream) { // only a stream has deltas and raw bytes to pass on
        connect(attempt, &Attempt::delta, this, [this](const QString &content, const QString &reasoning) {
            m_partialText += content;
            m_partialReasoning += reasoning;
            Q_EMIT streamDelta(content, reasoning, QPrivateSignal());
        });
        connect(attempt, &Attempt::streamBytes, this,
                [this](const QByteArray &bytes) { Q_EMIT streamBytes(bytes, QPrivateSignal()); });
    }
    connect(attempt, &Attempt::headersReceived, this, [this, attempt] {
        Q_EMIT responseStarted(attempt->result().httpStatus, attempt->result().headers, QPrivateSignal());
    });
    connect(attempt, &Attempt::finished, this, [this, attempt] { onAttemptFinished(attempt); });
    Q_EMIT attemptStarted(m_attempts, QPrivateSignal());
    if (wantsEvents())
        emitEvent(JobEvents::make(this, EventKind::AttemptStarted));
    attempt->start();
}

void RequestJob::onAttemptFinished(Attempt *attempt)
{
    AttemptResult result = attempt->takeResult();
    m_resends += result.resends; // every request the server may have seen is counted
    // The finished attempt (reply already released) stays a child of the job until the next
    // attempt starts or the job goes: no deleteLater() wake-up per attempt.
    m_lastAttempt = attempt;
    m_attempt = nullptr;
    const Judgement judgement
        = AttemptJudge::judge(result, QDateTime::currentMSecsSinceEpoch(), m_estimatedTokens);
    settleAttempt(result, judgement);

    const Classification &c = judgement.classification;
    m_outcome.httpStatus = result.httpStatus;
    m_outcome.requestId = result.requestId;
    m_outcome.ttfbMs = result.ttfbMs;
    m_outcome.firstChunkMs = result.firstChunkMs;
    m_outcome.chunkGaps = result.chunkGaps;
    m_outcome.responseHeaders = result.headers;
    m_outcome.errorBody = c.isSuccess() ? QByteArray() : result.body;
    if (c.isSuccess()) {
        Outcome outcome = m_outcome;
        outcome.status = JobStatus::Succeeded;
        outcome.responseBody = result.streamed && result.body.isEmpty()
            ? AttemptJudge::synthesizeBody(result.response)
            : result.body; // a streamed Responses answer carries its own
        outcome.response = std::move(result.response);
        finish(std::move(outcome));
        return;
    }
    decideAfterFailure(result, judgement);
}

// Feeds the breaker and the pacer, and reports the attempt.
void RequestJob::settleAttempt(const AttemptResult &result, const Judgement &judgement)
{
    const Classification &c = judgement.classification;
    m_context->gate->recordAttempt(c.errorClass, result.httpStatus, m_isProbe, SteadyClock::nowMs());
    m_isProbe = false;
    m_context->pacing->releaseSent(this, result, judgement);

    if (!wantsEvents())
        return;
    if (!judgement.quota.isEmpty()) {
        Event quota = JobEvents::make(this, EventKind::QuotaUpdated);
        quota.quota = judgement.quota;
        emitEvent(quota);
    }
    emitEvent(JobEvents::attemptFinished(this, result, judgement,
                                         AttemptJudge::redact(c.message, m_context->config->apiKey)));
}

void RequestJob::decideAfterFailure(const AttemptResult &result, const Judgement &judgement)
{
    const ClientConfig &config = *m_context->config;
    FailureContext context;
    context.attempts = m_attempts;
    context.maxAttempts = m_options.maxAttempts > 0 ? m_options.maxAttempts : m_retry.maxAttempts;
    context.nowMs = SteadyClock::nowMs();
    context.deadlineMs = m_deadlineMs;
    context.hintCeilingMs = m_retry.hintCeilingMs;
    // An endpoint answering most attempts: its faults are independent, a retry soon costs no
    // more load than one later (the retry budget bounds that), so the backoff stops at half the
    // base (250 ms by default, Envoy's default ceiling).
    if (m_context->gate->mostlyAnswering())
        context.healthyBackoffCapMs = m_retry.baseMs / 2;
    if (m_options.maxAttempts <= 0 && m_retry.stretchWhileAnswering)
        context.attemptsWhileAnswering = m_context->gate->chanceRunLength();
    context.canRenewCredential = m_context->credentials->hasProvider() && !m_usedNewCredential;
    context.apiKeySource = config.apiKeySource;
    context.apiKeyEmpty = config.apiKey.isEmpty();
    FailureVerdict verdict = FailureDecider::decide(result, judgement, context, m_backoff);
    switch (verdict.action) {
    case FailureVerdict::Action::Interrupt: {
        Outcome outcome = m_outcome;
        outcome.status = JobStatus::Interrupted;
        outcome.error = std::move(verdict.error);
        finish(std::move(outcome));
        return;
    }
    case FailureVerdict::Action::AwaitCredential:
        m_pendingError = verdict.error;
        m_stage = Stage::AwaitingCredential;
        m_context->credentials->hold(m_id, verdict.error, config.apiKeySource);
        return;
    case FailureVerdict::Action::Fail: fail(std::move(verdict.error)); return;
    case FailureVerdict::Action::Retry: break;
    }
    scheduleRetry(result.httpStatus, verdict.delayMs, verdict.retryReason, verdict.message);
}

void RequestJob::scheduleRetry(int httpStatus, qint64 delayMs, ErrorClass reason, const QString &message)
{
    Q_EMIT retryScheduled(m_attempts, delayMs, reason, QPrivateSignal());
    Event event = JobEvents::make(this, EventKind::RetryScheduled);
    event.delayMs = delayMs;
    event.errorClass = reason;
    event.httpStatus = httpStatus;
    event.message = message;
    emitEvent(event);
    m_nextIsRetry = true;
    enqueue(delayMs);
}

void RequestJob::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_deadlineTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_deadlineTimer.stop();
    onDeadline();
}

void RequestJob::onDeadline()
{
    if (m_stage == Stage::Finished)
        return;
    const Stage stage = m_stage;
    leaveCurrentStage();
    QString where = u"while queued"_s;
    if (stage == Stage::InFlight)
        where = u"during attempt "_s + QString::number(m_attempts);
    else if (stage == Stage::Holding)
        where = u"while the circuit breaker for "_s + m_context->endpoint->name() + u" was open"_s;
    else if (stage == Stage::AwaitingCredential)
        where = u"while waiting for a new API key"_s;
    else if (m_nextIsRetry)
        where = u"while waiting to retry"_s;
    const qint64 limit
        = m_options.deadlineMs > 0 ? m_options.deadlineMs : m_context->config->timeouts.defaultDeadlineMs;
    fail(Error { ErrorClass::DeadlineExceeded,
                 m_outcome.httpStatus,
                 {},
                 u"deadline of "_s + RetryPlanner::formatDuration(limit) + u" passed "_s + where });
}

// Takes the job out of wherever it waits or runs, keeping every counterpart balanced.
void RequestJob::leaveCurrentStage()
{
    switch (m_stage) {
    case Stage::Queued: m_context->pacing->cancelQueued(m_id); break;
    case Stage::Holding: m_context->gate->forget(m_id); break;
    case Stage::AwaitingCredential: m_context->credentials->forget(m_id); break;
    case Stage::InFlight: {
        if (Attempt *attempt = m_attempt) {
            attempt->abandon();
            attempt->deleteLater();
        }
        m_attempt = nullptr;
        m_context->pacing->releaseCancelled(this);
        if (m_isProbe) {
            m_isProbe = false;
            m_context->gate->abandonProbe();
        }
        break;
    }
    case Stage::Finished: break;
    }
}

void RequestJob::cancel()
{
    if (m_stage == Stage::Finished)
        return;
    leaveCurrentStage();
    Outcome outcome = m_outcome;
    outcome.status = JobStatus::Cancelled;
    outcome.error = Error { ErrorClass::Cancelled, 0, {}, u"cancelled by the caller"_s };
    finish(outcome);
}

void RequestJob::abandon()
{
    if (m_stage == Stage::Finished)
        return;
    leaveCurrentStage();
    m_stage = Stage::Finished;
    m_deadlineTimer.stop();
    m_context->forget(m_id);
}

void RequestJob::fail(Error error)
{
    Outcome outcome = m_outcome;
    outcome.status = JobStatus::Failed;
    outcome.error = std::move(error);
    finish(outcome);
}

void RequestJob::finish(Outcome outcome)
{
    if (m_stage == Stage::Finished)
        return; // exactly once
    m_stage = Stage::Finished;
    m_deadlineTimer.stop();
    m_context->forget(m_id);
    outcome.attempts = attempts();
    outcome.latencyMs = m_clock.elapsed();
    outcome.error.message = AttemptJudge::redact(outcome.error.message, m_context->config->apiKey);
    if (outcome.status != JobStatus::Succeeded)
        outcome.partialText = m_partialText;
    m_outcome = std::move(outcome);

    std::optional<Event> terminal;
    if (wantsEvents())
        terminal = JobEvents::terminal(this);
    if (!m_context->submitting) {
        if (terminal)
            emitEvent(*terminal);
        emitFinished();
        return;
    }
    // Never inside submit(): delivered once the caller holds the job and has connected. The
    // terminal event reaches telemetry even when the caller deletes the job before that.
    QMetaObject::invokeMethod(
        m_context->owner,
        [guard = QPointer<RequestJob>(this), sink = m_context->emitEvent, terminal = std::move(terminal)] {
            if (terminal)
                sink(*terminal);
            if (guard)
                guard->emitFinished();
        },
        Qt::QueuedConnection);
}

void RequestJob::emitFinished()
{
    Q_EMIT finished(m_outcome, QPrivateSignal());
    if (m_autoDelete)
        deleteLater();
}

} // namespace gp
