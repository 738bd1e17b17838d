#pragma once

#include "app/batch/batchdriver.h"
#include "app/batch/batchoptions.h"
#include "core/client/outcome.h"
#include "core/policy/error.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

class QSocketNotifier;

namespace gp {

class Client;
class InputReader;
class RequestJob;
class ResultCommitter;
struct InputLine;

// Drives one batch run: reads input lines lazily, keeps at most submitWindow() jobs
// ahead of the pacer, hands one result per input line to the committer as each
// finishes, and shuts down cleanly on a signal, a write failure, a dead server or an
// authentication failure. Nothing here owns the client, reader or committer; they
// must outlive the runner. finished() is always emitted from the event loop, never
// from inside start() or a call into the runner.
class BatchRunner final : public BatchDriver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchRunner)

public:
    BatchRunner(const BatchOptions &options, Client *client, InputReader *reader, ResultCommitter *results,
                QObject *parent = nullptr);
    ~BatchRunner() override;

    void start() override;
    // First SIGINT/SIGTERM: submit nothing more, cancel what waits, grace for what runs.
    void stop(const QString &why) override;
    // No grace: cancel everything now, every line left ends as "not sent: <why>", and
    // the run ends with exitCode (write failures, giving up on a dead server). With
    // asClass other than Cancelled, those lines are failed with that class instead.
    void stopNow(const QString &why, int exitCode, ErrorClass asClass = ErrorClass::Cancelled) override;
    // Second signal: cancel everything now and finish (exit 130).
    void abort() override;

    bool isFinished() const { return m_finished; }
    int exitCode() const;
    QString authenticationError() const override; // the first authentication failure, if any

private:
    enum class Mode { Running, Stopping };

    void pump();
    void pumpLines();
    void drainLines();
    bool noLineYet(); // a stream has nothing now: wait for it (or, stopping, stop reading)
    void handleLine(const InputLine &line);
    void submit(const InputLine &line);
    void onJobFinished(RequestJob *job, const Outcome &outcome);
    QString cancelledMessage(const Outcome &outcome) const;
    void cancelWaiting();
    void writeNotSent(const InputLine &line);
    void maybeFinish();

    BatchOptions m_options;
    Client *m_client = nullptr;
    InputReader *m_reader = nullptr;
    ResultCommitter *m_results = nullptr;
    QSocketNotifier *m_inputNotifier = nullptr; // stream input only
    QHash<RequestJob *, qint64> m_jobs; // submitted, not yet finished -> input line number
    Mode m_mode = Mode::Running;
    QString m_stopReason; // why nothing more is sent, e.g. "the run was interrupted by SIGINT"
    QString m_authError;
    qint64 m_unsuccessful = 0; // lines whose result is not a success
    int m_stopExitCode = 0; // set by stopNow() and authentication failures
    ErrorClass m_stopClass = ErrorClass::Cancelled;
    bool m_graceOver = false;
    bool m_interrupted = false; // stopped by a signal: the input may not have been read to its end
    bool m_aborted = false;
    bool m_inPump = false;
    bool m_pumpAgain = false;
    bool m_finished = false;
    bool m_finishQueued = false;
    QTimer m_graceTimer;
    QTimer m_sweepTimer; // while stopping: cancels jobs that went back to waiting (retries)
};

} // namespace gp
