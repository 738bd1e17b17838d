#include "core/sim/deferredhandler.h"

#include "core/sim/chathandler.h"
#include "core/sim/simerrors.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gp::sim {

bool DeferredHandler::isDeferred(const HttpRequest &request)
{
    return request.body.contains("deferred")
        && QJsonDocument::fromJson(request.body).object().value("deferred"_L1).toBool(false);
}

SimResponse DeferredHandler::submit(const HttpRequest &request, const QByteArray &requestId)
{
    QJsonObject body = QJsonDocument::fromJson(request.body).object();
    body.remove("deferred"_L1);
    body.remove("stream"_L1); // the stored result is a whole completion
    body.remove("stream_options"_L1);
    HttpRequest chat = request;
    chat.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    SimResponse r = ChatHandler(m_state).handle(chat, requestId);
    if (r.status != 200 || r.resetBeforeHeaders)
        return r; // refused as a chat request would be (the same rate limit)
    const qint64 now = m_state.nowMs();
    const int readyIn = m_state.scenario.async.deferredReadyMs >= 0 ? m_state.scenario.async.deferredReadyMs
                                                                    : r.delayBeforeHeadersMs;
    // A UUID-shaped id, unique per server run.
    const quint64 serial = m_state.async.nextId++;
    const QString id = u"%1-%2-4000-8000-%3"_s.arg(qulonglong(m_state.seed & 0xffffffff), 8, 16, QChar(u'0'))
                           .arg(qulonglong(serial >> 48 & 0xffff), 4, 16, QChar(u'0'))
                           .arg(qulonglong(serial & 0xffffffffffff), 12, 16, QChar(u'0'));
    m_state.async.deferred.insert(
        id, DeferredEntry { now + readyIn, now + m_state.scenario.async.deferredExpiryS * 1000, r.body });
    SimResponse answer;
    answer.headers = r.headers;
    answer.body = QJsonDocument(QJsonObject { { "request_id"_L1, id } }).toJson(QJsonDocument::Compact);
    answer.resetAfterHeaders = r.resetAfterHeaders; // a transport fault still hits the submission
    answer.truncateBody = r.truncateBody;
    return answer;
}

SimResponse DeferredHandler::fetch(const QString &id)
{
    const qint64 now = m_state.nowMs();
    auto it = m_state.async.deferred.find(id);
    if (it != m_state.async.deferred.end() && now >= it->expiresAtMs) {
        m_state.async.deferred.erase(it);
        it = m_state.async.deferred.end();
    }
    if (it == m_state.async.deferred.end())
        return SimErrors::flat(
            404,
            u"Deferred completion %1 not found: it was fetched already, expired or never existed."_s.arg(
                id.left(100)));
    if (now < it->readyAtMs) {
        SimResponse pending;
        pending.status = 202;
        return pending;
    }
    SimResponse ready;
    ready.headers.append(SimHeader { "Content-Type", "application/json" });
    ready.body = it->body;
    m_state.async.deferred.erase(it); // once
    return ready;
}

} // namespace gp::sim
