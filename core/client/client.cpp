#include "core/client/client.h"

#include "core/client/attempt.h"
#include "core/client/attemptjudge.h"
#include "core/client/breakergate.h"
#include "core/client/chatendpoint.h"
#include "core/client/credentialcoordinator.h"
#include "core/client/failuredecider.h"
#include "core/client/jobevents.h"
#include "core/client/networkpool.h"
#include "core/client/pacerlink.h"
#include "core/policy/retryplanner.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QMetaMethod>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace gp {

Client::Client(ClientConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_endpoint(std::make_unique<ChatEndpoint>(m_config.baseUrl, m_config.allowInsecureHttp))
    , m_network(new NetworkPool(m_config.maxInFlight, this))
    , m_credentials(new CredentialCoordinator(this))
    , m_random(m_config.randomSeed ? m_config.randomSeed : std::random_device {}())
{
    setApiKey(m_config.apiKey, m_config.apiKeySource);
    m_pacing = new PacerLink(m_config.maxInFlight,
                             RetryBudget(m_config.retry.budgetRatio, m_config.retry.budgetMinPerSecond,
                                         m_config.retry.budgetWindowMs),
                             this);
    connect(m_pacing, &PacerLink::admitted, this, &Client::onAdmitted);
    connect(m_pacing, &PacerLink::rejected, this, &Client::onRejected);
    m_gate = new BreakerGate(m_config.breaker, m_endpoint->name(), this);
    connect(m_gate, &BreakerGate::stateChanged, this, &Client::breakerStateChanged);
    connect(m_gate, &BreakerGate::eventEmitted, this, &Client::eventEmitted);
    connect(m_gate, &BreakerGate::released, this, &Client::onBreakerReleased);
    connect(m_network, &NetworkPool::inFlightChanged, this, &Client::networkInFlightChanged);
    connect(m_credentials, &CredentialCoordinator::keyProvided, this, &Client::onKeyProvided);
    connect(m_credentials, &CredentialCoordinator::declined, this, &Client::onKeyDeclined);
}

Client::~Client()
{
    // Unfinished jobs die with us silently; stop their replies first.
    const auto jobs = m_jobs.values();
    for (RequestJob *job : jobs)
        forgetJob(job);
}

QUrl Client::joinUrl(const QUrl &base, const QString &path)
{
    return ChatEndpoint::joinUrl(base, path);
}

QNetworkAccessManager *Client::networkAccessManager() const
{
    return m_network->primary();
}

int Client::networkInFlight() const
{
    return m_network->inFlight();
}

QUrl Client::chatCompletionsUrl() const
{
    return m_endpoint->url();
}

QString Client::endpointRefusal() const
{
    return m_endpoint->refusal();
}

void Client::setPacer(Pacer *pacer)
{
    m_pacing->setPacer(pacer);
}

Pacer *Client::pacer() const
{
    return m_pacing->pacer();
}

BreakerState Client::breakerState() const
{
    return m_gate->state();
}

void Client::setApiKey(const QString &key, const QString &source)
{
    m_config.apiKey = key;
    m_config.apiKeySource = source;
    m_endpoint->setApiKey(key);
}

void Client::setCredentialProvider(CredentialProvider *provider)
{
    m_credentials->setProvider(provider);
}

// A base URL no request can ever be sent to; empty when it is usable.
QString Client::baseUrlProblem(const QUrl &baseUrl)
{
    const QString scheme = baseUrl.scheme().toLower();
    if (!baseUrl.isValid() || baseUrl.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s))
        return u"the base URL \""_s + baseUrl.toDisplayString(QUrl::RemoveUserInfo)
            + u"\" is not an http(s) URL with a host; set a base URL such as https://api.x.ai/v1"_s;
    return {};
}

qint64 Client::steadyNowMs()
{
    return QDeadlineTimer::current(Qt::PreciseTimer).deadline();
}

double Client::nextUniform()
{
    return m_uniform(m_random);
}

RequestJob *Client::submit(const ChatRequest &request, const RequestOptions &options)
{
    // Whatever fails in here (endpoint refused, queue full, request larger than the limit, a
    // pacer that rejects at once) is delivered on the next event-loop turn: the caller has not
    // connected to the job yet.
    const SubmitScope scope(m_submitDepth);
    ChatRequest effective = request;
    effective.stream = options.stream.value_or(request.stream);
    RequestJob *job = newJob(effective, options);
    job->m_body = job->m_request.toJson();
    job->m_estimatedTokens
        = job->m_request.estimatePromptTokens() + job->m_request.maxCompletionTokens.value_or(0);
    return admitNew(job);
}

RequestJob *Client::newJob(const ChatRequest &request, const RequestOptions &options)
{
    ChatRequest effective = request;
    if (effective.model.isEmpty())
        effective.model = m_config.defaultModel;
    const RetryConfig &r = m_config.retry;
    return new RequestJob(
        m_nextId++, effective, options,
        Backoff(r.jitter, r.baseMs, r.capMs, r.multiplier, [this] { return nextUniform(); }), this);
}

// Registers a built job and sends it on its way; whatever fails here arrives queued.
RequestJob *Client::admitNew(RequestJob *job)
{
    const RequestOptions &options = job->options();
    m_jobs.insert(job->id(), job);
    const qint64 deadline = options.deadlineMs > 0 ? options.deadlineMs : m_config.timeouts.defaultDeadlineMs;
    if (deadline > 0) {
        job->m_deadlineMs = steadyNowMs() + deadline;
        job->m_deadlineTimer.start(int(std::min<qint64>(deadline, std::numeric_limits<int>::max())),
                                   Qt::PreciseTimer, job);
    }
    if (wantsEvents())
        Q_EMIT eventEmitted(JobEvents::make(job, EventKind::Submitted));
    if (const QString refusal = m_endpoint->refusal(); !refusal.isEmpty()) {
        fail(job, Error { ErrorClass::Tls, 0, {}, refusal });
        return job;
    }
    if (const QString problem = baseUrlProblem(m_config.baseUrl); !problem.isEmpty()) {
        fail(job, Error { ErrorClass::BadRequest, 0, {}, problem });
        return job;
    }
    enqueue(job, 0);
    return job;
}

void Client::enqueue(RequestJob *job, qint64 delayMs)
{
    job->m_stage = RequestJob::Stage::Queued;
    if (const auto error = m_pacing->enqueue(job, delayMs, steadyNowMs())) {
        fail(job, *error);
        return;
    }
    if (!wantsEvents())
        return;
    Event event = JobEvents::make(job, EventKind::Queued);
    event.delayMs = delayMs;
    event.message = m_pacing->waitReason();
    Q_EMIT eventEmitted(event);
}

void Client::onAdmitted(quint64 jobId)
{
    RequestJob *job = m_jobs.value(jobId);
    if (!job || job->m_stage != RequestJob::Stage::Queued) {
        m_pacing->releaseUnsent(jobId); // a ticket we no longer want: give the slot back
        return;
    }
    if (!m_gate->allowRequest(steadyNowMs())) {
        m_pacing->releaseUnsent(jobId, job->request().model);
        holdForBreaker(job);
        return;
    }
    job->m_isProbe = m_gate->state() == BreakerState::HalfOpen;
    startAttempt(job);
}

void Client::onRejected(quint64 jobId, const Error &error)
{
    RequestJob *job = m_jobs.value(jobId);
    if (job && job->m_stage == RequestJob::Stage::Queued)
        fail(job, error);
}

void Client::holdForBreaker(RequestJob *job)
{
    if (auto error = m_gate->hold(job->id(), steadyNowMs(), job->m_deadlineMs)) {
        fail(job, std::move(*error));
        return;
    }
    job->m_stage = RequestJob::Stage::Holding;
}

void Client::onBreakerReleased(const QList<quint64> &jobIds)
{
    for (const quint64 id : jobIds) {
        if (RequestJob *job = m_jobs.value(id); job && job->m_stage == RequestJob::Stage::Holding)
            enqueue(job, 0);
    }
}

void Client::startAttempt(RequestJob *job)
{
    ++job->m_attempts;
    job->m_stage = RequestJob::Stage::InFlight;
    delete job->m_lastAttempt.data(); // runs from the pacer's timer, never inside its signal
    auto *attempt
        = new Attempt(m_network->pick(),
                      m_endpoint->buildRequest(job->request().stream, job->options().customId, job->m_kind),
                      job->m_body, job->request().stream, m_config.timeouts, job);
    attempt->setKind(job->m_kind);
    job->m_attempt = attempt;
    connect(attempt, &Attempt::delta, job, [job](const QString &content, const QString &reasoning) {
        job->m_partialText += content;
        job->m_partialReasoning += reasoning;
        Q_EMIT job->streamDelta(content, reasoning);
    });
    connect(attempt, &Attempt::headersReceived, job, [job, attempt] {
        Q_EMIT job->responseStarted(attempt->result().httpStatus, attempt->result().headers);
    });
    connect(attempt, &Attempt::streamBytes, job, &RequestJob::streamBytes);
    connect(attempt, &Attempt::finished, this, [this, job, attempt] { onAttemptFinished(job, attempt); });
    Q_EMIT job->attemptStarted(job->m_attempts);
    if (wantsEvents())
        Q_EMIT eventEmitted(JobEvents::make(job, EventKind::AttemptStarted));
    attempt->start();
}

void Client::onAttemptFinished(RequestJob *job, Attempt *attempt)
{
    AttemptResult result = attempt->takeResult();
    // The finished attempt (reply already released) stays a child of the job until the next
    // attempt starts or the job goes: no deleteLater() wake-up per attempt.
    job->m_lastAttempt = attempt;
    job->m_attempt = nullptr;
    const qint64 requestTokens = job->m_estimatedTokens;
    const Judgement judgement
        = AttemptJudge::judge(result, QDateTime::currentMSecsSinceEpoch(), requestTokens);
    settleAttempt(job, result, judgement);

    const Classification &c = judgement.classification;
    job->m_outcome.httpStatus = result.httpStatus;
    job->m_outcome.requestId = result.requestId;
    job->m_outcome.ttfbMs = result.ttfbMs;
    job->m_outcome.firstChunkMs = result.firstChunkMs;
    job->m_outcome.responseHeaders = result.headers;
    job->m_outcome.errorBody = c.isSuccess() ? QByteArray() : result.body;
    if (c.isSuccess()) {
        Outcome outcome = job->m_outcome;
        outcome.status = JobStatus::Succeeded;
        outcome.responseBody = result.streamed && result.body.isEmpty()
            ? AttemptJudge::synthesizeBody(result.response)
            : result.body; // a streamed Responses answer carries its own
        outcome.response = std::move(result.response);
        finish(job, std::move(outcome));
        return;
    }
    decideAfterFailure(job, result, judgement);
}

// Feeds the breaker and the pacer, and reports the attempt.
void Client::settleAttempt(RequestJob *job, const AttemptResult &result, const Judgement &judgement)
{
    const Classification &c = judgement.classification;
    m_gate->recordAttempt(c.errorClass, result.httpStatus, job->m_isProbe, steadyNowMs());
    job->m_isProbe = false;
    m_pacing->releaseSent(job, result, judgement);

    if (!wantsEvents())
        return;
    if (!judgement.quota.isEmpty()) {
        Event quota = JobEvents::make(job, EventKind::QuotaUpdated);
        quota.quota = judgement.quota;
        Q_EMIT eventEmitted(quota);
    }
    Q_EMIT eventEmitted(
        JobEvents::attemptFinished(job, result, judgement, AttemptJudge::redact(c.message, m_config.apiKey)));
}

void Client::decideAfterFailure(RequestJob *job, const AttemptResult &result, const Judgement &judgement)
{
    FailureContext context;
    context.attempts = job->m_attempts;
    context.maxAttempts
        = job->options().maxAttempts > 0 ? job->options().maxAttempts : m_config.retry.maxAttempts;
    context.nowMs = steadyNowMs();
    context.deadlineMs = job->m_deadlineMs;
    context.hintCeilingMs = m_config.retry.hintCeilingMs;
    context.canRenewCredential = m_credentials->hasProvider() && !job->m_usedNewCredential;
    context.apiKeySource = m_config.apiKeySource;
    context.apiKeyEmpty = m_config.apiKey.isEmpty();
    FailureVerdict verdict = FailureDecider::decide(result, judgement, context, job->m_backoff);
    switch (verdict.action) {
    case FailureVerdict::Action::Interrupt: {
        Outcome outcome = job->m_outcome;
        outcome.status = JobStatus::Interrupted;
        outcome.error = std::move(verdict.error);
        finish(job, std::move(outcome));
        return;
    }
    case FailureVerdict::Action::AwaitCredential:
        job->m_pendingError = verdict.error;
        job->m_stage = RequestJob::Stage::AwaitingCredential;
        m_credentials->hold(job->id(), verdict.error, m_config.apiKeySource);
        return;
    case FailureVerdict::Action::Fail: fail(job, std::move(verdict.error)); return;
    case FailureVerdict::Action::Retry: break;
    }
    Q_EMIT job->retryScheduled(job->m_attempts, verdict.delayMs, verdict.retryReason);
    Event event = JobEvents::make(job, EventKind::RetryScheduled);
    event.delayMs = verdict.delayMs;
    event.errorClass = verdict.retryReason;
    event.httpStatus = result.httpStatus;
    event.message = verdict.message;
    Q_EMIT eventEmitted(event);
    job->m_nextIsRetry = true;
    enqueue(job, verdict.delayMs);
}

void Client::onKeyProvided(const QString &key, const QString &source, const QList<quint64> &jobIds)
{
    setApiKey(key, source);
    for (const quint64 id : jobIds) {
        RequestJob *job = m_jobs.value(id);
        if (!job || job->m_stage != RequestJob::Stage::AwaitingCredential)
            continue;
        job->m_usedNewCredential = true;
        job->m_nextIsRetry = false; // a resubmission with a new key, not a retry of a failure
        enqueue(job, 0);
    }
}

void Client::onKeyDeclined(const QList<quint64> &jobIds)
{
    for (const quint64 id : jobIds) {
        if (RequestJob *job = m_jobs.value(id); job && job->m_stage == RequestJob::Stage::AwaitingCredential)
            fail(job, job->m_pendingError);
    }
}

void Client::cancelAll()
{
    const auto jobs = m_jobs.values();
    for (RequestJob *job : jobs)
        cancelJob(job);
}

// Takes the job out of wherever it waits or runs, keeping every counterpart balanced.
void Client::leaveCurrentStage(RequestJob *job)
{
    switch (job->m_stage) {
    case RequestJob::Stage::Queued: m_pacing->cancelQueued(job->id()); break;
    case RequestJob::Stage::Holding: m_gate->forget(job->id()); break;
    case RequestJob::Stage::AwaitingCredential: m_credentials->forget(job->id()); break;
    case RequestJob::Stage::InFlight: {
        if (Attempt *attempt = job->m_attempt) {
            attempt->abandon();
            attempt->deleteLater();
        }
        job->m_attempt = nullptr;
        m_pacing->releaseCancelled(job);
        if (job->m_isProbe) {
            job->m_isProbe = false;
            m_gate->abandonProbe();
        }
        break;
    }
    case RequestJob::Stage::Finished: break;
    }
}

void Client::cancelJob(RequestJob *job)
{
    if (job->m_stage == RequestJob::Stage::Finished)
        return;
    leaveCurrentStage(job);
    Outcome outcome = job->m_outcome;
    outcome.status = JobStatus::Cancelled;
    outcome.error = Error { ErrorClass::Cancelled, 0, {}, u"cancelled by the caller"_s };
    finish(job, outcome);
}

void Client::forgetJob(RequestJob *job)
{
    if (job->m_stage == RequestJob::Stage::Finished)
        return;
    leaveCurrentStage(job);
    job->m_stage = RequestJob::Stage::Finished;
    m_jobs.remove(job->id());
}

void Client::onDeadline(RequestJob *job)
{
    if (job->m_stage == RequestJob::Stage::Finished)
        return;
    const RequestJob::Stage stage = job->m_stage;
    leaveCurrentStage(job);
    QString where = u"while queued"_s;
    if (stage == RequestJob::Stage::InFlight)
        where = u"during attempt "_s + QString::number(job->m_attempts);
    else if (stage == RequestJob::Stage::Holding)
        where = u"while the circuit breaker for "_s + m_endpoint->name() + u" was open"_s;
    else if (stage == RequestJob::Stage::AwaitingCredential)
        where = u"while waiting for a new API key"_s;
    else if (job->m_nextIsRetry)
        where = u"while waiting to retry"_s;
    const qint64 limit
        = job->options().deadlineMs > 0 ? job->options().deadlineMs : m_config.timeouts.defaultDeadlineMs;
    fail(job,
         Error { ErrorClass::DeadlineExceeded,
                 job->m_outcome.httpStatus,
                 {},
                 u"deadline of "_s + RetryPlanner::formatDuration(limit) + u" passed "_s + where });
}

void Client::fail(RequestJob *job, Error error)
{
    Outcome outcome = job->m_outcome;
    outcome.status = JobStatus::Failed;
    outcome.error = std::move(error);
    finish(job, outcome);
}

void Client::finish(RequestJob *job, Outcome outcome)
{
    if (job->m_stage == RequestJob::Stage::Finished)
        return; // exactly once
    job->m_stage = RequestJob::Stage::Finished;
    job->m_deadlineTimer.stop();
    m_jobs.remove(job->id());
    outcome.attempts = job->m_attempts;
    outcome.latencyMs = job->m_clock.elapsed();
    outcome.error.message = AttemptJudge::redact(outcome.error.message, m_config.apiKey);
    if (outcome.status != JobStatus::Succeeded)
        outcome.partialText = job->m_partialText;
    job->m_outcome = std::move(outcome);

    std::optional<Event> terminal;
    if (wantsEvents())
        terminal = JobEvents::terminal(job);
    if (m_submitDepth > 0) {
        // Never inside submit(): deliver once the caller holds the job and has connected.
        QMetaObject::invokeMethod(
            this,
            [this, guard = QPointer<RequestJob>(job), terminal = std::move(terminal)] {
                deliverFinished(guard, terminal);
            },
            Qt::QueuedConnection);
        return;
    }
    deliverFinished(job, terminal);
}

// The terminal event reaches telemetry even when the caller deleted the job before delivery.
void Client::deliverFinished(RequestJob *job, const std::optional<Event> &terminal)
{
    if (terminal)
        Q_EMIT eventEmitted(*terminal);
    if (!job)
        return;
    Q_EMIT job->finished(job->m_outcome);
    Q_EMIT jobFinished(job);
}

bool Client::wantsEvents() const
{
    // Building events costs a few allocations each; skip them when nobody listens.
    static const QMetaMethod signal = QMetaMethod::fromSignal(&Client::eventEmitted);
    return isSignalConnected(signal);
}

} // namespace gp
