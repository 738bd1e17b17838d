#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace gp {

// The local token clients present to the gateway (never the upstream key). Kept in a
// file only its owner can read; created on first start.
class GatewayToken final
{
public:
    // <config dir>/grokpulse/gateway.token
    static QString defaultPath();
    // Reads the token, or creates the file (mode 0600) with a new random one. Refuses a file
    // others may read or write, and an empty or unreadable one. *created says which happened.
    static std::optional<QByteArray> loadOrCreate(const QString &path, bool *created, QString *error);
    // Constant-time comparison of the Authorization header's bearer token with the token.
    static bool matches(const QByteArray &authorization, const QByteArray &token);
};

} // namespace gp
