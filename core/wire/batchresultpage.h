#pragma once

#include "core/wire/chatresponse.h"
#include "core/wire/responsesresponse.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace gp {

// One result of GET /v1/batches/{batch_id}/results: a completion or an error string.
struct BatchResultItem
{
    enum class Kind { ChatCompletion, Responses, Error };

    QString batchRequestId;
    Kind kind = Kind::Error;
    QString error; // Kind::Error: the server's message, one line, bounded
    ChatResponse chat; // Kind::ChatCompletion
    ResponsesResponse responses; // Kind::Responses
    QByteArray rawResponse; // the completion object as sent, compact (for the output line)

    Usage usage() const { return kind == Kind::Responses ? responses.usage : chat.usage; }
    QString text() const { return kind == Kind::Responses ? responses.text : chat.text(); }
};

struct BatchResultPage
{
    QList<BatchResultItem> results;
    QString paginationToken; // empty on the last page
};

// nullopt and a one-line *error (may be null) when the page is not a JSON object, carries
// an error, has no `results` array, or pagination_token is neither a string nor null. A
// result that cannot be read (no batch_request_id, a completion that does not parse, an
// unknown response kind) becomes Kind::Error with the reason, so one bad entry loses no other.
std::optional<BatchResultPage> parseBatchResultPage(const QByteArray &body, QString *error);

} // namespace gp
