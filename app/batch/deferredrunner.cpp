#include "app/batch/deferredrunner.h"

#include "core/client/client.h"
#include "core/client/requestjob.h"
#include "core/wire/deferredcompletion.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

DeferredRunner::~DeferredRunner() = default;

void DeferredRunner::begin()
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &DeferredRunner::pollDue);
    if (!m_state.via().isEmpty() && m_state.via() != "deferred"_L1) {
        note(
            u"--resume: %1 records a --via %2 run for this output"_s.arg(m_state.storeName(), m_state.via()));
        stopNow(u"the recorded work belongs to another --via"_s, 2);
        return;
    }
    QList<InputLine> lines = m_pending.values();
    std::sort(lines.begin(), lines.end(),
              [](const InputLine &a, const InputLine &b) { return a.lineNumber < b.lineNumber; });
    for (const InputLine &line : lines) {
        if (line.isResponses) {
            writeError(
                line.customId, JobStatus::Failed,
                Error {
                    ErrorClass::BadRequest,
                    0,
                    {},
                    u"deferred completions are chat only: send /v1/responses lines with --via direct or xai-batch"_s });
        } else if (const QString id = m_state.requestIdOf(line.customId); !id.isEmpty()) {
            const qint64 deadline = m_options.deadlineMs > 0 ? m_clock.elapsed() + m_options.deadlineMs : 0;
            m_polls.insert(line.customId, Poll { id, m_options.pollMs, deadline });
            schedule(line.customId, 0); // submitted by an earlier run: fetch it, never send it again
        } else {
            m_toSubmit.append(line.customId);
        }
    }
    submitMore();
    maybeDone();
}

void DeferredRunner::submitMore()
{
    const int window = m_options.submitWindow();
    while (!isStopping() && m_nextSubmit < m_toSubmit.size() && m_submitting.size() < window) {
        const QString customId = m_toSubmit.at(m_nextSubmit++);
        RequestOptions options;
        options.priority = m_options.priority;
        options.deadlineMs = m_options.deadlineMs;
        options.customId = customId;
        options.maxAttempts = m_options.maxAttempts;
        RequestJob *job = m_client->submitDeferred(m_pending.value(customId).request, options);
        m_submitting.insert(customId, job);
        connect(job, &RequestJob::finished, this,
                [this, customId](const Outcome &outcome) { onSubmitted(customId, outcome); });
    }
}

void DeferredRunner::onSubmitted(const QString &customId, const Outcome &outcome)
{
    m_submitting.remove(customId);
    if (isStopping())
        return;
    if (!outcome.isSuccess()) {
        writeResult(customId, outcome);
    } else if (stateWriteOk(m_state.recordRequestId(m_pending.value(customId), outcome.response.id))) {
        const qint64 deadline = m_options.deadlineMs > 0 ? m_clock.elapsed() + m_options.deadlineMs : 0;
        m_polls.insert(customId, Poll { outcome.response.id, m_options.pollMs, deadline });
        schedule(customId, m_options.pollMs);
    } else {
        return;
    }
    submitMore();
    maybeDone();
}

void DeferredRunner::schedule(const QString &customId, qint64 inMs)
{
    m_due.insert(m_clock.elapsed() + inMs, customId);
    armTimer();
}

void DeferredRunner::armTimer()
{
    if (m_due.isEmpty() || isStopping())
        return;
    const qint64 wait = std::max<qint64>(0, m_due.firstKey() - m_clock.elapsed());
    if (!m_timer.isActive() || m_timer.remainingTime() > wait)
        m_timer.start(std::chrono::milliseconds(wait));
}

void DeferredRunner::pollDue()
{
    const qint64 now = m_clock.elapsed();
    const int cap = std::max(1, m_options.concurrency);
    while (!m_due.isEmpty() && m_due.firstKey() <= now && m_pollsInFlight < cap && !isStopping())
        poll(m_due.take(m_due.firstKey()));
    if (!m_due.isEmpty() && m_pollsInFlight < cap)
        armTimer();
}

void DeferredRunner::poll(const QString &customId)
{
    const auto found = m_polls.constFind(customId);
    if (found == m_polls.constEnd())
        return;
    if (found->deadlineMs > 0 && m_clock.elapsed() >= found->deadlineMs) {
        const QString requestId = found->requestId;
        m_polls.remove(customId);
        writeError(
            customId, JobStatus::Failed,
            Error { ErrorClass::DeadlineExceeded,
                    202,
                    {},
                    u"deferred request %1 was still not ready after the %2 s deadline; it stays fetchable "
                    u"for 24 h: rerun with --resume and a longer --deadline"_s.arg(requestId)
                        .arg(m_options.deadlineMs / 1000) });
        maybeDone();
        return;
    }
    ++m_pollsInFlight;
    ApiCall *call = m_client->call("GET", u"chat/deferred-completion/"_s + found->requestId);
    connect(call, &ApiCall::finished, this, [this, customId](const ApiReply &reply) {
        --m_pollsInFlight;
        onPolled(customId, reply);
        pollDue();
    });
}

void DeferredRunner::onPolled(const QString &customId, const ApiReply &reply)
{
    if (isStopping() || !m_polls.contains(customId))
        return;
    Poll &p = m_polls[customId];
    const DeferredPoll result = readDeferredPoll(reply.httpStatus, reply.body);
    const bool again = result.state == DeferredPoll::State::Pending
        || (result.state == DeferredPoll::State::Failed && reply.retriable);
    if (again) {
        const qint64 delay = reply.retryAfterMs >= 0 ? reply.retryAfterMs : p.delayMs;
        p.delayMs = std::min(m_options.pollCapMs, p.delayMs * 3 / 2 + 1);
        schedule(customId, delay);
        return;
    }
    const QString requestId = p.requestId;
    m_polls.remove(customId);
    if (result.state == DeferredPoll::State::Ready) {
        writeResult(customId, successOutcome(result.response, reply.body)); // written before anything else
    } else if (result.state == DeferredPoll::State::Gone) {
        writeError(
            customId, JobStatus::Failed,
            Error { ErrorClass::NotFound, 404, result.error.code,
                    u"deferred request %1 is gone: fetched already or expired (a result is kept 24 h and "
                    u"can be fetched once)"_s.arg(requestId) });
    } else {
        const QString why = reply.error.isError() ? reply.error.message : result.error.message;
        writeError(customId, JobStatus::Failed,
                   Error { reply.error.isError() ? reply.error.errorClass : ErrorClass::MalformedResponse,
                           reply.httpStatus, result.error.code,
                           u"deferred request %1: %2"_s.arg(requestId, why) });
    }
    maybeDone();
}

void DeferredRunner::maybeDone()
{
    if (!isStopping() && m_pending.isEmpty())
        finishRun(0);
}

void DeferredRunner::onStop(const QString &why)
{
    m_timer.stop();
    const auto submitting = m_submitting;
    for (const QPointer<RequestJob> &job : submitting) {
        if (job)
            job->cancel(); // onSubmitted ignores them: stopping
    }
    for (auto it = m_polls.cbegin(); it != m_polls.cend(); ++it)
        writeError(
            it.key(), JobStatus::Cancelled,
            Error { ErrorClass::Cancelled,
                    0,
                    {},
                    u"deferred request %1 not fetched yet (%2); rerun with --resume within 24 h to fetch it"_s
                        .arg(it->requestId, why) });
    m_polls.clear();
    failPending(JobStatus::Cancelled, Error { ErrorClass::Cancelled, 0, {}, u"not sent: "_s + why });
    note(u"stopped: rerun the same command with --resume to fetch what was submitted"_s);
    finishRun(1);
}

} // namespace gp
