#include "app/batch/resumestate.h"

#include "core/telemetry/journalreader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// The id of a complete, succeeded result line; empty for anything else.
QString succeededId(const QByteArray &line)
{
    const QJsonDocument document = QJsonDocument::fromJson(line);
    const QJsonObject object = document.object();
    if (object.value("status"_L1).toString() != "succeeded"_L1)
        return {};
    return object.value("custom_id"_L1).toString();
}

} // namespace

std::optional<QSet<QString>> ResumeState::compactOutput(const QString &path, QString *error)
{
    QSet<QString> kept;
    if (!QFileInfo::exists(path))
        return kept;
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = u"cannot read output %1 to resume: %2"_s.arg(path, in.errorString());
        return std::nullopt;
    }
    QSaveFile out(path);
    // Unbuffered, every write checked: Qt 6.4's QSaveFile::commit() misses a failed flush of
    // its buffer, and a disk-full compaction would then replace the output with a stub.
    if (!out.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        *error = u"cannot rewrite output %1 to resume: %2"_s.arg(path, out.errorString());
        return std::nullopt;
    }
    while (!in.atEnd()) {
        QByteArray line = in.readLine();
        if (!line.endsWith('\n'))
            continue; // a torn last line from a crash
        const QString id = succeededId(line);
        if (id.isEmpty() || kept.contains(id))
            continue;
        kept.insert(id);
        if (out.write(line) != line.size()) {
            out.cancelWriting();
            *error = u"cannot rewrite output %1 to resume: %2"_s.arg(path, out.errorString());
            return std::nullopt;
        }
    }
    if (!out.commit()) {
        *error = u"cannot rewrite output %1 to resume: %2"_s.arg(path, out.errorString());
        return std::nullopt;
    }
    return kept;
}

std::optional<QSet<QString>> ResumeState::journalSucceeded(const QString &path, QString *error)
{
    if (!QFileInfo::exists(path))
        return QSet<QString>();
    JournalReader reader;
    QString reason;
    if (!reader.open(path, &reason)) {
        *error = u"cannot read journal %1 to resume: %2"_s.arg(path, reason);
        return std::nullopt;
    }
    std::optional<QSet<QString>> ids = reader.succeededCustomIds(&reason);
    if (!ids)
        *error = u"cannot read journal %1 to resume: %2"_s.arg(path, reason);
    return ids;
}

} // namespace gp
