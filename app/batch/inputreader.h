#pragma once

#include "app/batch/inputline.h"
#include "app/batch/inputlineparser.h"

#include <QFile>

#include <optional>

namespace gp {

// Reads a batch input one line at a time (never all of it), skipping empty lines.
// A regular file is read with QFile; anything else ("-" or /dev/stdin, a pipe, a
// terminal) is a stream read without blocking: next() then returns nullopt while no
// whole line has arrived yet (atEnd() still false) and streamFd() is the descriptor
// to wait on, so the event loop (and a signal) is never held up by a slow producer.
class InputReader final
{
public:
    explicit InputReader(InputLineParser parser);
    ~InputReader();
    InputReader(const InputReader &) = delete;
    InputReader &operator=(const InputReader &) = delete;

    // path "-" is standard input.
    bool open(const QString &path, QString *error);
    // The next non-empty line, parsed; nullopt at the end, or (streams) until more arrives.
    std::optional<InputLine> next();
    bool atEnd() const { return m_atEnd; }
    qint64 linesRead() const { return m_lineNumber; }
    int streamFd() const { return m_fd; } // -1 for a regular file
    // Stops reading a stream: what its writer has not sent yet is not part of this run.
    void stopReading() { m_atEnd = true; }

    // Non-empty lines in a regular file, by a quick streaming pass (for progress and ETA);
    // -1 for a stream, which cannot be read twice.
    static qint64 countLines(const QString &path);
    static bool isStandardInput(const QString &path);

private:
    std::optional<InputLine> take(QByteArray line);
    std::optional<QByteArray> readStreamLine();

    InputLineParser m_parser;
    QFile m_file;
    int m_fd = -1;
    QByteArray m_buffer; // stream bytes read but not yet returned
    qint64 m_lineNumber = 0;
    bool m_atEnd = false;
};

} // namespace gp
