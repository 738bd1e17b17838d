#pragma once

#include "app/batch/batchdriver.h"
#include "app/batch/batchoptions.h"
#include "app/batch/inputline.h"
#include "app/batch/viastate.h"
#include "core/client/apicall.h"
#include "core/client/outcome.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <functional>

namespace gp {

class Client;
class InputReader;
class Journal;
class ResultCommitter;

// What the two asynchronous ways of sending a file share (--via xai-batch, --via
// deferred): read every input line first (errors, resumed and journal-only lines get
// their line at once), keep the crash-safe state file, write one result per pending
// line through the committer, retry API calls that may succeed later, and finish once.
class ViaRunner : public BatchDriver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ViaRunner)

public:
    // journal: the run's journal, the home of the state when given (else OUT.jsonl.via).
    ViaRunner(const BatchOptions &options, Client *client, InputReader *reader, ResultCommitter *results,
              Journal *journal, QObject *parent = nullptr);
    ~ViaRunner() override;

    void start() override;
    void stop(const QString &why) override;
    void stopNow(const QString &why, int exitCode, ErrorClass asClass = ErrorClass::Cancelled) override;
    void abort() override;
    QString authenticationError() const override { return m_authError; }

protected:
    // Every line is read: send what m_pending holds.
    virtual void begin() = 0;
    // A first signal: end gracefully (write the pending lines, say how to resume).
    virtual void onStop(const QString &why) = 0;

    using ReplyHandler = std::function<void(const ApiReply &reply)>;
    // Retries 429s, 5xx, network errors and timeouts with backoff (the server's hint
    // first), up to maxAttempts; hands the last reply to done.
    void callWithRetry(const QByteArray &verb, const QString &path, const QByteArray &body, ReplyHandler done,
                       int maxAttempts = 8, int attempt = 1);
    void writeResult(const QString &customId, Outcome outcome);
    void writeError(const QString &customId, JobStatus status, const Error &error);
    // Writes `status`/`error` for every line still pending (stopping, a fatal batch error).
    void failPending(JobStatus status, const Error &error);
    void finishRun(int exitCode); // once, queued
    void note(const QString &message) const; // stderr unless --quiet
    bool stateWriteOk(bool ok); // false (and stopNow 4, once) when recording the state failed
    Outcome successOutcome(const ChatResponse &response, const QByteArray &body) const;
    bool isStopping() const { return m_stopping; }

    BatchOptions m_options;
    Client *m_client = nullptr;
    ResultCommitter *m_results = nullptr;
    ViaState m_state;
    QHash<QString, InputLine> m_pending; // custom id -> line, until its result is written
    QElapsedTimer m_clock;
    qint64 m_unsuccessful = 0;
    double m_costUsd = 0.0; // what the results cost (the server's figure when it sent one)
    double m_liveListUsd = 0.0; // what the results would have cost at live list prices

private:
    void readLines();
    void handleLine(const InputLine &line);
    bool openState();

    InputReader *m_reader = nullptr;
    Journal *m_journal = nullptr;
    QString m_authError;
    QTimer m_readTimer; // stream input: read again shortly
    bool m_stopping = false;
    bool m_finished = false;
    bool m_stateFailed = false;
};

} // namespace gp
