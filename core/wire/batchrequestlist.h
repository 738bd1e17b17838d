#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace gp {

// One page of GET /v1/batches/{batch_id}/requests: the ids of the requests the batch holds
// (`batch_request_metadata[].batch_request_id`) and the token of the next page.
struct BatchRequestList
{
    QStringList batchRequestIds;
    QString paginationToken; // empty on the last page
};

// nullopt with a one-line *error when the body is not an object with a
// batch_request_metadata array, or pagination_token is neither a string nor null.
// Entries without a string batch_request_id are skipped.
std::optional<BatchRequestList> parseBatchRequestList(const QByteArray &body, QString *error);

} // namespace gp
