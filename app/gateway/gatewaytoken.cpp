#include "app/gateway/gatewaytoken.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

std::optional<QByteArray> readToken(const QString &path, QString *error)
{
    struct stat info
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &info) != 0) {
        *error = u"cannot read token file %1: %2"_s.arg(path, systemError());
        return std::nullopt;
    }
    if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        *error = u"token file %1 is readable or writable by others (mode %2): chmod 600 it"_s.arg(
            path, QString::number(info.st_mode & 0777, 8));
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read token file %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray token = file.read(4096).trimmed();
    if (token.size() < 16 || token.contains(' ')) {
        *error = u"token file %1 holds no usable token (16+ characters, no spaces)"_s.arg(path);
        return std::nullopt;
    }
    return token;
}

} // namespace

QString GatewayToken::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + u"/grokpulse/gateway.token"_s;
}

std::optional<QByteArray> GatewayToken::loadOrCreate(const QString &path, bool *created, QString *error)
{
    *created = false;
    if (QFileInfo::exists(path))
        return readToken(path, error);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QByteArray random(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(random.begin(), random.end());
    const QByteArray token
        = "gpk-" + random.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    // O_EXCL with mode 0600: the file is never readable by others, not even for a moment.
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = u"cannot create token file %1: %2"_s.arg(path, systemError());
        return std::nullopt;
    }
    const QByteArray line = token + '\n';
    const bool written = ::write(fd, line.constData(), size_t(line.size())) == line.size();
    ::close(fd);
    if (!written) {
        *error = u"cannot write token file %1"_s.arg(path);
        return std::nullopt;
    }
    *created = true;
    return token;
}

bool GatewayToken::matches(const QByteArray &authorization, const QByteArray &token)
{
    static constexpr QByteArrayView prefix("Bearer ");
    if (token.isEmpty() || !authorization.startsWith(prefix))
        return false;
    const QByteArrayView given = QByteArrayView(authorization).sliced(prefix.size()).trimmed();
    unsigned char difference = given.size() == token.size() ? 0 : 1;
    for (qsizetype i = 0; i < token.size(); ++i)
        difference |= static_cast<unsigned char>(token.at(i) ^ (i < given.size() ? given.at(i) : 0));
    return difference == 0;
}

} // namespace gp
