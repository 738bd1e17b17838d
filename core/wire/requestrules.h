#pragma once

#include <QJsonValue>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace gp::requestrules {

// What chat and Responses request bodies share, so both kinds validate and pace alike.

// Per-message framing tokens (role and separators) and the reply primer, as the OpenAI
// cookbook counts them for chat models; close enough for pacing.
inline constexpr qint64 TokensPerMessage = 4;
inline constexpr qint64 TokensForReplyPrimer = 3;
// JSON numbers are doubles: integers beyond 2^53 are not exact any more.
inline constexpr qint64 MaxExactJsonInteger = 9'007'199'254'740'992;

// Untrusted text quoted in an error message: at most 40 characters, control characters as '?'.
QString quoteUntrusted(const QString &text);

// Characters as a person counts them: a surrogate pair is one.
qint64 codePointCount(const QString &text);

// An optional field of a request body: absent or null leaves *out alone and is fine; a value of
// the wrong kind sets *error ("<key> is not a number") and returns false.
bool readOptionalNumber(const QJsonValue &value, QLatin1StringView key, std::optional<double> *out,
                        QString *error);
enum class Sign { NonNegative, Any };
// An integer exact as a JSON double (within 2^53).
bool readOptionalInteger(const QJsonValue &value, QLatin1StringView key, Sign sign,
                         std::optional<qint64> *out, QString *error);

} // namespace gp::requestrules
