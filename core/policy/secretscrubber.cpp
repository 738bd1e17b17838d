#include "core/policy/secretscrubber.h"

#include <QJsonArray>
#include <QJsonObject>
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

// One pass over the text: the regex runs only on the rare text holding a trigger word.
bool hasTriggerWord(QStringView text)
{
    static const QLatin1String words[]
        = { QLatin1String("xai-"),          QLatin1String("sk-"), QLatin1String("bearer"),
            QLatin1String("authorization"), QLatin1String("key"), QLatin1String("token"),
            QLatin1String("secret") };
    for (qsizetype i = 0; i < text.size(); ++i) {
        char16_t c = text[i].unicode();
        if (c >= u'A' && c <= u'Z')
            c = char16_t(c + 32);
        if (c != u'x' && c != u's' && c != u'b' && c != u'a' && c != u'k' && c != u't')
            continue;
        const QStringView rest = text.mid(i);
        for (const QLatin1String &word : words) {
            if (word.front().unicode() == c && rest.startsWith(word, Qt::CaseInsensitive))
                return true;
        }
    }
    return false;
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
    return hasTriggerWord(text) && secretPattern().match(text).hasMatch();
}

QString SecretScrubber::redact(QString text, const QString &secret)
{
    if (canRedact(secret))
        text.replace(secret, QStringLiteral("[redacted]"));
    return text;
}

QJsonValue SecretScrubber::redactJson(const QJsonValue &value, const QString &secret)
{
    if (!canRedact(secret))
        return value;
    switch (value.type()) {
    case QJsonValue::String: return redact(value.toString(), secret);
    case QJsonValue::Array: {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray())
            out.append(redactJson(item, secret));
        return out;
    }
    case QJsonValue::Object: {
        const QJsonObject in = value.toObject();
        QJsonObject out;
        for (auto it = in.begin(); it != in.end(); ++it)
            out.insert(redact(it.key(), secret), redactJson(it.value(), secret));
        return out;
    }
    default: return value; // numbers, booleans, null: never a secret's text
    }
}

} // namespace gp
