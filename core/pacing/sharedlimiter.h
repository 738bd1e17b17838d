#pragma once

#include "core/wire/quotasnapshot.h"

#include <QObject>

#include <optional>

namespace gp {

// A request/token gate shared with other instances (RedisLimiter). The Scheduler asks
// for one permit at a time for the head of its queue and admits on the answer.
class SharedLimiter : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~SharedLimiter() override = default;

    // True while shared pacing is in force; otherwise the Scheduler paces locally
    // on fallbackShare() of the configured limits.
    virtual bool isShared() const = 0;
    virtual double fallbackShare() const = 0;
    virtual int instanceCount() const = 0; // instances sharing the quota, this one included
    // Asks for one request of `tokens`; answered later by permitGranted or permitDeferred.
    virtual void requestPermit(quint64 ticketId, qint64 tokens) = 0;
    // Usage known after the fact: positive charges, negative refunds.
    virtual void settleTokens(qint64 delta) = 0;
    // What one instance learned, published for all: the request rate and burst the server's
    // quota headers imply (0 = not known), 429 holds (bounded), a learned rate as a cap.
    virtual void publishServerPace(double requestsPerSecond, double burst) = 0;
    virtual void publishHold(qint64 holdMs) = 0;
    virtual void publishLearnedRps(double rps) = 0;
    // The shared learned limit (no quota headers, no configured rate): every instance's
    // attempts sent and quota 429s feed one limit. A loss also holds every instance for holdMs.
    virtual void recordAdmission() = 0;
    virtual void recordLoss(qint64 admittedAgoMs, qint64 holdMs) = 0;
    virtual std::optional<double> learnedRps() const = 0;
    // The largest number of requests any instance has seen remaining (0 = none yet).
    virtual double learnedBurst() const = 0;

Q_SIGNALS:
    void permitGranted(quint64 ticketId);
    void permitDeferred(quint64 ticketId, qint64 retryInMs);
    // Shared mode switched on or off, or another instance published something.
    void sharedChanged();
    // Another instance saw a 429 (or published a hold): wait until then (ms from now).
    void holdRequested(qint64 holdMs);
    // Another instance's view of the server quota.
    void quotaPublished(const gp::QuotaSnapshot &snapshot);
    void warning(const QString &message);
};

} // namespace gp
