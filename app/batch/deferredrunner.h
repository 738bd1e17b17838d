#pragma once

#include "app/batch/viarunner.h"

#include <QMultiMap>
#include <QPointer>
#include <QTimer>

namespace gp {

class RequestJob;

// --via deferred: each chat line is submitted with "deferred": true through the client
// (paced, retried and classified like a live call: the same rate limit), its request id
// recorded in the state file before it is polled; each id is polled with backoff until
// 200 (fetched once, written at once), 404 (gone) or its --deadline. On --resume the
// recorded ids are polled again instead of being submitted twice.
class DeferredRunner final : public ViaRunner
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeferredRunner)

public:
    using ViaRunner::ViaRunner;
    ~DeferredRunner() override;

private:
    struct Poll
    {
        QString requestId;
        qint64 delayMs = 0;
        qint64 deadlineMs = 0; // m_clock time; 0 = none
    };

    void begin() override;
    void onStop(const QString &why) override;
    void submitMore();
    void onSubmitted(const QString &customId, const Outcome &outcome);
    void schedule(const QString &customId, qint64 inMs);
    void pollDue();
    void poll(const QString &customId);
    void onPolled(const QString &customId, const ApiReply &reply);
    void armTimer();
    void maybeDone();

    QStringList m_toSubmit; // in line order
    int m_nextSubmit = 0;
    QHash<QString, QPointer<RequestJob>> m_submitting; // the jobs delete themselves after finished()
    QHash<QString, Poll> m_polls; // submitted, not fetched
    QMultiMap<qint64, QString> m_due; // m_clock time -> custom id
    int m_pollsInFlight = 0;
    QTimer m_timer;
};

} // namespace gp
