#include "app/batch/xaibatchrunner.h"

#include "core/client/responsesreader.h"
#include "core/wire/batchresultpage.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr int ResultsPageSize = 100;

} // namespace

// Reading results: a pass pages from where the last one ended (the last page may have grown)
// to the last page; the batch keeps running meanwhile.
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
                m_batchId, reply.error.isError() ? XaiBatchRunner::errorText(reply) : error));
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
        endPass(
            u"the results of batch %1 repeat a page (pagination_token %2 came twice): stopped paging"_s.arg(
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

} // namespace gp
