#pragma once

#include "core/pacing/pacer.h"
#include "core/pacing/pacingconfig.h"
#include "core/pacing/pacinggates.h"
#include "core/pacing/priorityqueue.h"
#include "core/pacing/refusalshare.h"
#include "core/pacing/statedlimitgates.h"
#include "core/policy/retrybudget.h"

#include <QHash>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>

namespace gp {

class SharedLimiter;

// The full pacer: a bounded priority queue in front of every gate (concurrency, local
// RPS/RPM/TPM buckets, the server-reported quota, the adaptive limit, the retry budget
// and, when set, a shared limiter). One timer wakes exactly when the head of the queue
// could next be admitted; nothing polls.
class Scheduler final : public Pacer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Scheduler)

public:
    explicit Scheduler(const PacingConfig &config = {}, QObject *parent = nullptr);
    ~Scheduler() override;

    std::optional<Error> enqueue(const PaceTicket &ticket) override;
    void cancel(quint64 jobId) override;
    void release(const PaceFeedback &feedback) override;
    PacingState state() const override;

    const PacingConfig &config() const { return m_config; }
    // Settings changed while running: the configured rates and bursts, the concurrency cap,
    // adaptive learning, the interactive reserve and the retry budget hold from the next
    // admission on. What is admitted stays admitted; the rest of the config is read only here.
    void setLimits(const PacingConfig &config);
    const QuotaTracker &quotaTracker() const { return m_gates.quota(); }
    const AdaptiveLimiter &adaptiveLimiter() const { return m_gates.adaptive(); }
    // Steady-clock ms; tests pin it. Default: SteadyClock::nowMs().
    void setClock(std::function<qint64()> clock);
    // Gates admission on a quota shared with other instances (not owned; may be null). The
    // Scheduler never makes one itself: the Engine makes the RedisLimiter for pacing.redisUrl.
    void setSharedLimiter(SharedLimiter *limiter);
    SharedLimiter *sharedLimiter() const { return m_shared; }
    // Limits stated for `model` in an earlier run, `ageMs` ago, still good for `keepMs`: its pacing
    // starts from them as from a 429 that stated them (StatedLimitGates::remember), until a 429 of
    // this run states its limits again, quota headers come for it, or `keepMs` passes.
    void rememberStatedLimits(const QString &model, const QList<StatedLimit> &limits, qint64 ageMs,
                              qint64 keepMs);

Q_SIGNALS:
    // The adaptive limiter moved: the learned rate and its confidence (0..1).
    void limitLearned(double rps, double confidence);
    // A 429 stated the limits of `model` (what StatedLimitKeeper remembers).
    void limitStated(const QString &model, const QList<gp::StatedLimit> &limits);
    // Something a user should see (Redis down, ...): one human sentence.
    void warning(const QString &message);

private:
    struct Admission
    {
        quint64 seq = 0;
        qint64 admittedMs = 0;
        qint64 tokens = 0;
        bool isRetry = false;
        QString model;
    };

    void requestPass();
    void runPass();
    bool stepHead(qint64 nowMs, QSet<QString> *heldModels, qint64 *wakeInMs, QList<quint64> *admittedIds);
    // While the first attempt probes: how long it still holds the rest (0: no probe). Ends an
    // unanswered probe whose time is up, as an answer without quota headers would.
    qint64 probeHoldMs(qint64 nowMs);
    bool holdRetry(const PaceTicket &head, qint64 nowMs);
    bool holdModel(const PaceTicket &head, qint64 holdMs, const QString &why, qint64 nowMs,
                   QSet<QString> *heldModels, qint64 *wakeInMs);
    qint64 modelHoldMs(const PaceTicket &ticket, qint64 nowMs, QString *reason);
    qint64 gateWaitMs(const PaceTicket &ticket, qint64 nowMs, QString *reason);
    qint64 startWindowHoldMs(const QString &model, qint64 nowMs) const;
    void admit(const PaceTicket &ticket, qint64 nowMs);
    void reject(quint64 jobId, ErrorClass errorClass, const QString &message);
    void rejectExpired(qint64 nowMs);
    void learn(const PaceFeedback &feedback, const Admission &admission, qint64 nowMs);
    void learnFromRefusal(const PaceFeedback &feedback, const Admission &admission, qint64 nowMs, bool shared,
                          bool sharedLearning);
    StatedLimitGates *statedFor(const QString &model);
    void forgetRemembered(const QString &model, qint64 nowMs, bool always);
    bool learnsShared() const;
    void noteStateChanged();
    qint64 sharedWaitMs(const PaceTicket &ticket, qint64 nowMs, QString *reason);
    void publishServerPace(qint64 nowMs);
    void publishStatedPace(qint64 nowMs);
    void onSharedChanged();

    PacingConfig m_config;
    std::function<qint64()> m_clock;
    PriorityQueue m_queue;
    PacingGates m_gates;
    RetryBudget m_retryBudget;
    SharedLimiter *m_shared = nullptr;

    QHash<quint64, Admission> m_inFlight;
    QHash<QString, StatedLimitGates> m_stated; // per model: the limits its 429 bodies stated
    QString m_lastStatedModel;
    RefusalShare m_refusals; // tells a recurring 529 (overload) from a sporadic one (a fault)
    std::deque<std::pair<quint64, qint64>> m_recent; // (seq, tokens) of recent admissions
    quint64 m_seq = 0;
    QString m_waitReason;

    // One outstanding ask to the shared limiter at a time, and at most one unused grant.
    bool m_asking = false;
    qint64 m_askTokens = 0;
    std::optional<std::pair<quint64, qint64>> m_grant; // (ticket id, tokens granted)
    qint64 m_sharedNotBeforeMs = 0;
    double m_publishedRate = -1.0; // what publishServerPace last sent
    double m_publishedBurst = 0.0;
    qint64 m_publishedAtMs = 0;

    QTimer m_wake; // the one timer that admits
    QTimer m_stateTimer; // throttles stateChanged
    qint64 m_lastStateMs = -1;
    bool m_heardBack = false; // until the first response (or the probe's time), one probe at a time...
    qint64 m_probeSentMs = -1; // ...sent then, for this model (probeTimeoutMs)
    QString m_probeModel;
    bool m_inPass = false;
    bool m_passAgain = false;
};

} // namespace gp
