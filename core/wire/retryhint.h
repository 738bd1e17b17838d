#pragma once

#include <QtGlobal>

namespace gp {

// Where a server-suggested wait came from, strongest first.
enum class RetryHintSource { None, RetryAfterMs, RetryAfter, RateLimitReset };

// A server's "wait this long before retrying". Invalid when no usable hint was sent:
// garbage, negative, NaN, overflowing or far-future values never become a number.
struct RetryHint
{
    qint64 delayMs = 0;
    RetryHintSource source = RetryHintSource::None;

    bool isValid() const { return source != RetryHintSource::None; }
    bool operator==(const RetryHint &) const = default;
};

} // namespace gp
