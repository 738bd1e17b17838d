#pragma once

#include "core/sim/ratelimiter.h"
#include "core/sim/scenario.h"
#include "core/sim/simresponse.h"

#include <QDateTime>

namespace gp::sim {

// Renders the limiter's real state in one of the header styles real servers use.
class QuotaHeaders final
{
public:
    static SimHeaders quota(HeaderStyle style, const LimitState &requests, const LimitState &tokens);
    // Retry-After (seconds or HTTP date) and retry-after-ms on a 429, as the scenario says.
    static SimHeaders retry(const Scenario &scenario, qint64 retryAfterMs, const QDateTime &nowUtc);
    // Go's time.Duration.String() for whole milliseconds: "120ms", "1s", "1.5s", "6m0s".
    static QByteArray goDuration(qint64 ms);
    static QByteArray httpDate(const QDateTime &utc);
};

} // namespace gp::sim
