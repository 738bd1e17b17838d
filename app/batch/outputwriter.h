#pragma once

#include "core/client/outcome.h"

#include <QFile>
#include <QJsonObject>
#include <QString>

namespace gp {

// Writes batch result lines, one JSON object per line, flushed as each is written:
//   {"custom_id", "status", "attempts", "latency_ms",
//    "response": {"status_code", "request_id", "body"} | null,
//    "error": {"class", "status_code", "code", "message"} | null}
class OutputWriter final
{
public:
    OutputWriter() = default;
    OutputWriter(const OutputWriter &) = delete;
    OutputWriter &operator=(const OutputWriter &) = delete;

    // append: keep what is there (resume); otherwise truncate.
    bool open(const QString &path, bool append, QString *error);
    // Replaced by "[redacted]" in every line, whatever a server echoes back.
    void setSecret(const QString &secret) { m_secret = secret.toUtf8(); }

    void writeOutcome(const QString &customId, const Outcome &outcome);
    void writeError(const QString &customId, JobStatus status, const Error &error);
    // A success recorded only in the journal: its body was not kept.
    void writeJournalSuccess(const QString &customId);

    qint64 linesWritten() const { return m_lines; }
    bool hasFailed() const { return m_failed; }
    QString errorString() const { return m_file.errorString(); }

    static QJsonObject outcomeLine(const QString &customId, const Outcome &outcome);
    static QJsonObject errorLine(const QString &customId, JobStatus status, const Error &error);

private:
    void write(const QJsonObject &line);

    QFile m_file;
    QByteArray m_secret;
    qint64 m_lines = 0;
    bool m_failed = false;
};

} // namespace gp
