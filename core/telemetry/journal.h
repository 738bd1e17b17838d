#pragma once

#include "core/events/event.h"
#include "core/telemetry/journalconfig.h"
#include "core/telemetry/journalwriter.h"

#include <QObject>
#include <QThread>

namespace gp {

// The request and event journal: SQLite in WAL mode, written in batched transactions by
// a writer on its own thread. append() only queues (no disk on the caller's thread);
// a batch commits every flushIntervalMs (200 ms) or batchSize events. Holds no API key:
// every text is passed through SecretScrubber before it is written.
class Journal final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Journal)

public:
    explicit Journal(QObject *parent = nullptr);
    ~Journal() override;

    // Starts the writer thread and opens (creates, migrates) the file. A corrupt file is
    // moved aside with a warning(). False with *error (one sentence) when unusable.
    bool open(const JournalConfig &config, QString *error = nullptr);
    bool isOpen() const { return m_writer != nullptr; }
    QString path() const { return m_config.path; }
    qint64 runId() const { return m_runId; } // tells runs apart: job ids restart each run

    void append(const Event &event);
    // Blocks until everything queued so far is committed (shutdown, tests).
    bool flush(QString *error = nullptr);
    JournalRotation rotate(qint64 nowMs);
    // Records work left running at the server (batch ids, deferred request ids): blocks until
    // the rows are committed, so nothing that depends on them happens before. False with *error.
    bool recordRemoteWork(const QList<RemoteWork> &rows, QString *error = nullptr);
    quint64 droppedCount() const;
    void close();

Q_SIGNALS:
    void warning(const gp::Event &event); // corrupt file moved aside, rotation, dropped events
    void writeFailed(const QString &error); // disk full, read-only, I/O error

private:
    JournalConfig m_config;
    qint64 m_runId = 0;
    QThread m_thread;
    JournalWriter *m_writer = nullptr; // lives on m_thread, deleted there
};

} // namespace gp
