#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <deque>

namespace gp::sim {

// Stored Responses conversations, for previous_response_id: the messages so far, bounded
// (oldest dropped first; xAI keeps them 30 days, a simulator only needs a few thousand).
struct ResponseStore
{
    static constexpr qsizetype kMaxEntries = 20000;
    QHash<QString, QJsonArray> conversations;
    std::deque<QString> order;

    void insert(const QString &id, const QJsonArray &messages)
    {
        if (!conversations.contains(id))
            order.push_back(id);
        conversations.insert(id, messages);
        while (qsizetype(order.size()) > kMaxEntries) {
            conversations.remove(order.front());
            order.pop_front();
        }
    }
    void clear()
    {
        conversations.clear();
        order.clear();
    }
};

// One deferred chat completion: answered at readyAtMs, fetchable once, gone after expiresAtMs.
struct DeferredEntry
{
    qint64 readyAtMs = 0;
    qint64 expiresAtMs = 0;
    QByteArray body; // the chat.completion JSON
};

// One request of an xAI batch and, once finishAtMs has passed, its result.
struct BatchEntry
{
    QString batchRequestId;
    bool responses = false; // a Responses body (else chat_get_completion)
    QByteArray body; // the request body as added
    qint64 finishAtMs = 0;
    bool fail = false; // finishes with `failMessage` instead of a completion
    QString failMessage;
    bool cancelled = false;
    mutable QJsonObject result; // computed once, when first asked for after finishAtMs
};

struct SimBatch
{
    QString id;
    QString name;
    qint64 createdAtMs = 0;
    QString createTime; // ISO 8601
    QString cancelTime;
    QList<BatchEntry> requests;
    QHash<QString, qsizetype> indexById;
    QHash<QString, int> timesOffered; // per batch_request_id: in how many add calls it came (tests)
};

// The simulator's asynchronous APIs: stored responses, deferred completions, batches.
struct AsyncStores
{
    ResponseStore responses;
    QHash<QString, DeferredEntry> deferred;
    QHash<QString, SimBatch> batches;
    qint64 lastBatchCreateMs = -1000000;
    QList<qint64> recentAddCalls; // times of add-requests calls, for the rolling limit
    quint64 nextId = 1;

    void clear()
    {
        responses.clear();
        deferred.clear();
        batches.clear();
        lastBatchCreateMs = -1000000;
        recentAddCalls.clear();
    }
};

} // namespace gp::sim
