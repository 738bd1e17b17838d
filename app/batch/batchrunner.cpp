#include "app/batch/batchrunner.h"

#include "app/batch/inputreader.h"
#include "app/batch/outputwriter.h"
#include "app/batch/resultcommitter.h"
#include "core/client/client.h"

#include <QSocketNotifier>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr int DrainLinesPerTurn = 2000; // keeps the event loop (and a second signal) responsive
constexpr int SweepIntervalMs = 100;

Error inputError(const InputLine &line)
{
    return Error { ErrorClass::BadRequest, 0, u"invalid_input_line"_s,
                   u"input line %1: %2"_s.arg(line.lineNumber).arg(line.error) };
}

} // namespace

BatchRunner::BatchRunner(const BatchOptions &options, Client *client, InputReader *reader,
                         ResultCommitter *results, QObject *parent)
    : BatchDriver(parent)
    , m_options(options)
    , m_client(client)
    , m_reader(reader)
    , m_results(results)
{
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        m_graceOver = true;
        m_client->cancelAll();
    });
    m_sweepTimer.setInterval(SweepIntervalMs);
    connect(&m_sweepTimer, &QTimer::timeout, this, &BatchRunner::cancelWaiting);
}

BatchRunner::~BatchRunner() = default;

void BatchRunner::start()
{
    if (m_reader->streamFd() >= 0) {
        m_inputNotifier = new QSocketNotifier(m_reader->streamFd(), QSocketNotifier::Read, this);
        m_inputNotifier->setEnabled(false);
        connect(m_inputNotifier, &QSocketNotifier::activated, this, [this] {
            m_inputNotifier->setEnabled(false); // level-triggered: re-armed only when waiting
            pump();
        });
    }
    pump();
}

int BatchRunner::exitCode() const
{
    if (m_aborted)
        return 130;
    if (m_stopExitCode != 0)
        return m_stopExitCode;
    if (m_results->hasFailed())
        return 4;
    return m_unsuccessful == 0 && !m_interrupted ? 0 : 1;
}

void BatchRunner::stop(const QString &why)
{
    if (m_mode == Mode::Stopping || m_finished)
        return;
    m_mode = Mode::Stopping;
    m_stopReason = why;
    m_interrupted = true;
    cancelWaiting();
    m_sweepTimer.start();
    m_graceTimer.start(int(std::clamp<qint64>(m_options.graceMs, 0, 3'600'000)));
    pump();
}

void BatchRunner::stopNow(const QString &why, int exitCode, ErrorClass asClass)
{
    if (m_finished || m_stopExitCode != 0)
        return;
    m_stopExitCode = exitCode;
    m_stopClass = asClass;
    m_stopReason = why;
    m_mode = Mode::Stopping;
    m_graceTimer.stop();
    m_sweepTimer.stop();
    m_client->cancelAll(); // each comes back through onJobFinished
    pump();
}

void BatchRunner::abort()
{
    if (m_finished)
        return;
    m_aborted = true;
    m_mode = Mode::Stopping;
    m_stopReason = u"a second signal stopped the run at once"_s;
    m_client->cancelAll(); // each writes its cancelled line now
    m_reader->stopReading(); // lines not read yet get no line: the user asked to quit now
    m_jobs.clear();
    maybeFinish();
}

// Reads lines while there is room; re-entrant calls (a job finishing synchronously)
// only ask for another round.
void BatchRunner::pump()
{
    if (m_finished)
        return;
    if (m_inPump) {
        m_pumpAgain = true;
        return;
    }
    m_inPump = true;
    do {
        m_pumpAgain = false;
        if (m_aborted)
            break;
        if (m_mode == Mode::Running)
            pumpLines();
        else
            drainLines();
    } while (m_pumpAgain && !m_finished);
    m_inPump = false;
    maybeFinish();
}

bool BatchRunner::noLineYet()
{
    if (m_reader->atEnd())
        return true;
    if (m_mode == Mode::Stopping)
        m_reader->stopReading();
    else if (m_inputNotifier)
        m_inputNotifier->setEnabled(true);
    return true;
}

void BatchRunner::pumpLines()
{
    const int window = m_options.submitWindow();
    while (m_mode == Mode::Running && m_jobs.size() < window) {
        const std::optional<InputLine> line = m_reader->next();
        if (!line) {
            noLineYet();
            return;
        }
        handleLine(*line);
    }
}

// Stopping: every line read gets its output line, but nothing more is sent.
void BatchRunner::drainLines()
{
    for (int i = 0; i < DrainLinesPerTurn; ++i) {
        const std::optional<InputLine> line = m_reader->next();
        if (!line) {
            noLineYet();
            return;
        }
        handleLine(*line);
    }
    QTimer::singleShot(0, this, &BatchRunner::pump);
}

void BatchRunner::handleLine(const InputLine &line)
{
    if (!line.valid) {
        ++m_unsuccessful;
        const Error error = inputError(line);
        Outcome outcome;
        outcome.error = error;
        m_results->add(OutputWriter::errorLine(line.customId, line.lineNumber, JobStatus::Failed, error),
                       outcome, false);
        return;
    }
    if (answerResumed(line, m_results))
        return;
    if (m_mode == Mode::Stopping) {
        writeNotSent(line);
        return;
    }
    submit(line);
}

void BatchRunner::submit(const InputLine &line)
{
    RequestOptions options;
    options.priority = m_options.priority;
    options.deadlineMs = m_options.deadlineMs;
    if (m_options.stream)
        options.stream = true;
    options.customId = line.customId;
    options.maxAttempts = m_options.maxAttempts;
    RequestJob *job = line.isResponses ? m_client->submit(line.responses, options)
                                       : m_client->submit(line.request, options);
    m_jobs.insert(job, line.lineNumber);
    connect(job, &RequestJob::finished, this,
            [this, job](const Outcome &outcome) { onJobFinished(job, outcome); });
}

QString BatchRunner::cancelledMessage(const Outcome &outcome) const
{
    if (outcome.attempts == 0)
        return u"not sent: "_s + m_stopReason;
    const QString attempts = outcome.attempts == 1 ? u"1 attempt"_s : u"%1 attempts"_s.arg(outcome.attempts);
    if (m_graceOver && !m_aborted && m_stopExitCode == 0)
        return u"cancelled in flight after %1: the %2 s grace after the signal ran out"_s.arg(attempts).arg(
            double(m_options.graceMs) / 1000.0);
    return u"%1 after %2: %3"_s.arg(m_stopClass == ErrorClass::Cancelled ? u"cancelled"_s : u"stopped"_s,
                                    attempts, m_stopReason);
}

void BatchRunner::onJobFinished(RequestJob *job, const Outcome &outcome)
{
    const auto it = m_jobs.constFind(job);
    if (it == m_jobs.constEnd())
        return;
    const qint64 lineNumber = it.value();
    m_jobs.erase(it);
    if (!outcome.isSuccess())
        ++m_unsuccessful;
    Outcome written = outcome;
    if (written.status == JobStatus::Cancelled && !m_stopReason.isEmpty()) {
        written.error.message = cancelledMessage(written); // say why we cancelled it, not just that we did
        if (m_stopClass != ErrorClass::Cancelled && !m_aborted) {
            written.status = JobStatus::Failed;
            written.error.errorClass = m_stopClass;
        }
    }
    m_results->add(OutputWriter::outcomeLine(job->options().customId, lineNumber, written), written, true);
    if (outcome.error.errorClass == ErrorClass::Authentication && m_authError.isEmpty()) {
        // Every other request would fail the same way: stop at once, no grace.
        m_authError = outcome.error.message;
        stopNow(u"an earlier request failed authentication"_s, 3);
    }
    if (!m_finished && !m_aborted)
        pump();
}

void BatchRunner::cancelWaiting()
{
    const QList<RequestJob *> jobs = m_jobs.keys();
    for (RequestJob *job : jobs) {
        if (m_jobs.contains(job) && job->stage() != RequestJob::Stage::InFlight)
            job->cancel();
    }
}

void BatchRunner::writeNotSent(const InputLine &line)
{
    ++m_unsuccessful;
    const bool asFailure = m_stopClass != ErrorClass::Cancelled && !m_aborted;
    const Error error {
        asFailure ? m_stopClass : ErrorClass::Cancelled, 0, {}, u"not sent: "_s + m_stopReason
    };
    Outcome outcome;
    outcome.status = asFailure ? JobStatus::Failed : JobStatus::Cancelled;
    outcome.error = error;
    m_results->add(OutputWriter::errorLine(line.customId, line.lineNumber, outcome.status, error), outcome,
                   false);
}

void BatchRunner::maybeFinish()
{
    if (m_finished || m_finishQueued || m_inPump || !m_reader->atEnd() || !m_jobs.isEmpty())
        return;
    // Queued: finished() must reach the session on the running event loop, never inside
    // start() (before exec(), where quitting the application would be lost).
    m_finishQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_finished = true;
            m_graceTimer.stop();
            m_sweepTimer.stop();
            Q_EMIT finished(exitCode());
        },
        Qt::QueuedConnection);
}

QString BatchRunner::authenticationError() const
{
    return m_authError;
}

} // namespace gp
