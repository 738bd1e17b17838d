#pragma once

#include "app/batch/batchoptions.h"
#include "app/batch/batchstats.h"
#include "app/batch/giveuprule.h"
#include "app/batch/outputwriter.h"
#include "app/batch/signalwatcher.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace gp {

class BatchDriver;
class BatchTelemetry;
class Client;
class Engine;
class InputReader;
class ProgressReporter;
class ResultCommitter;
class Scheduler;
struct EngineConfig;

// Everything one `grokpulse batch` run needs, set up from its options: the Engine (client,
// pacer, Redis, telemetry and the --simulate simulator), resume state, input and output,
// progress and signals. setUp() checks every option and opens every resource before
// the output is touched; start() runs on the event loop. Quits the application with
// the exit code when done.
class BatchSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchSession)

public:
    explicit BatchSession(const BatchOptions &options, QObject *parent = nullptr);
    ~BatchSession() override;

    // 0 when ready to start; otherwise the exit code, after a message on stderr.
    int setUp();
    void start();

private:
    int resolveKey();
    EngineConfig engineConfig() const;
    int readJournalResume();
    int startEngine(const EngineConfig &config);
    int openOutput();
    void createRunner();
    void onSignal(int signalNumber, int count);
    void onWriteFailed(const QString &message);
    void checkGiveUp();
    void onFinished(int exitCode);
    bool writeSummary(int exitCode);
    int fail(int exitCode, const QString &message) const;
    void warn(const QString &message) const; // stderr unless --quiet

    BatchOptions m_options;
    QString m_apiKey; // never printed
    QString m_keySource;
    std::unique_ptr<Engine> m_engine;
    Client *m_client = nullptr; // the engine's
    Scheduler *m_scheduler = nullptr; // the engine's
    std::unique_ptr<BatchTelemetry> m_telemetry; // over the engine's Telemetry, when it has one
    std::unique_ptr<InputReader> m_reader;
    std::unique_ptr<ResultCommitter> m_results;
    std::unique_ptr<BatchDriver> m_runner; // BatchRunner, or a --via runner
    std::unique_ptr<ProgressReporter> m_progress;
    OutputWriter m_writer;
    BatchStats m_stats;
    SignalWatcher m_signals;
    GiveUpRule m_giveUp;
    QTimer m_giveUpTimer;
    QSet<QString> m_resumeOutput;
    QSet<QString> m_resumeJournal;
    qint64 m_totalLines = 0;
    QElapsedTimer m_clock;
    bool m_done = false;
};

} // namespace gp
