#pragma once

#include "core/policy/errorclass.h"

#include <QString>

namespace gp {

// An error as a value: class, HTTP status, the server's code and a human message.
// The message never holds the API key.
struct Error
{
    ErrorClass errorClass = ErrorClass::None;
    int httpStatus = 0; // 0 when no HTTP response was received
    QString serverCode; // e.g. "Some requested entity was not found", "rate_limit_exceeded"
    QString message; // one or two human sentences

    bool isError() const { return errorClass != ErrorClass::None; }
    bool operator==(const Error &) const = default;
};

} // namespace gp
