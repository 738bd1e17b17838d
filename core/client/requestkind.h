#pragma once

#include <QString>

namespace gp {

struct AttemptResult;

// What a job sends and how its answer reads. Every kind goes through the same pacing,
// attempts, retries and classification; only the path, the body and the decoder differ.
enum class RequestKind {
    ChatCompletions, // POST /chat/completions
    Responses, // POST /responses: typed SSE events when streaming
    DeferredChat, // POST /chat/completions with "deferred": true: answers {"request_id"}
};

// The path under the base URL, e.g. "chat/completions".
QString requestKindPath(RequestKind kind);
// A 2xx non-stream body of a Responses or deferred submission: result.response from it
// (for a deferred submission only its id, the request id), or result.malformed and why.
void readKindBody(RequestKind kind, AttemptResult &result);

} // namespace gp
