#pragma once

#include <QJsonValue>
#include <QString>

namespace gp {

// The one place secrets are removed from text before it is written, printed or exported.
//  - scrub(): defensive, by pattern: whatever looks like an API key or a credential
//    (xai-…, sk-…, "Bearer …", "Authorization: …", api_key=…) becomes "[redacted]".
//  - redact() / redactJson(): a known secret (the key in use) becomes "[redacted]"
//    wherever it occurs inside a text or inside the string values (and member names) of
//    a JSON value, never across JSON syntax, so a redacted document stays valid JSON.
//    A secret shorter than MinSecretLength is never redacted: it would match ordinary
//    text ("1" in every number, "x" in "index"); callers say so instead (canRedact()).
class SecretScrubber final
{
public:
    static constexpr qsizetype MinSecretLength = 8;

    static QString scrub(const QString &text);
    static bool looksSecret(const QString &text);

    static bool canRedact(const QString &secret) { return secret.size() >= MinSecretLength; }
    static QString redact(QString text, const QString &secret);
    static QJsonValue redactJson(const QJsonValue &value, const QString &secret);
};

} // namespace gp
