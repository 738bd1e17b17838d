#include "app/batch/batchrunner.h"

#include "app/batch/batchstats.h"
#include "app/batch/inputreader.h"
#include "app/batch/outputwriter.h"
#include "core/client/client.h"

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
                         OutputWriter *writer, BatchStats *stats, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_client(client)
    , m_reader(reader)
    , m_writer(writer)
    , m_stats(stats)
{
    m_graceTimer.setSingleShot(true);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        m_cancelNote = u"cancelled in flight: the %1 s grace after the signal ran out"_s.arg(
            double(m_options.graceMs) / 1000.0);
        m_client->cancelAll();
    });
    m_sweepTimer.setInterval(SweepIntervalMs);
    connect(&m_sweepTimer, &QTimer::timeout, this, &BatchRunner::cancelWaiting);
}

BatchRunner::~BatchRunner() = default;

void BatchRunner::setResumeIds(QSet<QString> inOutput, QSet<QString> inJournalOnly)
{
    m_skip = std::move(inOutput);
    m_journalOnly = std::move(inJournalOnly);
}

void BatchRunner::start()
{
    pump();
}

int BatchRunner::exitCode() const
{
    if (m_aborted)
        return 130;
    if (m_authFailed)
        return 3;
    return m_stats->unsuccessful() == 0 && !m_writer->hasFailed() ? 0 : 1;
}

void BatchRunner::stop(const QString &why)
{
    if (m_mode == Mode::Stopping || m_finished)
        return;
    m_mode = Mode::Stopping;
    m_stopReason = why;
    m_cancelNote = why;
    cancelWaiting();
    m_sweepTimer.start();
    m_graceTimer.start(int(std::clamp<qint64>(m_options.graceMs, 0, 3'600'000)));
    pump();
}

void BatchRunner::abort()
{
    if (m_finished)
        return;
    m_aborted = true;
    m_mode = Mode::Stopping;
    if (m_stopReason.isEmpty())
        m_stopReason = u"not sent: the run was interrupted"_s;
    m_cancelNote = u"cancelled: a second signal stopped the run at once"_s;
    m_client->cancelAll(); // each writes its cancelled line now
    m_finished = true;
    m_sweepTimer.stop();
    m_graceTimer.stop();
    Q_EMIT finished(exitCode());
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
        if (m_mode == Mode::Running)
            pumpLines();
        else
            drainLines();
    } while (m_pumpAgain && !m_finished);
    m_inPump = false;
    maybeFinish();
}

void BatchRunner::pumpLines()
{
    const int window = m_options.submitWindow();
    while (m_mode == Mode::Running && m_jobs.size() < window) {
        const std::optional<InputLine> line = m_reader->next();
        if (!line)
            return;
        handleLine(*line);
    }
}

// Stopping: every line still gets its output line, but nothing more is sent.
void BatchRunner::drainLines()
{
    for (int i = 0; i < DrainLinesPerTurn; ++i) {
        const std::optional<InputLine> line = m_reader->next();
        if (!line)
            return;
        handleLine(*line);
    }
    QTimer::singleShot(0, this, &BatchRunner::pump);
}

void BatchRunner::handleLine(const InputLine &line)
{
    if (!line.valid) {
        const Error error = inputError(line);
        m_writer->writeError(line.customId, JobStatus::Failed, error);
        m_stats->recordError(JobStatus::Failed, error.errorClass);
        return;
    }
    if (m_skip.contains(line.customId)) {
        m_stats->recordSkipped();
        return;
    }
    if (m_journalOnly.contains(line.customId)) {
        m_writer->writeJournalSuccess(line.customId);
        m_stats->recordSkipped();
        return;
    }
    if (m_mode == Mode::Stopping) {
        writeNotSent(line.customId);
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
    RequestJob *job = m_client->submit(line.request, options);
    m_jobs.insert(job);
    connect(job, &RequestJob::finished, this,
            [this, job](const Outcome &outcome) { onJobFinished(job, outcome); });
    if (job->isFinished()) // rejected before we could listen (queue full, too large)
        onJobFinished(job, job->outcome());
}

void BatchRunner::onJobFinished(RequestJob *job, const Outcome &outcome)
{
    if (!m_jobs.remove(job))
        return;
    job->disconnect(this);
    job->deleteLater();
    Outcome written = outcome;
    if (written.status == JobStatus::Cancelled && !m_cancelNote.isEmpty())
        written.error.message = m_cancelNote; // say why we cancelled it, not just that we did
    m_writer->writeOutcome(job->options().customId, written);
    m_stats->recordOutcome(written);
    if (outcome.error.errorClass == ErrorClass::Authentication && !m_authFailed) {
        // Every other request would fail the same way: stop at once, no grace.
        m_authFailed = true;
        m_authError = outcome.error.message;
        m_mode = Mode::Stopping;
        m_stopReason = u"not sent: an earlier request failed authentication"_s;
        m_cancelNote = m_stopReason;
        m_graceTimer.stop();
        m_client->cancelAll();
    }
    if (!m_finished && !m_aborted)
        pump();
}

void BatchRunner::cancelWaiting()
{
    const QSet<RequestJob *> jobs = m_jobs;
    for (RequestJob *job : jobs) {
        if (m_jobs.contains(job) && job->stage() != RequestJob::Stage::InFlight)
            job->cancel();
    }
}

void BatchRunner::writeNotSent(const QString &customId)
{
    const Error error { ErrorClass::Cancelled, 0, {}, m_stopReason };
    m_writer->writeError(customId, JobStatus::Cancelled, error);
    m_stats->recordError(JobStatus::Cancelled, error.errorClass);
}

void BatchRunner::maybeFinish()
{
    if (m_finished || m_inPump || !m_reader->atEnd() || !m_jobs.isEmpty())
        return;
    m_finished = true;
    m_graceTimer.stop();
    m_sweepTimer.stop();
    Q_EMIT finished(exitCode());
}

QString BatchRunner::authenticationError() const
{
    return m_authError;
}

} // namespace gp
