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

// Reads every quota header style (OpenAI x-ratelimit-*, IETF RateLimit, X-RateLimit-*) into one snapshot.
// nowEpochMs turns absolute resets (Unix times, RFC 3339) into relative ones.
// Per field, OpenAI > IETF structured > IETF legacy > X-RateLimit > Anthropic; `style`
// is the strongest style that supplied any field. IETF policies go to tokens when the
// name or a `qu` parameter contains "token", else to requests; of several policies
// for one dimension, the one with the least remaining wins. (X-)RateLimit-Reset above
// 10^9 is a Unix time (above 10^12 in ms). Unparsable, negative, overflowing values,
// and resets more than 31 days ahead, leave the field absent; past resets read as 0.
QuotaSnapshot parseQuotaHeaders(const HeaderList &headers, qint64 nowEpochMs);

// retry-after-ms first, then Retry-After (seconds, decimal seconds, or an HTTP date
// in IMF-fixdate, RFC 850 or asctime form against nowEpochMs). Invalid when absent
// or unusable: garbage, negative, NaN, overflow, or further than maxHintMs ahead.
RetryHint parseRetryHint(const HeaderList &headers, qint64 nowEpochMs, qint64 maxHintMs = 24LL * 3600 * 1000);

// x-should-retry: true|false, when present and valid.
std::optional<bool> parseShouldRetry(const HeaderList &headers);

// "1s", "6m0s", "1m30.5s", "120ms", "2h", "0.5s", also a bare number of seconds.
// Go duration units (h m s ms us/µs ns), rounded up to whole ms; nullopt on anything else.
std::optional<qint64> parseDurationMs(QByteArrayView text);

// Case-insensitive header lookup; the first match, without surrounding spaces and tabs.
std::optional<QByteArray> headerValue(const HeaderList &headers, QByteArrayView name);

} // namespace gp
