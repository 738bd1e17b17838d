#pragma once

#include <QFile>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace gp {

// What a --via run must not forget across a crash, in an append-only JSONL file beside
// the output (OUT.jsonl.via): the batch id and the requests already added (xai-batch),
// the request id of each submitted line (deferred). Each record is one unbuffered
// write() made before anything depends on it, so a kill -9 loses at most a torn last
// record, which reading skips.
class ViaState final
{
public:
    ViaState() = default;
    ViaState(const ViaState &) = delete;
    ViaState &operator=(const ViaState &) = delete;

    static QString pathFor(const QString &outputPath) { return outputPath + QStringLiteral(".via"); }
    // resume: read what is there, then append; otherwise start empty (truncate).
    bool open(const QString &path, bool resume, QString *error);

    QString via() const { return m_via; }
    QString batchId() const { return m_batchId; }
    bool wasAdded(const QString &id) const { return m_added.contains(id); }
    QString requestIdOf(const QString &customId) const { return m_requestIds.value(customId); }

    bool recordBatch(const QString &via, const QString &batchId);
    bool recordAdded(const QStringList &ids);
    bool recordRequestId(const QString &customId, const QString &requestId);
    QString errorString() const { return m_error; }

private:
    void read(const QByteArray &line);
    bool append(const QJsonObject &record);

    QFile m_file;
    QString m_via;
    QString m_batchId;
    QSet<QString> m_added;
    QHash<QString, QString> m_requestIds;
    QString m_error;
};

} // namespace gp
