#include "core/policy/errorclass.h"

#include <array>
#include <utility>

namespace gp {

namespace {

constexpr std::array<std::pair<ErrorClass, const char16_t *>, 22> kNames { {
    { ErrorClass::None, u"none" },
    { ErrorClass::RateLimited, u"rate_limited" },
    { ErrorClass::Capacity, u"capacity" },
    { ErrorClass::ServerError, u"server_error" },
    { ErrorClass::Network, u"network" },
    { ErrorClass::Timeout, u"timeout" },
    { ErrorClass::MalformedResponse, u"malformed_response" },
    { ErrorClass::BadRequest, u"bad_request" },
    { ErrorClass::Authentication, u"authentication" },
    { ErrorClass::PermissionDenied, u"permission_denied" },
    { ErrorClass::NotFound, u"not_found" },
    { ErrorClass::CreditsExhausted, u"credits_exhausted" },
    { ErrorClass::RequestTooLarge, u"request_too_large" },
    { ErrorClass::Tls, u"tls" },
    { ErrorClass::CircuitOpen, u"circuit_open" },
    { ErrorClass::RetryBudgetExhausted, u"retry_budget_exhausted" },
    { ErrorClass::DeadlineExceeded, u"deadline_exceeded" },
    { ErrorClass::RetryHintTooLong, u"retry_hint_too_long" },
    { ErrorClass::QueueFull, u"queue_full" },
    { ErrorClass::Cancelled, u"cancelled" },
    { ErrorClass::Interrupted, u"interrupted" },
    { ErrorClass::Internal, u"internal" },
} };

} // namespace

QString errorClassName(ErrorClass errorClass)
{
    for (const auto &[cls, name] : kNames) {
        if (cls == errorClass)
            return QString::fromUtf16(name);
    }
    return QStringLiteral("internal");
}

ErrorClass errorClassFromName(const QString &name)
{
    for (const auto &[cls, clsName] : kNames) {
        if (name == QString::fromUtf16(clsName))
            return cls;
    }
    return ErrorClass::Internal;
}

ErrorBucket errorBucketOf(ErrorClass errorClass)
{
    switch (errorClass) {
    case ErrorClass::RateLimited: return ErrorBucket::RateLimit429;
    case ErrorClass::Capacity: return ErrorBucket::Capacity429;
    case ErrorClass::ServerError:
    case ErrorClass::MalformedResponse: return ErrorBucket::Server5xx;
    case ErrorClass::Network:
    case ErrorClass::Tls: return ErrorBucket::Network;
    case ErrorClass::Timeout:
    case ErrorClass::DeadlineExceeded: return ErrorBucket::Timeout;
    case ErrorClass::BadRequest:
    case ErrorClass::Authentication:
    case ErrorClass::PermissionDenied:
    case ErrorClass::NotFound:
    case ErrorClass::CreditsExhausted:
    case ErrorClass::RequestTooLarge: return ErrorBucket::Client4xx;
    case ErrorClass::CircuitOpen: return ErrorBucket::Breaker;
    case ErrorClass::RetryBudgetExhausted: return ErrorBucket::Budget;
    default: return ErrorBucket::Other;
    }
}

QString errorBucketName(ErrorBucket bucket)
{
    switch (bucket) {
    case ErrorBucket::RateLimit429: return QStringLiteral("429_rate");
    case ErrorBucket::Capacity429: return QStringLiteral("429_capacity");
    case ErrorBucket::Client4xx: return QStringLiteral("4xx");
    case ErrorBucket::Server5xx: return QStringLiteral("5xx");
    case ErrorBucket::Network: return QStringLiteral("network");
    case ErrorBucket::Timeout: return QStringLiteral("timeout");
    case ErrorBucket::Breaker: return QStringLiteral("breaker");
    case ErrorBucket::Budget: return QStringLiteral("budget");
    case ErrorBucket::Other: return QStringLiteral("other");
    }
    return QStringLiteral("other");
}

} // namespace gp
