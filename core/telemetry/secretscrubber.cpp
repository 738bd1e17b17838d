#include "core/telemetry/secretscrubber.h"

#include <QRegularExpression>

namespace gp {

namespace {

const QRegularExpression &secretPattern()
{
    // Keys (xai-, sk-), bearer tokens, Authorization header values, key=value credentials.
    static const QRegularExpression re(
        QStringLiteral(
            R"((?:\b(?:xai|sk)-[A-Za-z0-9_\-]{6,})|(?:\bBearer\s+[^\s"',;]+))"
            R"(|(?:\bAuthorization\s*[:=]\s*[^\r\n"',;]+))"
            R"(|(?:\b(?:api[_-]?key|access[_-]?token|secret)\b\s*["']?\s*[:=]\s*["']?[^\s"',;&]+))"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

} // namespace

QString SecretScrubber::scrub(const QString &text)
{
    // Fast path: nearly every message has none of the trigger words.
    if (text.isEmpty() || !looksSecret(text))
        return text;
    QString out = text;
    out.replace(secretPattern(), QStringLiteral("[redacted]"));
    return out;
}

bool SecretScrubber::looksSecret(const QString &text)
{
    return secretPattern().match(text).hasMatch();
}

} // namespace gp
