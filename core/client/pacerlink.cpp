#include "core/client/pacerlink.h"

#include "core/client/attemptjudge.h"
#include "core/client/attemptresult.h"
#include "core/client/passthroughpacer.h"
#include "core/client/requestjob.h"

namespace gp {

PacerLink::PacerLink(int maxInFlight, RetryBudget budget, QObject *parent)
    : QObject(parent)
    , m_own(new PassThroughPacer(maxInFlight, std::move(budget), this))
{
    setPacer(nullptr);
}

PacerLink::~PacerLink() = default;

void PacerLink::setPacer(Pacer *pacer)
{
    if (m_pacer)
        m_pacer->disconnect(this);
    m_pacer = pacer ? pacer : m_own;
    connect(m_pacer, &Pacer::admitted, this, &PacerLink::admitted);
    connect(m_pacer, &Pacer::rejected, this, &PacerLink::rejected);
}

void PacerLink::ensurePacer()
{
    if (!m_pacer)
        setPacer(nullptr);
}

std::optional<Error> PacerLink::enqueue(const RequestJob *job, qint64 delayMs, qint64 nowMs)
{
    PaceTicket ticket;
    ticket.jobId = job->id();
    ticket.priority = job->options().priority;
    ticket.model = job->request().model;
    ticket.estimatedTokens = job->estimatedTokens();
    ticket.notBeforeMs = delayMs > 0 ? nowMs + delayMs : 0;
    ticket.deadlineMs = job->deadlineMs();
    ticket.isRetry = job->nextIsRetry();
    ticket.refusedBeforeWork = job->nextIsRetry() && job->outcome().httpStatus == 429;
    return m_pacer->enqueue(ticket);
}

QString PacerLink::waitReason() const
{
    return m_pacer->state().waitReason;
}

void PacerLink::releaseUnsent(quint64 jobId, const QString &model)
{
    PaceFeedback unused;
    unused.jobId = jobId;
    unused.model = model;
    m_pacer->release(unused);
}

void PacerLink::releaseSent(const RequestJob *job, const AttemptResult &result, const Judgement &judgement)
{
    PaceFeedback feedback;
    feedback.jobId = job->id();
    feedback.model = job->request().model;
    feedback.sent = true;
    feedback.httpStatus = result.httpStatus;
    feedback.errorClass = judgement.classification.errorClass;
    feedback.quota = judgement.quota;
    feedback.retryHint = judgement.hint;
    if (result.httpStatus == 429)
        feedback.statedLimits = judgement.classification.statedLimits;
    feedback.reservedTokens = job->estimatedTokens();
    if (result.response.usage.present)
        feedback.actualTokens = result.response.usage.billedTokens();
    m_pacer->release(feedback);
}

void PacerLink::cancelQueued(quint64 jobId)
{
    ensurePacer();
    m_pacer->cancel(jobId);
}

void PacerLink::releaseCancelled(const RequestJob *job)
{
    ensurePacer();
    PaceFeedback feedback;
    feedback.jobId = job->id();
    feedback.model = job->request().model;
    feedback.sent = true;
    feedback.errorClass = ErrorClass::Cancelled;
    m_pacer->release(feedback);
}

} // namespace gp
