#include "app/batch/inputreader.h"

#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr qsizetype ReadChunk = 64 * 1024;

bool isBlank(const QByteArray &line)
{
    return line.trimmed().isEmpty();
}

QString systemPath(const QString &path)
{
    return InputReader::isStandardInput(path) ? u"/dev/stdin"_s : path;
}

} // namespace

InputReader::InputReader(InputLineParser parser)
    : m_parser(std::move(parser))
{ }

InputReader::~InputReader()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool InputReader::isStandardInput(const QString &path)
{
    return path == "-"_L1;
}

bool InputReader::open(const QString &path, QString *error)
{
    const QString name = systemPath(path);
    const QFileInfo info(name);
    if (info.isDir()) {
        *error = u"cannot read input %1: it is a directory"_s.arg(path);
        return false;
    }
    if (info.isFile()) {
        m_file.setFileName(name);
        if (!m_file.open(QIODevice::ReadOnly)) {
            *error = u"cannot read input %1: %2"_s.arg(path, m_file.errorString());
            return false;
        }
        return true;
    }
    // A pipe, terminal or socket: a descriptor of our own, made non-blocking.
    m_fd = ::open(QFile::encodeName(name).constData(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        *error = u"cannot read input %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    return true;
}

std::optional<InputLine> InputReader::take(QByteArray line)
{
    ++m_lineNumber;
    if (m_lineNumber == 1 && line.startsWith("\xEF\xBB\xBF"))
        line.remove(0, 3); // a UTF-8 byte-order mark from some editors
    if (isBlank(line))
        return std::nullopt;
    return m_parser.parse(line, m_lineNumber);
}

std::optional<QByteArray> InputReader::readStreamLine()
{
    while (!m_atEnd) {
        const qsizetype newline = m_buffer.indexOf('\n');
        if (newline >= 0) {
            QByteArray line = m_buffer.left(newline + 1);
            m_buffer.remove(0, newline + 1);
            return line;
        }
        char chunk[ReadChunk];
        const ssize_t n = ::read(m_fd, chunk, sizeof chunk);
        if (n > 0) {
            m_buffer.append(chunk, qsizetype(n));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return std::nullopt; // nothing yet: wait on streamFd()
        m_atEnd = true; // end of input (or a read error: nothing more will come)
        if (!m_buffer.isEmpty())
            return std::exchange(m_buffer, QByteArray());
    }
    return std::nullopt;
}

std::optional<InputLine> InputReader::next()
{
    while (!m_atEnd) {
        QByteArray line;
        if (m_fd >= 0) {
            std::optional<QByteArray> read = readStreamLine();
            if (!read)
                return std::nullopt;
            line = std::move(*read);
        } else {
            if (m_file.atEnd()) {
                m_atEnd = true;
                break;
            }
            line = m_file.readLine();
        }
        if (std::optional<InputLine> parsed = take(std::move(line)))
            return parsed;
    }
    return std::nullopt;
}

qint64 InputReader::countLines(const QString &path)
{
    const QString name = systemPath(path);
    if (!QFileInfo(name).isFile())
        return -1;
    QFile file(name);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    qint64 count = 0;
    while (!file.atEnd()) {
        if (!isBlank(file.readLine()))
            ++count;
    }
    return count;
}

} // namespace gp
