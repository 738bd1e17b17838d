#include "app/batch/outputwriter.h"

#include "core/policy/secretscrubber.h"

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
        = QIODevice::WriteOnly | QIODevice::Unbuffered | (append ? QIODevice::Append : QIODevice::Truncate);
    if (!m_file.open(mode)) {
        *error = u"cannot open output %1: %2"_s.arg(path, m_file.errorString());
        return false;
    }
    return true;
}

QJsonObject OutputWriter::outcomeLine(const QString &customId, qint64 lineNumber, const Outcome &outcome)
{
    QJsonObject line { { u"custom_id"_s, orNull(customId) },
                       { u"line"_s, lineNumber },
                       { u"status"_s, jobStatusName(outcome.status) },
                       { u"attempts"_s, outcome.attempts },
                       { u"latency_ms"_s, outcome.latencyMs },
                       { u"response"_s, QJsonValue::Null },
                       { u"error"_s, QJsonValue::Null } };
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

QJsonObject OutputWriter::errorLine(const QString &customId, qint64 lineNumber, JobStatus status,
                                    const Error &error)
{
    Outcome outcome;
    outcome.status = status;
    outcome.error = error;
    return outcomeLine(customId, lineNumber, outcome);
}

QJsonObject OutputWriter::journalSuccessLine(const QString &customId, qint64 lineNumber)
{
    Outcome succeeded;
    succeeded.status = JobStatus::Succeeded;
    QJsonObject line = outcomeLine(customId, lineNumber, succeeded);
    line.insert(u"response"_s,
                QJsonObject { { u"status_code"_s, QJsonValue::Null },
                              { u"request_id"_s, QJsonValue::Null },
                              { u"body"_s, QJsonValue::Null },
                              { u"note"_s, u"succeeded in an earlier run (journal); body not kept"_s } });
    return line;
}

bool OutputWriter::write(const QJsonObject &line)
{
    if (m_failed || !m_file.isOpen()) {
        m_failed = true;
        return false;
    }
    // Redact inside values, then serialise: the JSON syntax itself is never touched.
    QByteArray bytes
        = QJsonDocument(SecretScrubber::redactJson(line, m_secret).toObject()).toJson(QJsonDocument::Compact);
    bytes.append('\n');
    const qint64 written = m_file.write(bytes);
    if (written != bytes.size()) {
        m_failed = true;
        m_error = m_file.errorString();
        if (m_error.isEmpty() || m_error == "Unknown error"_L1)
            m_error = written < 0 ? u"write failed"_s : u"short write (disk full?)"_s;
        return false;
    }
    ++m_lines;
    return true;
}

} // namespace gp
