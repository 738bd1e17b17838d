#pragma once

#include "core/client/outcome.h"

#include <QFile>
#include <QJsonObject>
#include <QString>

namespace gp {

// Writes batch result lines, one JSON object per line, each with a single unbuffered
// write() so a crash or a full disk leaves at most the last line torn:
//   {"custom_id": "<id>" | null, "line": N, "status", "attempts", "latency_ms",
//    "response": {"status_code", "request_id", "body"} | null,
//    "error": {"class", "status_code", "code", "message"} | null}
// After the first failed write nothing more is written (a later line must never
// follow a torn one); write() then returns false at once.
class OutputWriter final
{
public:
    OutputWriter() = default;
    OutputWriter(const OutputWriter &) = delete;
    OutputWriter &operator=(const OutputWriter &) = delete;

    // append: keep what is there (resume); otherwise truncate.
    bool open(const QString &path, bool append, QString *error);
    // Redacted (SecretScrubber::redactJson) from every string value, whatever a server
    // echoes back; a secret too short to redact safely is left alone.
    void setSecret(const QString &secret) { m_secret = secret; }

    // False when the line is not on disk (this or an earlier write failed).
    bool write(const QJsonObject &line);

    qint64 linesWritten() const { return m_lines; }
    bool hasFailed() const { return m_failed; }
    QString errorString() const { return m_error; }
    QString path() const { return m_file.fileName(); }

    static QJsonObject outcomeLine(const QString &customId, qint64 lineNumber, const Outcome &outcome);
    static QJsonObject errorLine(const QString &customId, qint64 lineNumber, JobStatus status,
                                 const Error &error);
    // A success recorded only in the journal: its body was not kept.
    static QJsonObject journalSuccessLine(const QString &customId, qint64 lineNumber);

private:
    QFile m_file;
    QString m_secret;
    QString m_error;
    qint64 m_lines = 0;
    bool m_failed = false;
};

} // namespace gp
