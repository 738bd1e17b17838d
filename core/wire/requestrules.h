#pragma once

#include <QString>
#include <QtGlobal>

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

} // namespace gp::requestrules
