#include "app/gateway/gatewaytls.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

std::optional<QByteArray> readFile(const QString &path, const QString &what, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1 %2: %3"_s.arg(what, path, file.errorString());
        return std::nullopt;
    }
    return file.read(1024 * 1024);
}

QSslKey parseKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

} // namespace

std::optional<QSslConfiguration> GatewayTls::load(const QString &certPath, const QString &keyPath,
                                                  QString *error)
{
    if (!QSslSocket::supportsSsl()) {
        *error = u"TLS is not available in this Qt build (no TLS backend, e.g. OpenSSL, was loaded)"_s;
        return std::nullopt;
    }
    const std::optional<QByteArray> certPem = readFile(certPath, u"--tls-cert"_s, error);
    if (!certPem)
        return std::nullopt;
    const std::optional<QByteArray> keyPem = readFile(keyPath, u"--tls-key"_s, error);
    if (!keyPem)
        return std::nullopt;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        *error = u"--tls-cert %1 holds no PEM certificate"_s.arg(certPath);
        return std::nullopt;
    }
    const QSslKey key = parseKey(*keyPem);
    if (key.isNull()) {
        *error = u"--tls-key %1 holds no unencrypted PEM private key"_s.arg(keyPath);
        return std::nullopt;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients carry the token, not a certificate
    config.setProtocol(QSsl::TlsV1_2OrLater);
    return config;
}

} // namespace gp
