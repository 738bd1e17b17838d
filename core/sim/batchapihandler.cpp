#include "core/sim/batchapihandler.h"

#include "core/sim/chatcallparser.h"
#include "core/sim/completionsynth.h"
#include "core/sim/responsesshape.h"
#include "core/sim/simerrors.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp::sim {

namespace {

constexpr int kDefaultPageLimit = 100;
constexpr int kMaxPageLimit = 1000;

SimResponse json(const QJsonObject &object)
{
    SimResponse r;
    r.headers.append(SimHeader { "Content-Type", "application/json" });
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

QString isoNow(qint64 offsetS = 0)
{
    return QDateTime::currentDateTimeUtc().addSecs(offsetS).toString(Qt::ISODateWithMs);
}

SimResponse notFound()
{
    return SimErrors::flat(404, u"Batch not found"_s);
}

// The chat.completion a batch request gets, or the error message it finishes with.
QJsonObject completeChat(const QByteArray &chatBody, const QString &id, int words, double priceFactor,
                         QString *error)
{
    HttpRequest chat;
    chat.method = "POST";
    chat.path = "/v1/chat/completions";
    chat.headers.append(SimHeader { "content-type", "application/json" });
    chat.body = chatBody;
    ChatCall call;
    if (std::optional<SimResponse> invalid = ChatCallParser::parse(chat, &call)) {
        const QJsonObject body = QJsonDocument::fromJson(invalid->body).object();
        *error = body.value("error"_L1).toString(u"invalid batch request"_s);
        return {};
    }
    const Completion c = CompletionSynth::complete(*call.model, call.prompt, words, 1, call.maxTokens, false);
    QJsonObject completion
        = QJsonDocument::fromJson(
              CompletionSynth::responseBody(id, QDateTime::currentSecsSinceEpoch(), *call.model, c))
              .object();
    QJsonObject usage = completion.value("usage"_L1).toObject();
    if (usage.contains("cost_in_usd_ticks"_L1)) // batch pricing
        usage.insert("cost_in_usd_ticks"_L1,
                     qint64(double(usage.value("cost_in_usd_ticks"_L1).toInteger()) * priceFactor + 0.5));
    completion.insert("usage"_L1, usage);
    return completion;
}

} // namespace

SimResponse BatchApiHandler::handle(const HttpRequest &request)
{
    const QByteArray rest = request.path.mid(int(qstrlen("/v1/batches")));
    if (rest.isEmpty()) {
        if (request.method == "GET")
            return list();
        if (request.method != "POST")
            return SimErrors::flat(
                405, u"Method %1 is not allowed on /v1/batches"_s.arg(QString::fromLatin1(request.method)));
        return create(request);
    }
    QByteArray tail = rest.mid(1); // after the '/'
    QByteArray action;
    if (tail.endsWith(":cancel")) {
        action = ":cancel";
        tail.chop(7);
    } else if (const qsizetype slash = tail.indexOf('/'); slash >= 0) {
        action = tail.mid(slash + 1);
        tail.truncate(slash);
    }
    const QString id = QString::fromUtf8(QByteArray::fromPercentEncoding(tail));
    auto batch = m_state.async.batches.find(id);
    if (batch == m_state.async.batches.end())
        return notFound();
    if (action == "requests" && request.method == "GET")
        return requestList(*batch, request);
    const QByteArray wanted = action.isEmpty() || action == "results" ? "GET" : "POST";
    if (request.method != wanted
        || (!action.isEmpty() && action != "results" && action != "requests" && action != ":cancel"))
        return SimErrors::flat(405,
                               u"Method %1 is not allowed here"_s.arg(QString::fromLatin1(request.method)));
    if (action.isEmpty())
        return json(batchObject(*batch));
    if (action == ":cancel")
        return cancel(*batch);
    if (action == "requests")
        return addRequests(*batch, request);
    return results(*batch, request);
}

SimResponse BatchApiHandler::create(const HttpRequest &request)
{
    const qint64 now = m_state.nowMs();
    if (now - m_state.async.lastBatchCreateMs < m_state.scenario.async.batchCreateIntervalMs)
        return SimErrors::flat(
            429, u"Too many batches created: at most one batch creation per second per team."_s);
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    if (!body.value("name"_L1).isString())
        return SimErrors::flat(400, u"A batch needs a name (a string)."_s);
    m_state.async.lastBatchCreateMs = now;
    SimBatch batch;
    batch.id = u"batch_%1-%2"_s.arg(qulonglong(m_state.seed & 0xffffffff), 8, 16, QChar(u'0'))
                   .arg(qulonglong(m_state.async.nextId++), 12, 16, QChar(u'0'));
    batch.name = body.value("name"_L1).toString().left(200);
    batch.createdAtMs = now;
    batch.createTime = isoNow();
    const QString id = batch.id;
    m_state.async.batches.insert(id, std::move(batch));
    return json(batchObject(m_state.async.batches.value(id)));
}

SimResponse BatchApiHandler::list() const
{
    QList<const SimBatch *> batches;
    for (const SimBatch &batch : m_state.async.batches)
        batches.append(&batch);
    std::sort(batches.begin(), batches.end(),
              [](const SimBatch *a, const SimBatch *b) { return a->createdAtMs < b->createdAtMs; });
    QJsonArray array;
    for (const SimBatch *batch : batches)
        array.append(batchObject(*batch));
    return json(QJsonObject { { "batches"_L1, array }, { "pagination_token"_L1, QJsonValue() } });
}

// One page of batch_request_metadata; `sim_times_added` (the simulator's own) says in how many
// add calls the id came, so tests can tell a request offered twice.
SimResponse BatchApiHandler::requestList(const SimBatch &batch, const HttpRequest &request) const
{
    const QUrlQuery query(QString::fromUtf8(request.query));
    const int limit = std::clamp(query.hasQueryItem(u"limit"_s) ? query.queryItemValue(u"limit"_s).toInt()
                                                                : kDefaultPageLimit,
                                 1, kMaxPageLimit);
    const QString token = query.queryItemValue(u"pagination_token"_s);
    bool ok = token.isEmpty();
    const qsizetype offset = token.isEmpty() ? 0 : token.mid(1).toLongLong(&ok);
    if (!ok || offset < 0 || (!token.isEmpty() && !token.startsWith(u'r')))
        return SimErrors::flat(400, u"Invalid pagination_token"_s);
    const qint64 now = m_state.nowMs();
    QJsonArray array;
    const qsizetype end = std::min<qsizetype>(batch.requests.size(), offset + limit);
    for (qsizetype i = offset; i < end; ++i) {
        const BatchEntry &entry = batch.requests.at(i);
        const QString state = entry.cancelled ? u"cancelled"_s
            : entry.finishAtMs > now          ? u"pending"_s
            : entry.fail                      ? u"failed"_s
                                              : u"succeeded"_s;
        array.append(
            QJsonObject { { "batch_request_id"_L1, entry.batchRequestId },
                          { "endpoint"_L1, entry.responses ? u"/v1/responses"_s : u"/v1/chat/completions"_s },
                          { "state"_L1, state },
                          { "sim_times_added"_L1, batch.timesOffered.value(entry.batchRequestId) } });
    }
    const QJsonValue next = end < batch.requests.size() ? QJsonValue(u"r%1"_s.arg(end)) : QJsonValue();
    return json(QJsonObject { { "batch_request_metadata"_L1, array }, { "pagination_token"_L1, next } });
}

SimResponse BatchApiHandler::addRequests(SimBatch &batch, const HttpRequest &request)
{
    const qint64 now = m_state.nowMs();
    QList<qint64> &calls = m_state.async.recentAddCalls;
    calls.erase(std::remove_if(calls.begin(), calls.end(), [now](qint64 t) { return now - t >= 30000; }),
                calls.end());
    if (calls.size() >= m_state.scenario.async.batchAddCallsPer30s)
        return SimErrors::flat(
            429,
            u"Too many add-batch-requests calls: at most %1 every 30 seconds per team."_s.arg(
                m_state.scenario.async.batchAddCallsPer30s));
    if (!batch.cancelTime.isEmpty())
        return SimErrors::flat(400, u"Batch %1 is cancelled: it accepts no more requests."_s.arg(batch.id));
    const QJsonValue list = QJsonDocument::fromJson(request.body).object().value("batch_requests"_L1);
    if (!list.isArray())
        return SimErrors::flat(400, u"The body needs a batch_requests array."_s);
    const QJsonArray items = list.toArray();
    for (const QJsonValue &item : items)
        ++batch.timesOffered[item.toObject().value("batch_request_id"_L1).toString()];
    QList<BatchEntry> added;
    QSet<QString> seen;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        const QJsonObject inner = item.value("batch_request"_L1).toObject();
        const bool chat = inner.value("chat_get_completion"_L1).isObject();
        const bool responses = inner.value("responses"_L1).isObject();
        if (chat == responses)
            return SimErrors::flat(
                400,
                u"batch_requests[%1].batch_request needs one of chat_get_completion or responses"_s.arg(i));
        BatchEntry entry;
        const QJsonValue id = item.value("batch_request_id"_L1);
        entry.batchRequestId = id.isString() ? id.toString() : u"req_%1"_s.arg(m_state.async.nextId++);
        if (batch.indexById.contains(entry.batchRequestId) || seen.contains(entry.batchRequestId))
            return SimErrors::flat(
                400,
                u"batch_request_id \"%1\" is already in the batch"_s.arg(entry.batchRequestId.left(100)));
        seen.insert(entry.batchRequestId);
        entry.responses = responses;
        entry.body
            = QJsonDocument(inner.value(responses ? "responses"_L1 : "chat_get_completion"_L1).toObject())
                  .toJson(QJsonDocument::Compact);
        entry.finishAtMs = now + qint64(m_state.rng.uniform() * m_state.scenario.async.batchCompletionMs) + 1;
        entry.fail = m_state.rng.uniform() < m_state.scenario.async.batchErrorRate;
        entry.failMessage = m_state.scenario.async.batchErrorMessage;
        added.append(std::move(entry));
    }
    calls.append(now);
    for (BatchEntry &entry : added) {
        batch.indexById.insert(entry.batchRequestId, batch.requests.size());
        batch.requests.append(std::move(entry));
    }
    return json(QJsonObject());
}

SimResponse BatchApiHandler::cancel(SimBatch &batch)
{
    if (batch.cancelTime.isEmpty()) {
        batch.cancelTime = isoNow();
        const qint64 now = m_state.nowMs();
        for (BatchEntry &entry : batch.requests) {
            if (entry.finishAtMs > now)
                entry.cancelled = true;
        }
    }
    return json(batchObject(batch));
}

QJsonObject BatchApiHandler::batchObject(const SimBatch &batch) const
{
    const qint64 now = m_state.nowMs();
    qint64 pending = 0, success = 0, error = 0, cancelled = 0;
    for (const BatchEntry &entry : batch.requests) {
        if (entry.cancelled)
            ++cancelled;
        else if (entry.finishAtMs > now)
            ++pending;
        else if (entry.fail || !resultOf(entry).value("batch_result"_L1).toObject().contains("response"_L1))
            ++error;
        else
            ++success;
    }
    return QJsonObject {
        { "batch_id"_L1, batch.id },
        { "name"_L1, batch.name },
        { "create_time"_L1, batch.createTime },
        { "expire_time"_L1,
          QDateTime::currentDateTimeUtc()
              .addMSecs(batch.createdAtMs - now + 86'400'000)
              .toString(Qt::ISODateWithMs) },
        { "create_api_key_id"_L1, u"sim-key"_s },
        { "cancel_time"_L1, batch.cancelTime.isEmpty() ? QJsonValue() : QJsonValue(batch.cancelTime) },
        { "cancel_by_xai_message"_L1, QJsonValue() },
        { "state"_L1,
          QJsonObject { { "num_requests"_L1, qint64(batch.requests.size()) },
                        { "num_pending"_L1, pending },
                        { "num_success"_L1, success },
                        { "num_error"_L1, error },
                        { "num_cancelled"_L1, cancelled } } },
    };
}

QJsonObject BatchApiHandler::resultOf(const BatchEntry &entry) const
{
    if (entry.result.isEmpty())
        entry.result = computeResult(entry);
    return entry.result;
}

QJsonObject BatchApiHandler::computeResult(const BatchEntry &entry) const
{
    const auto failure = [&](const QString &message) {
        return QJsonObject { { "batch_request_id"_L1, entry.batchRequestId },
                             { "batch_result"_L1, QJsonObject { { "error"_L1, message } } } };
    };
    if (entry.fail)
        return failure(entry.failMessage);
    const QJsonObject body = QJsonDocument::fromJson(entry.body).object();
    const QString id = u"batch-"_s + entry.batchRequestId.left(60);
    QString error;
    QByteArray chatBody = entry.body;
    if (entry.responses) {
        const std::optional<QJsonArray> messages = ResponsesShape::messages(body, {}, &error);
        if (!messages)
            return failure(error);
        chatBody = ResponsesShape::chatBody(body, *messages, false);
    }
    const QJsonObject completion = completeChat(chatBody, id, m_state.scenario.completionWords,
                                                m_state.scenario.async.batchPriceFactor, &error);
    if (!error.isEmpty())
        return failure(error);
    const QJsonObject response = entry.responses
        ? QJsonObject { { "responses"_L1,
                          ResponsesShape::fromChatCompletion(completion, u"resp_"_s + id, {},
                                                             body.value("store"_L1).toBool(false)) } }
        : QJsonObject { { "chat_get_completion"_L1, completion } };
    return QJsonObject { { "batch_request_id"_L1, entry.batchRequestId },
                         { "batch_result"_L1, QJsonObject { { "response"_L1, response } } } };
}

SimResponse BatchApiHandler::results(const SimBatch &batch, const HttpRequest &request)
{
    const QUrlQuery query(QString::fromUtf8(request.query));
    const int limit = std::clamp(query.hasQueryItem(u"limit"_s) ? query.queryItemValue(u"limit"_s).toInt()
                                                                : kDefaultPageLimit,
                                 1, kMaxPageLimit);
    const QString token = query.queryItemValue(u"pagination_token"_s);
    qsizetype offset = 0;
    if (!token.isEmpty()) {
        bool ok = false;
        offset = token.startsWith(u'p') ? token.mid(1).toLongLong(&ok) : -1;
        if (!ok || offset < 0)
            return SimErrors::flat(400, u"Invalid pagination_token"_s);
    }
    // Finished requests in the order they finished: a page token stays valid while more finish.
    const qint64 now = m_state.nowMs();
    QList<const BatchEntry *> finished;
    for (const BatchEntry &entry : batch.requests) {
        if (!entry.cancelled && entry.finishAtMs <= now)
            finished.append(&entry);
    }
    std::stable_sort(finished.begin(), finished.end(),
                     [](const BatchEntry *a, const BatchEntry *b) { return a->finishAtMs < b->finishAtMs; });
    QJsonArray page;
    const qsizetype end = std::min<qsizetype>(finished.size(), offset + limit);
    for (qsizetype i = offset; i < end; ++i)
        page.append(resultOf(*finished.at(i)));
    if (m_state.scenario.async.batchUnknownResult)
        page.append(QJsonObject { { "batch_request_id"_L1, u"sim-never-added"_s },
                                  { "batch_result"_L1, QJsonObject { { "error"_L1, u"unknown"_s } } } });
    QJsonValue next;
    if (m_state.scenario.async.batchRepeatPage)
        next = token.isEmpty() ? u"p0"_s : token;
    else if (end < finished.size())
        next = u"p%1"_s.arg(end);
    return json(QJsonObject { { "results"_L1, page }, { "pagination_token"_L1, next } });
}

} // namespace gp::sim
