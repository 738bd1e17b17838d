#include "core/telemetry/runid.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMutex>

namespace gp {

qint64 runIdFrom(qint64 epochMs, qint64 processId, qint64 lastIssued)
{
    const qint64 residue = ((processId % 1000) + 1000) % 1000;
    qint64 id = epochMs * 1000 + residue;
    if (id <= lastIssued)
        id = lastIssued - ((lastIssued % 1000 + 1000) % 1000) + 1000 + residue;
    return id;
}

qint64 nextRunId()
{
    static QMutex mutex;
    static qint64 last = 0;
    const QMutexLocker lock(&mutex);
    last = runIdFrom(QDateTime::currentMSecsSinceEpoch(), QCoreApplication::applicationPid(), last);
    return last;
}

} // namespace gp
