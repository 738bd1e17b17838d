#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <optional>

namespace gp {

// Milliseconds since the Unix epoch of an HTTP date (RFC 9110 section 5.6.7):
// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT"
// (two-digit years: 70..99 -> 19xx, else 20xx) or asctime "Sun Nov  6 08:49:37 1994".
// nullopt when malformed or out of range (years 1970..9999, real calendar dates).
std::optional<qint64> parseHttpDateMs(QByteArrayView text);

// RFC 3339 date-time, e.g. "2024-05-01T12:00:30Z", "2024-05-01T12:00:30.25+02:00",
// as epoch milliseconds (fractions truncated to ms); nullopt when malformed.
std::optional<qint64> parseRfc3339Ms(QByteArrayView text);

} // namespace gp
