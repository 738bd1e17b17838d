#pragma once

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace gp {

// The gateway's HTTPS listener settings: a PEM certificate (chain, leaf first) and its PEM
// private key (RSA or EC, unencrypted). Clients are not asked for certificates; they
// authenticate with the gateway token as over plain HTTP.
struct GatewayTls
{
    // nullopt with a one-line reason in *error (a missing file, not PEM, key not matching).
    static std::optional<QSslConfiguration> load(const QString &certPath, const QString &keyPath,
                                                 QString *error);
    static constexpr int kHandshakeTimeoutMs = 10000; // a client that never finishes its hello
};

} // namespace gp
