#include "core/client/client.h"

#include "core/client/attempt.h"
#include "core/client/attemptjudge.h"
#include "core/client/credentialprovider.h"
#include "core/client/passthroughpacer.h"
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
    , m_network(new QNetworkAccessManager(this))
    , m_breaker(m_config.breaker)
    , m_random(m_config.randomSeed ? m_config.randomSeed : std::random_device {}())
{
    m_chatUrl = joinUrl(m_config.baseUrl, u"chat/completions"_s);
    m_endpoint
        = m_chatUrl
              .adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
              .toString();
    setApiKey(m_config.apiKey, m_config.apiKeySource);
    m_ownPacer
        = new PassThroughPacer(m_config.maxInFlight,
                               RetryBudget(m_config.retry.budgetRatio, m_config.retry.budgetMinPerSecond,
                                           m_config.retry.budgetWindowMs),
                               this);
    setPacer(nullptr);
    m_breakerTimer.setSingleShot(true);
    connect(&m_breakerTimer, &QTimer::timeout, this, &Client::releaseHeld);
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
    QUrl url = base;
    QString basePath = url.path();
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    QString tail = path;
    while (tail.startsWith(u'/'))
        tail.remove(0, 1);
    url.setPath(basePath + u'/' + tail);
    return url;
}

void Client::setPacer(Pacer *pacer)
{
    if (m_pacer)
        m_pacer->disconnect(this);
    m_pacer = pacer ? pacer : m_ownPacer;
    connect(m_pacer, &Pacer::admitted, this, &Client::onAdmitted);
    connect(m_pacer, &Pacer::rejected, this, &Client::onRejected);
}

Pacer *Client::pacer() const
{
    return m_pacer;
}

void Client::setApiKey(const QString &key, const QString &source)
{
    m_config.apiKey = key;
    m_config.apiKeySource = source;
    m_authorization = key.isEmpty() ? QByteArray() : "Bearer " + key.toUtf8();
}

void Client::setCredentialProvider(CredentialProvider *provider)
{
    if (m_credentials)
        m_credentials->disconnect(this);
    m_credentials = provider;
    m_askingForKey = false;
    if (!provider)
        return;
    connect(provider, &CredentialProvider::keyProvided, this, &Client::onKeyProvided);
    connect(provider, &CredentialProvider::declined, this, &Client::onKeyDeclined);
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
    ChatRequest effective = request;
    if (effective.model.isEmpty())
        effective.model = m_config.defaultModel;
    effective.stream = options.stream.value_or(request.stream);
    const RetryConfig &r = m_config.retry;
    auto *job = new RequestJob(
        m_nextId++, effective, options,
        Backoff(r.jitter, r.baseMs, r.capMs, r.multiplier, [this] { return nextUniform(); }), this);
    job->m_body = job->m_request.toJson();
    job->m_estimatedTokens
        = job->m_request.estimatePromptTokens() + job->m_request.maxCompletionTokens.value_or(0);
    m_jobs.insert(job->id(), job);
    const qint64 deadline = options.deadlineMs > 0 ? options.deadlineMs : m_config.timeouts.defaultDeadlineMs;
    if (deadline > 0) {
        job->m_deadlineMs = steadyNowMs() + deadline;
        job->m_deadlineTimer.start(int(std::min<qint64>(deadline, std::numeric_limits<int>::max())),
                                   Qt::PreciseTimer, job);
    }
    if (wantsEvents())
        Q_EMIT eventEmitted(makeEvent(job, EventKind::Submitted));
    enqueue(job, 0);
    return job;
}

void Client::enqueue(RequestJob *job, qint64 delayMs)
{
    PaceTicket ticket;
    ticket.jobId = job->id();
    ticket.priority = job->options().priority;
    ticket.model = job->request().model;
    ticket.estimatedTokens = job->m_estimatedTokens;
    ticket.notBeforeMs = delayMs > 0 ? steadyNowMs() + delayMs : 0;
    ticket.deadlineMs = job->m_deadlineMs;
    ticket.isRetry = job->m_nextIsRetry;
    job->m_stage = RequestJob::Stage::Queued;
    if (const auto error = m_pacer->enqueue(ticket)) {
        fail(job, *error);
        return;
    }
    if (!wantsEvents())
        return;
    Event event = makeEvent(job, EventKind::Queued);
    event.delayMs = delayMs;
    event.message = m_pacer->state().waitReason;
    Q_EMIT eventEmitted(event);
}

void Client::onAdmitted(quint64 jobId)
{
    RequestJob *job = m_jobs.value(jobId);
    if (!job || job->m_stage != RequestJob::Stage::Queued) {
        PaceFeedback stale;
        stale.jobId = jobId;
        m_pacer->release(stale); // a ticket we no longer want: give the slot back
        return;
    }
    std::optional<BreakerState> changed;
    const bool allowed = m_breaker.allowRequest(steadyNowMs(), &changed);
    applyBreakerChange(changed);
    if (!allowed) {
        PaceFeedback unused;
        unused.jobId = jobId;
        unused.model = job->request().model;
        m_pacer->release(unused);
        holdForBreaker(job);
        return;
    }
    job->m_isProbe = m_breaker.state() == BreakerState::HalfOpen;
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
    const qint64 now = steadyNowMs();
    const qint64 wait = m_breaker.msUntilAllowed(now);
    if (wait > 0 && job->m_deadlineMs > 0 && now + wait >= job->m_deadlineMs) {
        fail(job,
             Error { ErrorClass::CircuitOpen,
                     0,
                     {},
                     u"circuit breaker open for "_s + m_endpoint
                         + u" after repeated failures; next probe in "_s + RetryPlanner::formatDuration(wait)
                         + u", after this job's deadline"_s });
        return;
    }
    job->m_stage = RequestJob::Stage::Holding;
    m_held.append(job->id());
    if (wait > 0 && (!m_breakerTimer.isActive() || m_breakerTimer.remainingTime() > wait))
        m_breakerTimer.start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
}

void Client::releaseHeld()
{
    const QList<quint64> held = std::exchange(m_held, {});
    for (const quint64 id : held) {
        if (RequestJob *job = m_jobs.value(id); job && job->m_stage == RequestJob::Stage::Holding)
            enqueue(job, 0);
    }
}

void Client::applyBreakerChange(std::optional<BreakerState> changed)
{
    if (!changed)
        return;
    Event event;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    switch (*changed) {
    case BreakerState::Open:
        event.kind = EventKind::BreakerOpened;
        event.message = u"circuit breaker opened for "_s + m_endpoint + u"; probing again in "_s
            + RetryPlanner::formatDuration(m_breaker.config().cooldownMs);
        m_breakerTimer.start(
            int(std::min<qint64>(m_breaker.config().cooldownMs, std::numeric_limits<int>::max())));
        break;
    case BreakerState::HalfOpen:
        event.kind = EventKind::BreakerHalfOpen;
        event.message = u"circuit breaker half-open for "_s + m_endpoint + u": sending one probe"_s;
        break;
    case BreakerState::Closed:
        event.kind = EventKind::BreakerClosed;
        event.message = u"circuit breaker closed for "_s + m_endpoint;
        break;
    }
    Q_EMIT breakerStateChanged(*changed, m_endpoint);
    Q_EMIT eventEmitted(event);
    if (*changed == BreakerState::Closed)
        releaseHeld();
}

QNetworkRequest Client::buildRequest(const RequestJob *job) const
{
    QNetworkRequest request(m_chatUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", job->request().stream ? "text/event-stream" : "application/json");
    if (!m_authorization.isEmpty())
        request.setRawHeader("Authorization", m_authorization);
    if (!job->options().customId.isEmpty())
        request.setRawHeader("x-grokpulse-custom-id", job->options().customId.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return request;
}

void Client::startAttempt(RequestJob *job)
{
    ++job->m_attempts;
    job->m_stage = RequestJob::Stage::InFlight;
    delete job->m_lastAttempt.data(); // runs from the pacer's timer, never inside its signal
    auto *attempt = new Attempt(m_network, buildRequest(job), job->m_body, job->request().stream,
                                m_config.timeouts, job);
    job->m_attempt = attempt;
    connect(attempt, &Attempt::delta, job, [job](const QString &content, const QString &reasoning) {
        job->m_partialText += content;
        job->m_partialReasoning += reasoning;
        Q_EMIT job->streamDelta(content, reasoning);
    });
    connect(attempt, &Attempt::finished, this, [this, job, attempt] { onAttemptFinished(job, attempt); });
    Q_EMIT job->attemptStarted(job->m_attempts);
    if (wantsEvents())
        Q_EMIT eventEmitted(makeEvent(job, EventKind::AttemptStarted));
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
    if (c.isSuccess()) {
        Outcome outcome = job->m_outcome;
        outcome.status = JobStatus::Succeeded;
        outcome.responseBody = result.streamed ? AttemptJudge::synthesizeBody(result.response) : result.body;
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
    const qint64 now = steadyNowMs();
    if (breakerCountsAsFailure(c.errorClass))
        applyBreakerChange(m_breaker.recordFailure(now));
    else if (result.httpStatus > 0)
        applyBreakerChange(m_breaker.recordSuccess(now));
    else
        m_breaker.releaseProbe();
    if (job->m_isProbe && m_breaker.state() == BreakerState::HalfOpen)
        releaseHeld(); // the probe told nothing: let the next one go
    job->m_isProbe = false;

    PaceFeedback feedback;
    feedback.jobId = job->id();
    feedback.model = job->request().model;
    feedback.sent = true;
    feedback.httpStatus = result.httpStatus;
    feedback.errorClass = c.errorClass;
    feedback.quota = judgement.quota;
    feedback.retryHint = judgement.hint;
    feedback.reservedTokens = job->m_estimatedTokens;
    if (result.response.usage.present)
        feedback.actualTokens = result.response.usage.billedTokens();
    m_pacer->release(feedback);

    if (!wantsEvents())
        return;
    if (!judgement.quota.isEmpty()) {
        Event quota = makeEvent(job, EventKind::QuotaUpdated);
        quota.quota = judgement.quota;
        Q_EMIT eventEmitted(quota);
    }
    Event event = makeEvent(job, EventKind::AttemptFinished);
    event.requestId = result.requestId;
    event.httpStatus = result.httpStatus;
    event.errorClass = c.errorClass;
    event.ttfbMs = result.ttfbMs;
    event.durationMs = result.durationMs;
    event.usage = result.response.usage;
    event.quota = judgement.quota;
    event.message = AttemptJudge::redact(c.message, m_config.apiKey);
    Q_EMIT eventEmitted(event);
}

void Client::decideAfterFailure(RequestJob *job, const AttemptResult &result, const Judgement &judgement)
{
    const Classification &c = judgement.classification;
    if (result.outputStarted) {
        Outcome outcome = job->m_outcome;
        outcome.status = JobStatus::Interrupted;
        outcome.error
            = Error { ErrorClass::Interrupted, result.httpStatus, judgement.body.code,
                      u"stream cut after output began ("_s + c.message + u"); partial text kept"_s };
        finish(job, outcome);
        return;
    }
    if (c.errorClass == ErrorClass::Authentication) {
        const Error error { ErrorClass::Authentication, result.httpStatus, judgement.body.code,
                            AttemptJudge::authMessage(c, m_config.apiKeySource, m_config.apiKey.isEmpty()) };
        if (m_credentials && !job->m_usedNewCredential)
            awaitCredential(job, error);
        else
            fail(job, error);
        return;
    }
    RetryPlanInput in;
    in.errorClass = c.errorClass;
    in.retriable = c.retriable;
    in.attempt = job->m_attempts;
    in.maxAttempts = job->options().maxAttempts > 0 ? job->options().maxAttempts : m_config.retry.maxAttempts;
    in.hint = judgement.hint;
    in.quota = judgement.quota;
    in.backoffMs = c.retriable ? job->m_backoff.nextBackOffMs() : 0;
    in.nowMs = steadyNowMs();
    in.deadlineMs = job->m_deadlineMs;
    in.hintCeilingMs = m_config.retry.hintCeilingMs;
    const RetryPlan plan = RetryPlanner::planRetry(in);
    if (!plan.retry) {
        if (plan.failClass == ErrorClass::None) {
            const QString tail = job->m_attempts > 1
                ? u" (gave up after "_s + QString::number(job->m_attempts) + u" attempts)"_s
                : QString();
            fail(job, Error { c.errorClass, result.httpStatus, judgement.body.code, c.message + tail });
        } else {
            fail(job,
                 Error { plan.failClass, result.httpStatus, judgement.body.code,
                         plan.message + u"; last error: "_s + c.message });
        }
        return;
    }
    Q_EMIT job->retryScheduled(job->m_attempts, plan.delayMs, c.errorClass);
    Event event = makeEvent(job, EventKind::RetryScheduled);
    event.delayMs = plan.delayMs;
    event.errorClass = c.errorClass;
    event.httpStatus = result.httpStatus;
    event.message = plan.message;
    Q_EMIT eventEmitted(event);
    job->m_nextIsRetry = true;
    enqueue(job, plan.delayMs);
}

void Client::awaitCredential(RequestJob *job, const Error &error)
{
    job->m_pendingError = error;
    job->m_stage = RequestJob::Stage::AwaitingCredential;
    m_awaitingKey.append(job->id());
    if (m_askingForKey)
        return;
    m_askingForKey = true;
    m_credentials->requestNewKey(error, m_config.apiKeySource); // may answer synchronously
}

void Client::onKeyProvided(const QString &key, const QString &source)
{
    m_askingForKey = false;
    setApiKey(key, source);
    const QList<quint64> waiting = std::exchange(m_awaitingKey, {});
    for (const quint64 id : waiting) {
        RequestJob *job = m_jobs.value(id);
        if (!job || job->m_stage != RequestJob::Stage::AwaitingCredential)
            continue;
        job->m_usedNewCredential = true;
        job->m_nextIsRetry = false; // a resubmission with a new key, not a retry of a failure
        enqueue(job, 0);
    }
}

void Client::onKeyDeclined()
{
    m_askingForKey = false;
    const QList<quint64> waiting = std::exchange(m_awaitingKey, {});
    for (const quint64 id : waiting) {
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
    if (!m_pacer) { // an external pacer died before us: fall back so nothing dangles
        setPacer(nullptr);
    }
    switch (job->m_stage) {
    case RequestJob::Stage::Queued: m_pacer->cancel(job->id()); break;
    case RequestJob::Stage::Holding: m_held.removeAll(job->id()); break;
    case RequestJob::Stage::AwaitingCredential: m_awaitingKey.removeAll(job->id()); break;
    case RequestJob::Stage::InFlight: {
        if (Attempt *attempt = job->m_attempt) {
            attempt->abandon();
            attempt->deleteLater();
        }
        job->m_attempt = nullptr;
        PaceFeedback feedback;
        feedback.jobId = job->id();
        feedback.model = job->request().model;
        feedback.sent = true;
        feedback.errorClass = ErrorClass::Cancelled;
        m_pacer->release(feedback);
        if (job->m_isProbe) {
            job->m_isProbe = false;
            m_breaker.releaseProbe();
            releaseHeld();
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
        where = u"while the circuit breaker for "_s + m_endpoint + u" was open"_s;
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

    if (wantsEvents())
        emitTerminalEvent(job);
    Q_EMIT job->finished(job->m_outcome);
    Q_EMIT jobFinished(job);
}

void Client::emitTerminalEvent(const RequestJob *job)
{
    const Outcome &outcome = job->m_outcome;
    static constexpr EventKind kinds[]
        = { EventKind::Succeeded, EventKind::Failed, EventKind::Cancelled, EventKind::Interrupted };
    Event event = makeEvent(job, kinds[int(outcome.status)]);
    event.requestId = outcome.requestId;
    event.httpStatus = outcome.httpStatus;
    event.errorClass = outcome.error.errorClass;
    event.ttfbMs = outcome.ttfbMs;
    event.durationMs = outcome.latencyMs;
    event.usage = outcome.response.usage;
    event.message = outcome.error.message;
    Q_EMIT eventEmitted(event);
}

bool Client::wantsEvents() const
{
    // Building events costs a few allocations each; skip them when nobody listens.
    static const QMetaMethod signal = QMetaMethod::fromSignal(&Client::eventEmitted);
    return isSignalConnected(signal);
}

Event Client::makeEvent(const RequestJob *job, EventKind kind) const
{
    Event event;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    event.jobId = job->id();
    event.attempt = job->m_attempts;
    event.kind = kind;
    event.priority = job->options().priority;
    event.model = job->request().model;
    event.customId = job->options().customId;
    return event;
}

} // namespace gp
