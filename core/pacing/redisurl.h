#pragma once

#include <QString>

#include <optional>

namespace gp {

// redis://[[user]:password@]host[:port][/db]; the password never appears in toDisplayString().
struct RedisUrl
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 6379;
    QString user;
    QString password;
    int db = 0;

    static std::optional<RedisUrl> parse(const QString &text, QString *error);
    QString toDisplayString() const; // redis://user:***@host:port/db
    bool operator==(const RedisUrl &) const = default;
};

} // namespace gp
