#include "app/batch/viastore.h"

#include "core/telemetry/journal.h"

#include <QFileInfo>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace gp {

std::optional<QList<RemoteWork>> ViaFileStore::load(QString *error)
{
    QList<RemoteWork> rows;
    m_pointsTo.clear();
    QFile file(m_path);
    if (!file.exists())
        return rows;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(m_path, file.errorString());
        return std::nullopt;
    }
    while (!file.atEnd()) {
        const QJsonObject object = QJsonDocument::fromJson(file.readLine()).object(); // torn: {}
        if (object.value("journal"_L1).isString())
            m_pointsTo = object.value("journal"_L1).toString();
        else if (std::optional<RemoteWork> row = RemoteWork::fromJson(object))
            rows.append(*row);
    }
    if (m_asHome && !m_pointsTo.isEmpty()) {
        *error
            = u"%1: this output's remote work is recorded in the journal %2: rerun with --journal %2"_s.arg(
                m_path, m_pointsTo);
        return std::nullopt;
    }
    return rows;
}

bool ViaFileStore::openForAppend(QIODevice::OpenMode extra, QString *error)
{
    m_file.close();
    m_file.setFileName(m_path);
    if (m_file.open(QIODevice::WriteOnly | QIODevice::Unbuffered | extra))
        return true;
    *error = u"cannot write %1: %2"_s.arg(m_path, m_file.errorString());
    return false;
}

bool ViaFileStore::startFresh(QString *error)
{
    return openForAppend(QIODevice::Truncate, error);
}

bool ViaFileStore::append(const QList<RemoteWork> &rows, QString *error)
{
    if (!m_file.isOpen() && !openForAppend(QIODevice::Append, error))
        return false;
    QByteArray bytes;
    for (const RemoteWork &row : rows)
        bytes += QJsonDocument(row.toJson()).toJson(QJsonDocument::Compact) + '\n';
    if (m_file.write(bytes) == bytes.size())
        return true;
    *error = u"cannot write %1: %2"_s.arg(m_path, m_file.errorString());
    return false;
}

bool ViaFileStore::pointTo(const QString &journalPath, QString *error)
{
    if (!openForAppend(QIODevice::Truncate, error))
        return false;
    const QByteArray bytes
        = QJsonDocument(QJsonObject { { u"journal"_s, journalPath } }).toJson(QJsonDocument::Compact) + '\n';
    const bool ok = m_file.write(bytes) == bytes.size();
    if (!ok)
        *error = u"cannot write %1: %2"_s.arg(m_path, m_file.errorString());
    m_file.close();
    return ok;
}

JournalViaStore::JournalViaStore(Journal *journal, const QString &journalPath, const QString &outputPath,
                                 const QString &stateFilePath)
    : m_journal(journal)
    , m_journalPath(QFileInfo(journalPath).absoluteFilePath())
    , m_outputPath(QFileInfo(outputPath).absoluteFilePath())
    , m_file(stateFilePath, false)
{ }

QString JournalViaStore::describe() const
{
    return u"the journal "_s + m_journalPath;
}

std::optional<QList<RemoteWork>> JournalViaStore::load(QString *error)
{
    std::optional<QList<RemoteWork>> rows = RemoteWorkReader::latestFor(m_journalPath, m_outputPath, error);
    if (!rows)
        return rows;
    if (!rows->isEmpty()) // the .via file may be gone: say again where the record is
        return m_file.pointTo(m_journalPath, error) ? rows : std::nullopt;
    // Nothing in the journal: a first run without --journal may have recorded it in the file.
    std::optional<QList<RemoteWork>> fromFile = m_file.load(error);
    if (!fromFile)
        return std::nullopt;
    if (!m_file.pointsTo().isEmpty() && m_file.pointsTo() != m_journalPath) {
        *error = u"%1 says this run's work is recorded in the journal %2: rerun with --journal %2"_s.arg(
            m_file.describe(), m_file.pointsTo());
        return std::nullopt;
    }
    for (RemoteWork &row : *fromFile)
        row.outputPath = m_outputPath;
    if (!fromFile->isEmpty() && (!append(*fromFile, error) || !m_file.pointTo(m_journalPath, error)))
        return std::nullopt;
    return fromFile;
}

bool JournalViaStore::startFresh(QString *error)
{
    return m_file.pointTo(m_journalPath, error);
}

bool JournalViaStore::append(const QList<RemoteWork> &rows, QString *error)
{
    return m_journal->recordRemoteWork(rows, error);
}

} // namespace gp
