#include "app/batch/xaibatchrunner.h"

#include "core/client/client.h"
#include "core/client/responsesreader.h"
#include "core/wire/batchinfo.h"
#include "core/wire/batchresultpage.h"

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
constexpr int ResultsPageSize = 100;

QString errorText(const ApiReply &reply)
{
    return reply.error.message.isEmpty() ? u"HTTP %1"_s.arg(reply.httpStatus) : reply.error.message;
}

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

QString XaiBatchRunner::batchPath(const QString &tail) const
{
    return u"batches/"_s + m_batchId + tail;
}

void XaiBatchRunner::begin()
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &XaiBatchRunner::poll);
    if (!m_state.via().isEmpty() && m_state.via() != "xai-batch"_L1) {
        note(u"--resume: %1 records a --via %2 run for this output"_s.arg(m_state.storeName(), m_state.via()));
        stopNow(u"the recorded work belongs to another --via"_s, 2);
        return;
    }
    if (!m_state.batchId().isEmpty()) {
        m_batchId = m_state.batchId();
        note(u"reattaching to batch %1 (recorded in %2)"_s.arg(m_batchId, m_state.storeName()));
        addChunks();
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
    note(u"batch %1: %2/%3 done (%4 succeeded, %5 failed, %6 cancelled), %7 pending, %8 lines to write, ETA %9"_s
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

void XaiBatchRunner::startPass(Pass pass)
{
    m_pass = pass;
    m_seenTokens.clear();
    if (pass == Pass::FromStart)
        m_cursor.clear();
    fetchPage(m_cursor);
}

void XaiBatchRunner::fetchPage(const QString &token)
{
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(ResultsPageSize));
    if (!token.isEmpty())
        query.addQueryItem(u"pagination_token"_s, token);
    const QString path = batchPath(u"/results?"_s + query.toString(QUrl::FullyEncoded));
    callWithRetry("GET", path, {}, [this, token](const ApiReply &reply) {
        if (isStopping())
            return;
        QString error;
        const std::optional<BatchResultPage> page
            = reply.error.isError() ? std::nullopt : parseBatchResultPage(reply.body, &error);
        if (!page) {
            if (!token.isEmpty() && reply.httpStatus == 400)
                m_cursor.clear(); // the server no longer knows the token: the next pass starts over
            endPass(u"reading the results of batch %1 failed: %2"_s.arg(
                m_batchId, reply.error.isError() ? errorText(reply) : error));
            return;
        }
        onPage(token, *page);
    });
}

void XaiBatchRunner::onPage(const QString &token, const BatchResultPage &page)
{
    m_seenTokens.insert(token);
    for (const BatchResultItem &item : page.results) {
        if (!m_pending.contains(item.batchRequestId)) {
            if (!m_state.wasAdded(item.batchRequestId))
                m_unknownIds.insert(item.batchRequestId); // a page read again holds written ones: fine
            continue;
        }
        if (item.kind == BatchResultItem::Kind::Error) {
            writeError(item.batchRequestId, JobStatus::Failed,
                       Error { ErrorClass::ServerError, 0, {}, u"batch request failed: "_s + item.error });
            continue;
        }
        const ChatResponse response = item.kind == BatchResultItem::Kind::Responses
            ? ResponsesReader::toChatResponse(item.responses)
            : item.chat;
        writeResult(item.batchRequestId, successOutcome(response, item.rawResponse));
    }
    if (isStopping())
        return; // a state write failed
    if (page.paginationToken.isEmpty()) {
        m_cursor = token; // the last page may grow: read it again next time
        endPass({});
        return;
    }
    if (m_seenTokens.contains(page.paginationToken)) {
        endPass(u"the results of batch %1 repeat a page (pagination_token %2 came twice): stopped paging"_s.arg(
            m_batchId, page.paginationToken.left(80)));
        return;
    }
    m_cursor = token;
    fetchPage(page.paginationToken);
}

void XaiBatchRunner::endPass(const QString &why)
{
    if (m_pass == Pass::Running) {
        if (!why.isEmpty() && !m_notedProblems.contains(why.left(60))) {
            m_notedProblems.insert(why.left(60));
            note(why + u" (the batch still runs: tried again at the next poll)"_s);
        }
        if (m_pending.isEmpty()) {
            finishResults({});
            return;
        }
        schedulePoll();
        return;
    }
    if (m_pass == Pass::Final && why.isEmpty() && !m_pending.isEmpty() && !m_cursor.isEmpty()) {
        startPass(Pass::FromStart);
        return;
    }
    finishResults(why);
}

void XaiBatchRunner::finishResults(const QString &why)
{
    if (!m_unknownIds.isEmpty())
        note(u"%1 results of batch %2 name ids this input does not have: ignored"_s.arg(m_unknownIds.size())
                 .arg(m_batchId));
    if (!why.isEmpty())
        note(why);
    const QString missing = !why.isEmpty() ? why
        : m_cancelled ? u"batch %1 was cancelled before this request ran"_s.arg(m_batchId)
                      : u"batch %1 is done but has no result for this request"_s.arg(m_batchId);
    failPending(
        m_cancelled && why.isEmpty() ? JobStatus::Cancelled : JobStatus::Failed,
        Error { m_cancelled ? ErrorClass::Cancelled : ErrorClass::MalformedResponse, 0, {}, missing });
    note(u"batch %1: cost $%2 (the same results live at list price: $%3)"_s.arg(m_batchId)
             .arg(m_costUsd, 0, 'f', 4)
             .arg(m_liveListUsd, 0, 'f', 4));
    finishRun(m_unsuccessful > 0 ? 1 : 0);
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
