#include "core/pacing/redisurl.h"

#include <QUrl>

namespace gp {

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return std::optional<RedisUrl>();
    };
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("redis"))
        return fail(QStringLiteral("Not a redis:// URL (expected redis://[user:password@]host:port/db)."));
    RedisUrl parsed;
    if (url.host().isEmpty())
        return fail(QStringLiteral("The Redis URL names no host."));
    parsed.host = url.host();
    parsed.port = url.port(6379);
    if (parsed.port <= 0 || parsed.port > 65535)
        return fail(QStringLiteral("The Redis port must be between 1 and 65535."));
    parsed.user = url.userName(QUrl::FullyDecoded);
    parsed.password = url.password(QUrl::FullyDecoded);
    const QString path = url.path();
    if (!path.isEmpty() && path != QLatin1String("/")) {
        bool ok = false;
        parsed.db = path.mid(1).toInt(&ok);
        if (!ok || parsed.db < 0 || path.mid(1).contains(u'/'))
            return fail(QStringLiteral("The Redis database must be a number: redis://host:port/0."));
    }
    return parsed;
}

QString RedisUrl::toDisplayString() const
{
    QString auth;
    if (!user.isEmpty() || !password.isEmpty())
        auth = user + (password.isEmpty() ? QString() : QStringLiteral(":***")) + u'@';
    return QStringLiteral("redis://%1%2:%3/%4").arg(auth, host).arg(port).arg(db);
}

} // namespace gp
