#pragma once

#include <QString>

namespace gp {

// Why a request (or one attempt of it) did not succeed. Stable names (errorClassName)
// are what the journal, the exports and the metrics use.
enum class ErrorClass {
    None,
    // retriable by default
    RateLimited, // 429 for quota (requests or tokens)
    Capacity, // 429 "at capacity", 529 overloaded: unrelated to our quota
    ServerError, // 408, 409, 500, 502, 503, 504
    Network, // refused, reset, closed early, host not found
    Timeout, // connect / first byte / idle / per-attempt timeout
    MalformedResponse, // truncated or malformed success body
    // fatal
    BadRequest, // 400, 405, 415, 422
    Authentication, // 401, 400 "Incorrect API key"
    PermissionDenied, // 403
    NotFound, // 404
    CreditsExhausted, // 429/403 credits or spending limit exhausted
    RequestTooLarge, // one request's tokens exceed the per-minute limit; 413
    Tls, // certificate or handshake errors
    // decided by the client itself
    CircuitOpen,
    RetryBudgetExhausted,
    DeadlineExceeded,
    RetryHintTooLong, // the server asked to wait longer than the ceiling allows
    QueueFull,
    Cancelled,
    Interrupted, // stream cut after output began
    Internal,
};

// snake_case, stable: "rate_limited", "server_error", ...
QString errorClassName(ErrorClass errorClass);
// Inverse of errorClassName; ErrorClass::Internal for an unknown name.
ErrorClass errorClassFromName(const QString &name);

// Telemetry buckets the charts and alerts count: 429 rate, 429 capacity, 4xx, 5xx, network,
// timeout, breaker, budget, other.
enum class ErrorBucket {
    RateLimit429,
    Capacity429,
    Client4xx,
    Server5xx,
    Network,
    Timeout,
    Breaker,
    Budget,
    Other
};
ErrorBucket errorBucketOf(ErrorClass errorClass);
QString errorBucketName(ErrorBucket bucket);

} // namespace gp
