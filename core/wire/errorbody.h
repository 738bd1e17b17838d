#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace gp {

enum class ErrorBodyFormat { Empty, XaiFlat, OpenAINested, OtherJson, PlainText, Html };

// An error response body, whatever shape it came in. `message` is always usable
// (never empty for a non-empty body), single-line and at most maxMessageLength chars.
struct ErrorBody
{
    ErrorBodyFormat format = ErrorBodyFormat::Empty;
    QString code; // xAI: gRPC status text; OpenAI: error.code (string or number)
    QString message;
    QString type; // OpenAI error.type
    QString param; // OpenAI error.param
    bool operator==(const ErrorBody &) const = default;
};

inline constexpr int DefaultMaxErrorMessageLength = 500;

// Never fails. Empty -> "empty response body"; HTML -> <title> or the page text; cut-off
// JSON -> its "message"/"error" string if one can be read (format PlainText); mostly
// control bytes or invalid UTF-8 -> "unreadable response body (N bytes)". Longer messages
// end in U+2026; code, type and param are made single-line and bounded the same way.
ErrorBody parseErrorBody(const QByteArray &body, int maxMessageLength = DefaultMaxErrorMessageLength);
// An SSE data payload that is an error object (xAI flat or OpenAI nested), else nullopt.
std::optional<ErrorBody> parseStreamError(const QByteArray &data);

} // namespace gp
