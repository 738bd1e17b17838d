#pragma once

#include "app/batch/batchoptions.h"
#include "core/client/outcome.h"
#include "core/policy/error.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace gp {

class BatchStats;
class Client;
class InputReader;
class OutputWriter;
class RequestJob;
struct InputLine;

// Drives one batch run: reads input lines lazily, keeps at most submitWindow() jobs
// ahead of the pacer, writes one output line per input line as each finishes, and
// shuts down cleanly on a signal or an authentication failure. Nothing here owns the
// client, reader, writer or stats; they must outlive the runner.
class BatchRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchRunner)

public:
    BatchRunner(const BatchOptions &options, Client *client, InputReader *reader, OutputWriter *writer,
                BatchStats *stats, QObject *parent = nullptr);
    ~BatchRunner() override;

    // Ids already done by an earlier run: skipped. Journal-only ones still get a line.
    void setResumeIds(QSet<QString> inOutput, QSet<QString> inJournalOnly);
    void start();
    // First SIGINT/SIGTERM: submit nothing more, cancel what waits, grace for what runs.
    void stop(const QString &why);
    // Second signal: cancel everything now and finish (exit 130).
    void abort();

    bool isFinished() const { return m_finished; }
    int exitCode() const;
    QString authenticationError() const; // the first authentication failure, if any

Q_SIGNALS:
    void finished(int exitCode);

private:
    enum class Mode { Running, Stopping };

    void pump();
    void pumpLines();
    void drainLines();
    void handleLine(const InputLine &line);
    void submit(const InputLine &line);
    void onJobFinished(RequestJob *job, const Outcome &outcome);
    void cancelWaiting();
    void writeNotSent(const QString &customId);
    void maybeFinish();

    BatchOptions m_options;
    Client *m_client = nullptr;
    InputReader *m_reader = nullptr;
    OutputWriter *m_writer = nullptr;
    BatchStats *m_stats = nullptr;
    QSet<QString> m_skip; // already succeeded in the output
    QSet<QString> m_journalOnly; // succeeded per the journal, not in the output
    QSet<RequestJob *> m_jobs; // submitted, not yet finished
    Mode m_mode = Mode::Running;
    QString m_stopReason; // "not sent: ..." for lines drained while stopping
    QString m_cancelNote; // why jobs we cancel were cancelled
    QString m_authError;
    bool m_authFailed = false;
    bool m_aborted = false;
    bool m_inPump = false;
    bool m_pumpAgain = false;
    bool m_finished = false;
    QTimer m_graceTimer;
    QTimer m_sweepTimer; // while stopping: cancels jobs that went back to waiting (retries)
};

} // namespace gp
