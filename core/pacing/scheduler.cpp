#include "core/pacing/scheduler.h"

#include "core/events/steadyclock.h"
#include "core/pacing/sharedlimiter.h"
#include "core/policy/classifier.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gp {

namespace {
constexpr qint64 Never = PacingGates::Never;
constexpr size_t MaxRecentAdmissions = 4096;

} // namespace

Scheduler::Scheduler(const PacingConfig &config, QObject *parent)
    : Pacer(parent)
    , m_config(config)
    , m_clock(&SteadyClock::nowMs)
    , m_queue(config.maxQueued, config.agingMs)
    , m_gates(config, SteadyClock::nowMs())
    , m_retryBudget(config.retryBudgetRatio, config.retryBudgetMinPerSecond)
{
    m_config.maxInFlight = std::max(1, m_config.maxInFlight);
    m_config.interactiveReserve = std::clamp(m_config.interactiveReserve, 0.0, 0.9);
    m_wake.setSingleShot(true);
    m_wake.setTimerType(Qt::PreciseTimer);
    connect(&m_wake, &QTimer::timeout, this, &Scheduler::runPass);
    m_stateTimer.setSingleShot(true);
    connect(&m_stateTimer, &QTimer::timeout, this, [this] {
        // The throttle's flush: whatever changed since the last emission.
        m_lastStateMs = m_clock();
        Q_EMIT stateChanged();
    });
}

Scheduler::~Scheduler() = default;

void Scheduler::setClock(std::function<qint64()> clock)
{
    m_clock = clock ? std::move(clock) : std::function<qint64()>(&SteadyClock::nowMs);
    m_gates.restart(m_clock()); // buckets remember times of the old clock
}

void Scheduler::setLimits(const PacingConfig &config)
{
    m_config.takeLimitsFrom(config);
    m_config.maxInFlight = std::max(1, config.maxInFlight);
    m_config.interactiveReserve = std::clamp(config.interactiveReserve, 0.0, 0.9);
    m_config.retryBudgetRatio = config.retryBudgetRatio;
    m_config.retryBudgetMinPerSecond = config.retryBudgetMinPerSecond;
    m_gates.setLimits(m_config, m_clock());
    m_retryBudget.setLimits(config.retryBudgetRatio, config.retryBudgetMinPerSecond);
    noteStateChanged();
    requestPass();
}

void Scheduler::setSharedLimiter(SharedLimiter *limiter)
{
    if (m_shared)
        disconnect(m_shared, nullptr, this, nullptr);
    m_shared = limiter;
    m_asking = false;
    m_grant.reset();
    if (!m_shared) {
        m_gates.applyShare(1.0, m_clock());
        requestPass();
        return;
    }
    connect(m_shared, &SharedLimiter::permitGranted, this, [this](quint64 id) {
        m_asking = false;
        m_gates.noteRequestsRemainingSeen(m_shared->learnedBurst());
        m_grant = std::make_pair(id, m_askTokens);
        requestPass();
    });
    connect(m_shared, &SharedLimiter::permitDeferred, this, [this](quint64, qint64 retryInMs) {
        m_asking = false;
        m_gates.noteRequestsRemainingSeen(m_shared->learnedBurst());
        m_sharedNotBeforeMs = m_clock() + std::max<qint64>(1, retryInMs);
        requestPass();
    });
    connect(m_shared, &SharedLimiter::sharedChanged, this, &Scheduler::onSharedChanged);
    connect(m_shared, &SharedLimiter::holdRequested, this, [this](qint64 holdMs) {
        m_gates.holdUntil(m_clock() + std::max<qint64>(0, holdMs));
        requestPass();
    });
    connect(m_shared, &SharedLimiter::warning, this, &Scheduler::warning);
    onSharedChanged();
}

void Scheduler::onSharedChanged()
{
    if (!m_shared)
        return;
    if (!m_shared->isShared())
        m_asking = false; // an ask to a lost server will never be answered
    m_publishedRate = -1.0; // a new server (or a restarted one) hears the server pace again
    m_publishedBurst = 0.0;
    m_gates.applyShare(m_shared->isShared() ? 1.0 : m_shared->fallbackShare(), m_clock());
    requestPass();
}

std::optional<Error> Scheduler::enqueue(const PaceTicket &ticket)
{
    if (const auto ceiling = m_gates.tokenCeiling(); ceiling && ticket.estimatedTokens > *ceiling) {
        return Error { ErrorClass::RequestTooLarge, 0, QString(),
                       QStringLiteral("This request needs about %1 tokens but the limit is %2 tokens per "
                                      "minute, so it can never be sent as is. Shorten the prompt or lower "
                                      "max_completion_tokens.")
                           .arg(ticket.estimatedTokens)
                           .arg(*ceiling) };
    }
    // Only a limit stated in this run refuses: a remembered one may be older than a tier upgrade.
    if (const StatedLimitGates *stated = statedFor(ticket.model); stated && !stated->isRemembered()
        && stated->tokenLimit() && estimateExceedsTokenLimit(ticket.estimatedTokens, *stated->tokenLimit())) {
        return Error { ErrorClass::RequestTooLarge, 0, QString(),
                       QStringLiteral(
                           "This request needs about %1 tokens but the server states a limit of %2 "
                           "tokens for %3, so it can never be sent as is. Shorten the prompt or "
                           "lower max_completion_tokens.")
                           .arg(ticket.estimatedTokens)
                           .arg(*stated->tokenLimit())
                           .arg(ticket.model) };
    }
    if (m_inFlight.contains(ticket.jobId) || m_queue.contains(ticket.jobId)) {
        return Error {
            ErrorClass::Internal, 0, QString(),
            QStringLiteral("Job %1 already has an attempt queued or in flight.").arg(ticket.jobId)
        };
    }
    PaceTicket queued = ticket;
    queued.enqueuedMs = m_clock();
    if (!m_queue.push(queued)) {
        return Error { ErrorClass::QueueFull, 0, QString(),
                       QStringLiteral("The pacing queue is full (%1 requests waiting); try again later.")
                           .arg(m_queue.capacity()) };
    }
    requestPass();
    return std::nullopt;
}

void Scheduler::cancel(quint64 jobId)
{
    if (m_queue.take(jobId))
        requestPass();
}

void Scheduler::requestPass()
{
    if (m_inPass) {
        m_passAgain = true;
        return;
    }
    // Never admit synchronously from the caller: the next event loop iteration does.
    m_wake.start(0);
}

void Scheduler::runPass()
{
    m_inPass = true;
    m_wake.stop();
    QList<quint64> admittedIds;
    qint64 wakeIn = Never;
    const qint64 now = m_clock();
    rejectExpired(now);
    QSet<QString> heldModels; // models whose own gates hold them in this pass
    while (stepHead(now, &heldModels, &wakeIn, &admittedIds)) { }
    if (m_queue.isEmpty())
        m_waitReason.clear();
    if (const auto due = m_queue.nextDueMs())
        wakeIn = std::min(wakeIn, std::max<qint64>(0, *due - now));
    if (const auto deadline = m_queue.earliestDeadlineMs())
        wakeIn = std::min(wakeIn, std::max<qint64>(0, *deadline - now));
    m_inPass = false;
    if (m_passAgain) {
        m_passAgain = false;
        wakeIn = 0;
    }
    if (wakeIn != Never)
        m_wake.start(int(std::min<qint64>(wakeIn, std::numeric_limits<int>::max())));
    for (const quint64 id : std::as_const(admittedIds))
        Q_EMIT admitted(id);
    noteStateChanged();
}

// Looks at the head of the queue once; true when the pass should look again. Tickets of the
// models in `heldModels` are passed over where they stand.
bool Scheduler::stepHead(qint64 nowMs, QSet<QString> *heldModels, qint64 *wakeInMs,
                         QList<quint64> *admittedIds)
{
    const auto head = m_queue.peek(nowMs, [heldModels](const PaceTicket &t) {
        return !heldModels->isEmpty() && heldModels->contains(t.model);
    });
    if (!head)
        return false;
    if (holdRetry(*head, nowMs))
        return true;
    // One probe first: its headers (or their absence) decide how to pace the rest.
    const qint64 probeLeft = probeHoldMs(nowMs);
    const int cap = probeLeft > 0 ? 1 : m_config.maxInFlight;
    if (m_inFlight.size() >= cap) {
        m_waitReason = QStringLiteral("concurrency");
        if (probeLeft > 0 && m_probeSentMs >= 0)
            *wakeInMs = std::min(*wakeInMs, probeLeft);
        return false; // a release (or the probe's time) wakes the next pass
    }
    QString reason;
    if (const qint64 hold = modelHoldMs(*head, nowMs, &reason); hold > 0)
        return holdModel(*head, hold, reason, nowMs, heldModels, wakeInMs);
    const qint64 wait = gateWaitMs(*head, nowMs, &reason);
    if (wait == 0) {
        m_queue.take(head->jobId);
        admit(*head, nowMs);
        admittedIds->append(head->jobId);
        return true;
    }
    m_waitReason = reason;
    if (wait != Never && head->deadlineMs > 0 && nowMs + wait > head->deadlineMs) {
        m_queue.take(head->jobId);
        reject(head->jobId, ErrorClass::DeadlineExceeded,
               QStringLiteral("The request could not be sent before its deadline (waiting for %1).")
                   .arg(reason));
        return true;
    }
    *wakeInMs = std::min(*wakeInMs, wait);
    return false;
}

qint64 Scheduler::gateWaitMs(const PaceTicket &ticket, qint64 nowMs, QString *reason)
{
    // Interactive work keeps a reserved share while background work is queued.
    const bool reserved = ticket.priority != Priority::Interactive && m_queue.size(Priority::Background) > 0;
    // The model's own gates (modelHoldMs) let it pass; these hold every model.
    const qint64 wait = m_gates.waitMs(nowMs, ticket.estimatedTokens,
                                       reserved ? m_config.interactiveReserve : 0.0, false, reason);
    if (wait == 0 && m_shared && m_shared->isShared())
        return sharedWaitMs(ticket, nowMs, reason);
    return wait;
}

qint64 Scheduler::sharedWaitMs(const PaceTicket &ticket, qint64 nowMs, QString *reason)
{
    if (m_grant)
        return 0;
    if (reason)
        *reason = QStringLiteral("shared");
    if (m_sharedNotBeforeMs > nowMs)
        return m_sharedNotBeforeMs - nowMs;
    if (!m_asking) {
        m_asking = true;
        m_askTokens = std::max<qint64>(0, ticket.estimatedTokens);
        m_shared->requestPermit(ticket.jobId, m_askTokens);
    }
    return Never; // the answer wakes the next pass
}

qint64 Scheduler::probeHoldMs(qint64 nowMs)
{
    if (m_heardBack || !m_config.probeFirst)
        return 0;
    if (m_probeSentMs < 0 || m_config.probeTimeoutMs <= 0)
        return Never; // not sent yet, or over only at its answer
    if (const qint64 left = m_probeSentMs + m_config.probeTimeoutMs - nowMs; left > 0)
        return left;
    // Unanswered that long: taken as an answer without quota headers, so its model's slow start
    // and start window pace what follows (not the whole concurrency at once).
    m_heardBack = true;
    m_gates.recordResponse(nowMs, true, m_probeModel);
    return 0;
}

void Scheduler::admit(const PaceTicket &ticket, qint64 nowMs)
{
    if (m_probeSentMs < 0) {
        m_probeSentMs = nowMs;
        m_probeModel = ticket.model;
    }
    const qint64 tokens = std::max<qint64>(0, ticket.estimatedTokens);
    const quint64 seq = ++m_seq;
    m_inFlight.insert(ticket.jobId, Admission { seq, nowMs, tokens, ticket.isRetry, ticket.model });
    m_recent.emplace_back(seq, tokens);
    if (m_recent.size() > MaxRecentAdmissions)
        m_recent.pop_front();
    m_gates.recordAdmission(nowMs, tokens, ticket.model);
    if (learnsShared())
        m_shared->recordAdmission();
    if (StatedLimitGates *stated = statedFor(ticket.model))
        stated->recordAdmission(nowMs, tokens);
    if (!ticket.refusedBeforeWork) // paced by the gates, outside the budget's books
        m_retryBudget.recordAttempt(nowMs, ticket.isRetry);
    if (m_grant) {
        // A permit is a permit: a grant asked for another head serves this one.
        if (m_shared && m_grant->second != tokens)
            m_shared->settleTokens(tokens - m_grant->second);
        m_grant.reset();
    }
}

void Scheduler::reject(quint64 jobId, ErrorClass errorClass, const QString &message)
{
    Q_EMIT rejected(jobId, Error { errorClass, 0, QString(), message });
}

void Scheduler::rejectExpired(qint64 nowMs)
{
    const QList<quint64> expired = m_queue.deadlinesBefore(nowMs);
    for (const quint64 id : expired) {
        m_queue.take(id);
        reject(id, ErrorClass::DeadlineExceeded,
               QStringLiteral("The request's deadline passed while it was queued."));
    }
}

PacingState Scheduler::state() const
{
    PacingState s;
    const qint64 now = m_clock();
    for (int p = 0; p < PriorityCount; ++p)
        s.queued[p] = m_queue.size(Priority(p));
    s.inFlight = int(m_inFlight.size());
    s.maxInFlight = m_config.maxInFlight;
    m_gates.fillState(&s, now);
    if (s.limitSource != LimitSource::Configured && !m_lastStatedModel.isEmpty()) {
        if (const auto it = m_stated.constFind(m_lastStatedModel); it != m_stated.cend()) {
            s.limitSource = LimitSource::StatedByServer;
            s.limitModel = m_lastStatedModel;
            s.limitRequestsPerSecond = it->requestsPerSecond();
            s.limitTokensPerMinute = it->tokensPerMinute();
            if (it->isRemembered())
                s.limitRememberedAgoMs = now - it->statedAtMs();
            if (!s.tokenLimit)
                s.tokenLimit = it->tokenLimit();
        }
    }
    s.waitReason = m_queue.isEmpty() ? QString() : m_waitReason;
    return s;
}

void Scheduler::noteStateChanged()
{
    const qint64 now = m_clock();
    if (m_stateTimer.isActive())
        return; // a flush is already due
    if (m_lastStateMs < 0 || now - m_lastStateMs >= m_config.stateThrottleMs) {
        m_lastStateMs = now;
        Q_EMIT stateChanged();
    } else {
        m_stateTimer.start(int(std::max<qint64>(1, m_config.stateThrottleMs - (now - m_lastStateMs))));
    }
}

} // namespace gp
