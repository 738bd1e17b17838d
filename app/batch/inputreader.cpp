#include "app/batch/inputreader.h"

using namespace Qt::StringLiterals;

namespace gp {

namespace {

bool isBlank(const QByteArray &line)
{
    return line.trimmed().isEmpty();
}

} // namespace

InputReader::InputReader(InputLineParser parser)
    : m_parser(std::move(parser))
{ }

bool InputReader::open(const QString &path, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read input %1: %2"_s.arg(path, m_file.errorString());
        return false;
    }
    return true;
}

std::optional<InputLine> InputReader::next()
{
    while (!m_atEnd) {
        if (m_file.atEnd()) {
            m_atEnd = true;
            break;
        }
        QByteArray line = m_file.readLine();
        ++m_lineNumber;
        if (m_lineNumber == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3); // a UTF-8 byte-order mark from some editors
        if (!isBlank(line))
            return m_parser.parse(line, m_lineNumber);
    }
    return std::nullopt;
}

qint64 InputReader::countLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    qint64 count = 0;
    while (!file.atEnd()) {
        if (!isBlank(file.readLine()))
            ++count;
    }
    return count;
}

} // namespace gp
