#pragma once

#include "app/batch/inputline.h"
#include "app/batch/inputlineparser.h"

#include <QFile>

#include <optional>

namespace gp {

// Reads a batch input file one line at a time (never all of it), skipping empty lines.
class InputReader final
{
public:
    explicit InputReader(InputLineParser parser);
    InputReader(const InputReader &) = delete;
    InputReader &operator=(const InputReader &) = delete;

    bool open(const QString &path, QString *error);
    // The next non-empty line, parsed; nullopt at the end of the file.
    std::optional<InputLine> next();
    bool atEnd() const { return m_atEnd; }
    qint64 linesRead() const { return m_lineNumber; }

    // Non-empty lines in a file, by a quick streaming pass (for progress and ETA).
    static qint64 countLines(const QString &path);

private:
    InputLineParser m_parser;
    QFile m_file;
    qint64 m_lineNumber = 0;
    bool m_atEnd = false;
};

} // namespace gp
