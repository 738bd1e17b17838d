#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace gp {

// The request counts of an xAI batch (`state` of GET /v1/batches/{batch_id}).
struct BatchState
{
    qint64 numRequests = 0;
    qint64 numPending = 0;
    qint64 numSuccess = 0;
    qint64 numError = 0;
    qint64 numCancelled = 0;
    bool operator==(const BatchState &) const = default;
};

// An xAI batch as POST /v1/batches, GET /v1/batches/{id} and POST /v1/batches/{id}:cancel
// return it.
struct BatchInfo
{
    QString batchId;
    QString name;
    QString createTime;
    QString expireTime; // empty when none
    QString cancelTime; // set once cancelled, by us or by xAI
    QString cancelByXaiMessage;
    BatchState state;

    bool isCancelled() const { return !cancelTime.isEmpty() || !cancelByXaiMessage.isEmpty(); }
    // Every request added so far has a result (none pending). A batch without requests is
    // done only once cancelled: requests may still be on their way.
    bool isDone() const { return state.numPending == 0 && (state.numRequests > 0 || isCancelled()); }
    bool operator==(const BatchInfo &) const = default;
};

// nullopt and a one-line *error (may be null): "batch is empty", "batch is not JSON: ...",
// "batch is not a JSON object", "batch carries an error: <message>", "batch has no
// batch_id", "batch state is not an object". Bad or missing counts read as 0;
// pending > requests reads as requests.
std::optional<BatchInfo> parseBatchInfo(const QByteArray &body, QString *error);

} // namespace gp
