#include "exporttestsupport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimeZone>

#include <utility>

using namespace Qt::StringLiterals;

namespace exporttest {

QStringList remoteHeader()
{
    return { u"work_id"_s, u"run_id"_s, u"via"_s,     u"batch_id"_s, u"request_id"_s, u"custom_id"_s,
             u"line"_s,    u"state"_s,  u"created"_s, u"updated"_s,  u"input_path"_s, u"output_path"_s };
}

QList<QStringList> parseCsv(const QByteArray &bytes)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    const QString text = QString::fromUtf8(bytes);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const bool pair = i + 1 < text.size() && text.at(i + 1) == (c == u'"' ? u'"' : u'\n');
        if (quoted && c == u'"' && pair) {
            field += u'"';
            ++i;
        } else if (c == u'"') {
            quoted = !quoted;
        } else if (!quoted && c == u',') {
            row << std::exchange(field, QString());
        } else if (!quoted && c == u'\r' && pair) {
            row << std::exchange(field, QString());
            rows << std::exchange(row, QStringList());
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

QList<Row> csvRows(const QByteArray &bytes)
{
    const QList<QStringList> table = parseCsv(bytes);
    QList<Row> rows;
    for (qsizetype r = 1; r < table.size(); ++r) {
        Row row;
        for (qsizetype c = 0; c < table.first().size() && c < table[r].size(); ++c)
            row.insert(table.first()[c], table[r][c]);
        rows << row;
    }
    return rows;
}

QList<Row> jsonlRows(const QByteArray &bytes)
{
    QList<Row> rows;
    for (const QByteArray &line : bytes.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        Row row;
        for (auto it = object.begin(); it != object.end(); ++it)
            row.insert(it.key(),
                       it->isDouble() ? QString::number(it->toInteger()) : it->toString()); // null: ''
        rows << row;
    }
    return rows;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

batchtest::Run runExport(const QStringList &arguments, const QString &stdoutFile)
{
    QProcess process;
    process.setProcessEnvironment(batchtest::environment());
    if (!stdoutFile.isEmpty())
        process.setStandardOutputFile(stdoutFile);
    process.start(QStringLiteral(GROKPULSE_BIN), QStringList { u"export"_s } + arguments);
    batchtest::Run run;
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit) {
        run.err = u"grokpulse export did not end normally: %1"_s.arg(process.errorString()).toUtf8() + '\n'
            + process.readAllStandardError();
        return run;
    }
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace exporttest
