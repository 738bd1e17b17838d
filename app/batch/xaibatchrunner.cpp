#include "app/batch/xaibatchrunner.h"

#include "core/client/client.h"
#include "core/wire/batchinfo.h"
#include "core/wire/batchrequestlist.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <unistd.h>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr int MaxItemsPerChunk = 1000;
constexpr int RequestsPageSize = 1000;

// One request of the batch: the live body, never streamed.
BatchRequestItem itemFor(const InputLine &line)
{
    BatchRequestItem item;
    item.batchRequestId = line.customId;
    if (line.isResponses) {
        ResponsesRequest request = line.responses;
        request.stream = false;
        item.kind = BatchRequestItem::Kind::Responses;
        item.body = request.toJsonObject();
    } else {
        ChatRequest request = line.request;
        request.stream = false;
        item.kind = BatchRequestItem::Kind::ChatCompletion;
        item.body = request.toJsonObject();
    }
    return item;
}

} // namespace

XaiBatchRunner::~XaiBatchRunner() = default;

QString XaiBatchRunner::errorText(const ApiReply &reply)
{
    return reply.error.message.isEmpty() ? u"HTTP %1"_s.arg(reply.httpStatus) : reply.error.message;
}

QString XaiBatchRunner::batchPath(const QString &tail) const
{
    return u"batches/"_s + m_batchId + tail;
}

void XaiBatchRunner::begin()
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &XaiBatchRunner::poll);
    if (!m_state.via().isEmpty() && m_state.via() != "xai-batch"_L1) {
        note(
            u"--resume: %1 records a --via %2 run for this output"_s.arg(m_state.storeName(), m_state.via()));
        stopNow(u"the recorded work belongs to another --via"_s, 2);
        return;
    }
    if (!m_state.batchId().isEmpty()) {
        m_batchId = m_state.batchId();
        note(u"reattaching to batch %1 (recorded in %2)"_s.arg(m_batchId, m_state.storeName()));
        listServerRequests({});
        return;
    }
    createBatch();
}

void XaiBatchRunner::createBatch()
{
    const QString name = u"grokpulse "_s + QFileInfo(m_options.outputPath).fileName();
    const QByteArray body = QJsonDocument(QJsonObject { { u"name"_s, name } }).toJson(QJsonDocument::Compact);
    callWithRetry("POST", u"batches"_s, body, [this](const ApiReply &reply) {
        if (isStopping())
            return;
        QString error;
        const std::optional<BatchInfo> info
            = reply.error.isError() ? std::nullopt : parseBatchInfo(reply.body, &error);
        if (!info) {
            failWhole(u"creating the batch"_s, reply);
            return;
        }
        m_batchId = info->batchId;
        if (!stateWriteOk(m_state.recordBatch(m_batchId)))
            return;
        note(u"created batch %1"_s.arg(m_batchId));
        addChunks();
    });
}

// Reattached: what the batch already holds is never offered again (a run that died between
// the server's accept and its own record of it added those).
void XaiBatchRunner::listServerRequests(const QString &token)
{
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(RequestsPageSize));
    if (!token.isEmpty())
        query.addQueryItem(u"pagination_token"_s, token);
    callWithRetry("GET", batchPath(u"/requests?"_s + query.toString(QUrl::FullyEncoded)), {},
                  [this, token](const ApiReply &reply) {
                      if (isStopping())
                          return;
                      if (reply.httpStatus == 404) {
                          failWhole(u"reading batch %1"_s.arg(m_batchId), reply);
                          return;
                      }
                      QString error;
                      const std::optional<BatchRequestList> page
                          = reply.error.isError() ? std::nullopt : parseBatchRequestList(reply.body, &error);
                      if (!page) {
                          note(
                              u"cannot list the requests of batch %1 (%2): adding what is not recorded"_s.arg(
                                  m_batchId, reply.error.isError() ? errorText(reply) : error));
                          recordServerHeld();
                          return;
                      }
                      for (const QString &id : page->batchRequestIds)
                          m_serverHeld.insert(id);
                      m_seenTokens.insert(token);
                      if (page->paginationToken.isEmpty() || m_seenTokens.contains(page->paginationToken))
                          recordServerHeld();
                      else
                          listServerRequests(page->paginationToken);
                  });
}

void XaiBatchRunner::recordServerHeld()
{
    m_seenTokens.clear();
    QList<InputLine> held;
    for (const InputLine &line : std::as_const(m_pending)) {
        if (m_serverHeld.contains(line.customId) && !m_state.wasAdded(line.customId))
            held.append(line);
    }
    if (!held.isEmpty() && !stateWriteOk(m_state.recordAdded(held)))
        return;
    addChunks();
}

void XaiBatchRunner::addChunks()
{
    QList<InputLine> lines = m_pending.values();
    std::sort(lines.begin(), lines.end(),
              [](const InputLine &a, const InputLine &b) { return a.lineNumber < b.lineNumber; });
    QList<BatchRequestItem> items;
    for (const InputLine &line : lines) {
        if (!m_state.wasAdded(line.customId))
            items.append(itemFor(line));
    }
    QStringList oversized;
    m_chunks = chunkBatchRequests(items, qsizetype(m_options.batchChunkBytes), MaxItemsPerChunk, &oversized);
    for (const QString &id : oversized)
        writeError(id, JobStatus::Failed,
                   Error { ErrorClass::RequestTooLarge,
                           0,
                           {},
                           u"request larger than one add-requests call (--batch-chunk-bytes %1)"_s.arg(
                               m_options.batchChunkBytes) });
    m_nextChunk = 0;
    addNextChunk();
}

void XaiBatchRunner::addNextChunk()
{
    if (isStopping())
        return;
    if (m_nextChunk >= m_chunks.size()) {
        m_pollDelayMs = m_options.pollMs;
        m_firstPollMs = m_clock.elapsed();
        poll();
        return;
    }
    const BatchRequestChunk chunk = m_chunks.at(m_nextChunk);
    callWithRetry("POST", batchPath(u"/requests"_s), chunk.body,
                  [this, chunk](const ApiReply &reply) { onAdded(chunk, reply); });
}

void XaiBatchRunner::onAdded(const BatchRequestChunk &chunk, const ApiReply &reply)
{
    if (isStopping())
        return;
    // Added by a run that died before it could record so: the server keeps each id once.
    const bool already = reply.httpStatus == 400 && reply.body.contains("already in the batch");
    if (reply.error.isError() && !already) {
        for (const QString &id : chunk.batchRequestIds)
            writeError(id, JobStatus::Failed,
                       Error { reply.error.errorClass, reply.httpStatus, reply.error.serverCode,
                               u"adding to batch %1 failed: %2"_s.arg(m_batchId, errorText(reply)) });
    } else {
        QList<InputLine> lines;
        for (const QString &id : chunk.batchRequestIds)
            lines.append(m_pending.value(id));
        if (!stateWriteOk(m_state.recordAdded(lines)))
            return;
    }
    ++m_nextChunk;
    addNextChunk();
}

void XaiBatchRunner::schedulePoll()
{
    m_pollTimer.start(std::chrono::milliseconds(m_pollDelayMs));
    m_pollDelayMs = std::min(m_options.pollCapMs, m_pollDelayMs * 3 / 2 + 1);
}

void XaiBatchRunner::poll()
{
    if (isStopping())
        return;
    if (m_pending.isEmpty()) {
        finishRun(0);
        return;
    }
    callWithRetry("GET", batchPath(), {}, [this](const ApiReply &reply) {
        if (isStopping())
            return;
        QString error;
        const std::optional<BatchInfo> info
            = reply.error.isError() ? std::nullopt : parseBatchInfo(reply.body, &error);
        if (!info) {
            failWhole(u"reading batch %1"_s.arg(m_batchId), reply);
            return;
        }
        onPolled(*info);
    });
}

void XaiBatchRunner::onPolled(const BatchInfo &info)
{
    const BatchState &s = info.state;
    const qint64 done = s.numSuccess + s.numError + s.numCancelled;
    QString eta = u"?"_s;
    const qint64 waited = m_clock.elapsed() - m_firstPollMs;
    if (done > 0 && s.numPending > 0)
        eta = u"%1 s"_s.arg((waited * s.numPending / done + 999) / 1000);
    note(
        u"batch %1: %2/%3 done (%4 succeeded, %5 failed, %6 cancelled), %7 pending, %8 lines to write, ETA %9"_s
            .arg(m_batchId)
            .arg(done)
            .arg(s.numRequests)
            .arg(s.numSuccess)
            .arg(s.numError)
            .arg(s.numCancelled)
            .arg(s.numPending)
            .arg(m_pending.size())
            .arg(eta));
    if (info.isDone()) {
        m_cancelled = info.isCancelled();
        startPass(Pass::Final);
    } else if (done > m_doneAtLastPass) {
        m_doneAtLastPass = done;
        startPass(Pass::Running); // collect what is done now; the pass polls again when it ends
    } else {
        schedulePoll();
    }
}

void XaiBatchRunner::failWhole(const QString &what, const ApiReply &reply)
{
    const QString message
        = u"%1 failed: %2"_s.arg(what, reply.error.isError() ? errorText(reply) : u"unreadable answer"_s);
    note(message);
    failPending(JobStatus::Failed,
                Error { reply.error.isError() ? reply.error.errorClass : ErrorClass::MalformedResponse,
                        reply.httpStatus, reply.error.serverCode, message });
    finishRun(authenticationError().isEmpty() ? 1 : 3);
}

void XaiBatchRunner::onStop(const QString &why)
{
    m_pollTimer.stop();
    if (m_batchId.isEmpty()) {
        failPending(JobStatus::Cancelled, Error { ErrorClass::Cancelled, 0, {}, u"not sent: "_s + why });
        finishRun(1);
        return;
    }
    bool cancel = false;
    if (::isatty(STDIN_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1) {
        std::fprintf(stderr, "\nbatch %s keeps running at xAI. Cancel it? [y/N] ", qPrintable(m_batchId));
        char answer[8] = {};
        cancel = std::fgets(answer, sizeof answer, stdin) && (answer[0] == 'y' || answer[0] == 'Y');
    }
    if (!cancel) {
        const QString message
            = u"left running in batch %1 (%2); rerun the same command with --resume to collect it"_s.arg(
                m_batchId, why);
        note(u"batch %1 keeps running; rerun the same command with --resume to collect its results"_s.arg(
            m_batchId));
        failPending(JobStatus::Cancelled, Error { ErrorClass::Cancelled, 0, {}, message });
        finishRun(1);
        return;
    }
    m_client->call("POST", batchPath(u":cancel"_s));
    failPending(
        JobStatus::Cancelled,
        Error { ErrorClass::Cancelled, 0, {}, u"cancelled with batch %1 (%2)"_s.arg(m_batchId, why) });
    finishRun(1);
}

} // namespace gp
