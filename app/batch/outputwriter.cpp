#include "app/batch/outputwriter.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue orNull(int status)
{
    return status == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(status);
}

QJsonObject errorObject(const Error &error)
{
    return QJsonObject { { u"class"_s, errorClassName(error.errorClass) },
                         { u"status_code"_s, orNull(error.httpStatus) },
                         { u"code"_s, orNull(error.serverCode) },
                         { u"message"_s, error.message } };
}

QJsonValue parsedBody(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isObject())
        return document.object();
    return body.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::fromUtf8(body));
}

} // namespace

bool OutputWriter::open(const QString &path, bool append, QString *error)
{
    m_file.setFileName(path);
    const QIODevice::OpenMode mode
        = QIODevice::WriteOnly | (append ? QIODevice::Append : QIODevice::Truncate);
    if (!m_file.open(mode)) {
        *error = u"cannot open output %1: %2"_s.arg(path, m_file.errorString());
        return false;
    }
    return true;
}

QJsonObject OutputWriter::outcomeLine(const QString &customId, const Outcome &outcome)
{
    QJsonObject line { { u"custom_id"_s, customId },        { u"status"_s, jobStatusName(outcome.status) },
                       { u"attempts"_s, outcome.attempts }, { u"latency_ms"_s, outcome.latencyMs },
                       { u"response"_s, QJsonValue::Null }, { u"error"_s, QJsonValue::Null } };
    if (outcome.isSuccess()) {
        line.insert(u"response"_s,
                    QJsonObject { { u"status_code"_s, orNull(outcome.httpStatus) },
                                  { u"request_id"_s, orNull(outcome.requestId) },
                                  { u"body"_s, parsedBody(outcome.responseBody) } });
    } else {
        Error error = outcome.error;
        if (!error.isError()) // a terminal state other than success always names a class
            error.errorClass
                = outcome.status == JobStatus::Cancelled ? ErrorClass::Cancelled : ErrorClass::Internal;
        line.insert(u"error"_s, errorObject(error));
    }
    return line;
}

QJsonObject OutputWriter::errorLine(const QString &customId, JobStatus status, const Error &error)
{
    Outcome outcome;
    outcome.status = status;
    outcome.error = error;
    return outcomeLine(customId, outcome);
}

void OutputWriter::writeOutcome(const QString &customId, const Outcome &outcome)
{
    write(outcomeLine(customId, outcome));
}

void OutputWriter::writeError(const QString &customId, JobStatus status, const Error &error)
{
    write(errorLine(customId, status, error));
}

void OutputWriter::writeJournalSuccess(const QString &customId)
{
    Outcome succeeded;
    succeeded.status = JobStatus::Succeeded;
    QJsonObject line = outcomeLine(customId, succeeded);
    line.insert(u"response"_s,
                QJsonObject { { u"status_code"_s, QJsonValue::Null },
                              { u"request_id"_s, QJsonValue::Null },
                              { u"body"_s, QJsonValue::Null },
                              { u"note"_s, u"succeeded in an earlier run (journal); body not kept"_s } });
    write(line);
}

void OutputWriter::write(const QJsonObject &line)
{
    QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact);
    if (!m_secret.isEmpty())
        bytes.replace(m_secret, "[redacted]");
    bytes.append('\n');
    // One write per line, flushed at once: a kill -9 leaves at most one torn line.
    if (m_file.write(bytes) != bytes.size() || !m_file.flush())
        m_failed = true;
    ++m_lines;
}

} // namespace gp
