#pragma once

#include "core/policy/error.h"

#include <QByteArray>
#include <QString>

namespace gp {

// The OpenAI-shaped error a gateway client gets: {"error":{"message","type","code","param"}},
// with the HTTP status an OpenAI SDK maps to the right exception. `code` is GrokPulse's
// error class name (rate_limited, server_error, ...) or the gateway's own reason.
struct OpenAiError
{
    int status = 500;
    QString type; // invalid_request_error, authentication_error, rate_limit_error, api_error, ...
    QString code;
    QString message;

    QByteArray toJson() const;
    // When GrokPulse gave up on a job: status and type from its class, the real message.
    static OpenAiError fromError(const Error &error);
    // Whether a failed job's own upstream answer (status, body) is what the client should see:
    // the request itself was wrong (400, 404, 422), not the gateway's key or the quota.
    static bool passesThrough(const Error &error);
};

} // namespace gp
