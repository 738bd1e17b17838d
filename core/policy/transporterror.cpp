#include "core/policy/transporterror.h"

namespace gp {

QString transportErrorName(TransportError error)
{
    switch (error) {
    case TransportError::None: return QStringLiteral("none");
    case TransportError::ConnectionRefused: return QStringLiteral("connection_refused");
    case TransportError::ConnectionReset: return QStringLiteral("connection_reset");
    case TransportError::ClosedEarly: return QStringLiteral("closed_early");
    case TransportError::HostNotFound: return QStringLiteral("host_not_found");
    case TransportError::FirstByteTimeout: return QStringLiteral("first_byte_timeout");
    case TransportError::IdleTimeout: return QStringLiteral("idle_timeout");
    case TransportError::AttemptTimeout: return QStringLiteral("attempt_timeout");
    case TransportError::Tls: return QStringLiteral("tls");
    case TransportError::Protocol: return QStringLiteral("protocol");
    case TransportError::Other: return QStringLiteral("other");
    }
    return QStringLiteral("other");
}

bool isTimeout(TransportError error)
{
    return error == TransportError::FirstByteTimeout || error == TransportError::IdleTimeout
        || error == TransportError::AttemptTimeout;
}

} // namespace gp
