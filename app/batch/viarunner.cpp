#include "app/batch/viarunner.h"

#include "app/batch/inputreader.h"
#include "app/batch/outputwriter.h"
#include "app/batch/resultcommitter.h"
#include "core/client/client.h"
#include "core/telemetry/journal.h"
#include "core/telemetry/runid.h"
#include "core/wire/costmodel.h"

#include <QFileInfo>

#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

ViaRunner::ViaRunner(const BatchOptions &options, Client *client, InputReader *reader,
                     ResultCommitter *results, Journal *journal, QObject *parent)
    : BatchDriver(parent)
    , m_options(options)
    , m_client(client)
    , m_results(results)
    , m_reader(reader)
    , m_journal(journal)
{
    m_readTimer.setSingleShot(true);
    m_readTimer.setInterval(20);
    connect(&m_readTimer, &QTimer::timeout, this, &ViaRunner::readLines);
}

ViaRunner::~ViaRunner() = default;

void ViaRunner::start()
{
    m_clock.start();
    if (!openState())
        return;
    QMetaObject::invokeMethod(this, &ViaRunner::readLines, Qt::QueuedConnection);
}

bool ViaRunner::openState()
{
    const QString stateFile = ViaState::pathFor(m_options.outputPath);
    std::unique_ptr<ViaStore> store;
    if (m_journal)
        store = std::make_unique<JournalViaStore>(m_journal, m_journal->path(), m_options.outputPath,
                                                  stateFile);
    else
        store = std::make_unique<ViaFileStore>(stateFile);
    ViaState::Where where;
    where.via = m_options.via == BatchOptions::Via::XaiBatch ? u"xai-batch"_s : u"deferred"_s;
    where.inputPath = m_options.inputPath == "-"_L1 ? m_options.inputPath
                                                    : QFileInfo(m_options.inputPath).absoluteFilePath();
    where.outputPath = QFileInfo(m_options.outputPath).absoluteFilePath();
    where.runId = m_journal ? m_journal->runId() : nextRunId();
    QString error;
    if (!m_state.open(std::move(store), where, m_options.resume, &error)) {
        note(error);
        finishRun(error.contains("rerun with --journal"_L1) ? 2 : 4);
        return false;
    }
    return true;
}

void ViaRunner::readLines()
{
    while (!m_stopping) {
        const std::optional<InputLine> line = m_reader->next();
        if (!line)
            break;
        handleLine(*line);
    }
    if (m_stopping)
        return;
    if (!m_reader->atEnd()) {
        m_readTimer.start(); // a stream with nothing yet
        return;
    }
    if (m_pending.isEmpty()) {
        finishRun(m_unsuccessful > 0 ? 1 : 0);
        return;
    }
    begin();
}

void ViaRunner::handleLine(const InputLine &line)
{
    if (!line.valid) {
        ++m_unsuccessful;
        Outcome outcome;
        outcome.error = Error {
            ErrorClass::BadRequest, 0, {}, u"input line %1: %2"_s.arg(line.lineNumber).arg(line.error)
        };
        m_results->add(
            OutputWriter::errorLine(line.customId, line.lineNumber, JobStatus::Failed, outcome.error),
            outcome, false);
        return;
    }
    if (answerResumed(line, m_results))
        return;
    m_pending.insert(line.customId, line);
}

void ViaRunner::callWithRetry(const QByteArray &verb, const QString &path, const QByteArray &body,
                              ReplyHandler done, int maxAttempts, int attempt)
{
    ApiCall *call = m_client->call(verb, path, body);
    connect(call, &ApiCall::finished, this,
            [this, verb, path, body, done = std::move(done), maxAttempts, attempt](const ApiReply &reply) {
                if (reply.error.errorClass == ErrorClass::Authentication && m_authError.isEmpty())
                    m_authError = reply.error.message;
                if (!reply.retriable || attempt >= maxAttempts || m_finished) {
                    done(reply);
                    return;
                }
                const qint64 backoff = std::min<qint64>(200LL << std::min(attempt, 7), 20000);
                const qint64 delay
                    = reply.retryAfterMs >= 0 ? std::min<qint64>(reply.retryAfterMs, 60000) : backoff;
                QTimer::singleShot(std::chrono::milliseconds(delay), this, [=, this] {
                    callWithRetry(verb, path, body, done, maxAttempts, attempt + 1);
                });
            });
}

Outcome ViaRunner::successOutcome(const ChatResponse &response, const QByteArray &body) const
{
    Outcome outcome;
    outcome.status = JobStatus::Succeeded;
    outcome.response = response;
    outcome.responseBody = body;
    outcome.httpStatus = 200;
    outcome.attempts = 1;
    outcome.latencyMs = m_clock.elapsed();
    return outcome;
}

void ViaRunner::writeResult(const QString &customId, Outcome outcome)
{
    const auto found = m_pending.constFind(customId);
    if (found == m_pending.constEnd())
        return; // written already (a repeated result): one line per input line
    const InputLine line = *found;
    const qint64 lineNumber = line.lineNumber;
    m_pending.erase(found);
    if (outcome.isSuccess()) {
        const Usage &usage = outcome.response.usage;
        const ModelPrice price
            = CostModel::listPrice(outcome.response.model).value_or(CostModel::fallbackPrice());
        m_liveListUsd += CostModel::priceUsage(usage, price);
        m_costUsd += CostModel::costOf(usage, outcome.response.model).usd;
    } else {
        ++m_unsuccessful;
    }
    if (outcome.latencyMs == 0)
        outcome.latencyMs = m_clock.elapsed();
    m_results->add(OutputWriter::outcomeLine(customId, lineNumber, outcome), outcome, false);
    if (!m_stateFailed)
        stateWriteOk(m_state.recordWritten(line)); // after the line: the output is what a resume trusts
}

void ViaRunner::writeError(const QString &customId, JobStatus status, const Error &error)
{
    Outcome outcome;
    outcome.status = status;
    outcome.error = error;
    writeResult(customId, outcome);
}

void ViaRunner::failPending(JobStatus status, const Error &error)
{
    QList<InputLine> lines = m_pending.values();
    std::sort(lines.begin(), lines.end(),
              [](const InputLine &a, const InputLine &b) { return a.lineNumber < b.lineNumber; });
    for (const InputLine &line : lines)
        writeError(line.customId, status, error);
}

void ViaRunner::stop(const QString &why)
{
    if (m_finished || m_stopping)
        return;
    m_stopping = true;
    m_readTimer.stop();
    onStop(why);
}

void ViaRunner::stopNow(const QString &why, int exitCode, ErrorClass asClass)
{
    if (m_finished)
        return;
    m_stopping = true;
    failPending(asClass == ErrorClass::Cancelled ? JobStatus::Cancelled : JobStatus::Failed,
                Error { asClass, 0, {}, u"not finished: "_s + why });
    finishRun(exitCode);
}

void ViaRunner::abort()
{
    stopNow(u"a second signal stopped the run at once"_s, 130);
}

bool ViaRunner::stateWriteOk(bool ok)
{
    if (ok)
        return true;
    if (!m_stateFailed) {
        m_stateFailed = true;
        note(m_state.errorString());
        stopNow(u"the state (%1) is not writable"_s.arg(m_state.storeName()), 4);
    }
    return false;
}

void ViaRunner::finishRun(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    m_stopping = true;
    if (exitCode == 0 && m_unsuccessful > 0)
        exitCode = 1;
    if (!m_authError.isEmpty() && exitCode == 1)
        exitCode = 3;
    QMetaObject::invokeMethod(
        this, [this, exitCode] { Q_EMIT finished(exitCode); }, Qt::QueuedConnection);
}

void ViaRunner::note(const QString &message) const
{
    if (!m_options.quiet)
        QTextStream(stderr) << "batch: " << message << '\n';
}

} // namespace gp
