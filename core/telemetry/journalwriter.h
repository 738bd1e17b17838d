#pragma once

#include "core/events/event.h"
#include "core/telemetry/journalconfig.h"
#include "core/telemetry/journaldatabase.h"
#include "core/telemetry/remotework.h"
#include "core/telemetry/sqlitestatement.h"

#include <QMutex>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <vector>

namespace gp {

struct JournalRotation
{
    bool ok = true;
    qint64 deletedEvents = 0;
    qint64 deletedRequests = 0;
    QString error;
};

// Lives on the journal's own thread with its own connection. enqueue() is the only
// method called from other threads; everything else runs on the writer thread.
class JournalWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalWriter)

public:
    JournalWriter(const JournalConfig &config, qint64 runId);
    ~JournalWriter() override;

    // Thread-safe, never touches the disk. False when the queue is full (event dropped).
    bool enqueue(const Event &event);
    quint64 droppedCount() const { return m_droppedTotal.load(); }

    JournalDatabase::Opened open();
    bool flush(QString *error = nullptr);
    JournalRotation rotate(qint64 nowMs);
    // Inserts or updates remote-work rows in one transaction, committed before it returns.
    bool writeRemoteWork(const QList<RemoteWork> &rows, QString *error);
    void close();

Q_SIGNALS:
    void warning(const gp::Event &event);
    void writeFailed(const QString &error);

private:
    bool writeBatch(const std::vector<Event> &batch, QString *error);
    bool writeEvent(const Event &event, QString *error);
    bool writeRequest(const Event &event, QString *error);
    bool deleteRows(const QString &sql, const QVariant &bound, qint64 *deleted, QString *error);
    qint64 usedBytes();
    void reclaimFreePages();
    void reportWarning(const QString &message);
    void scheduleFlush();

    const JournalConfig m_config;
    const qint64 m_runId;
    const QString m_connection;
    QMutex m_mutex;
    std::vector<Event> m_queue; // guarded by m_mutex
    quint64 m_droppedSinceReport = 0; // guarded by m_mutex
    std::atomic<quint64> m_droppedTotal { 0 };
    std::atomic<bool> m_flushPosted { false };
    bool m_open = false;
    QString m_lastFailure;
    QTimer *m_flushTimer = nullptr; // created on the writer thread
    QTimer *m_rotateTimer = nullptr;
    SqliteStatement m_insertEvent;
    SqliteStatement m_upsertRequest;
};

} // namespace gp
