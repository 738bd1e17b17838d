#pragma once

#include "core/wire/quotasnapshot.h"
#include "core/wire/retryhint.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>
#include <utility>

namespace gp {

// The shape of QNetworkReply::rawHeaderPairs(); names compare case-insensitively.
using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

// Reads every quota header style (DESIGN.md, facts) into one snapshot.
// nowEpochMs turns absolute resets (Unix times, RFC 3339) into relative ones.
QuotaSnapshot parseQuotaHeaders(const HeaderList &headers, qint64 nowEpochMs);

// retry-after-ms first, then Retry-After (seconds, decimal seconds, or an HTTP date
// in IMF-fixdate, RFC 850 or asctime form against nowEpochMs). Invalid when absent
// or unusable: garbage, negative, NaN, overflow, or further than maxHintMs ahead.
RetryHint parseRetryHint(const HeaderList &headers, qint64 nowEpochMs,
                         qint64 maxHintMs = 24LL * 3600 * 1000);

// x-should-retry: true|false, when present and valid.
std::optional<bool> parseShouldRetry(const HeaderList &headers);

// "1s", "6m0s", "1m30.5s", "120ms", "2h", "0.5s", also a bare number of seconds.
std::optional<qint64> parseDurationMs(QByteArrayView text);

// Case-insensitive header lookup; the first match.
std::optional<QByteArray> headerValue(const HeaderList &headers, QByteArrayView name);

} // namespace gp
