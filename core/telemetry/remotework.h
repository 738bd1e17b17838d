#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace gp {

// One record of work left running at the server by `batch --via xai-batch | deferred`:
// the row of the whole work (customId empty: started, then the batch id once created) or
// the row of one input line (added to the batch, or its deferred request id, then
// written to the output). One row per (workId, customId); a later record of the same
// row updates its state. A fresh run starts a new workId; a --resume continues the last one.
struct RemoteWork
{
    qint64 workId = 0; // the run that started this work (its run id)
    qint64 runId = 0; // the run that wrote this record
    QString via; // "xai-batch" | "deferred"
    QString inputPath;
    QString outputPath; // absolute: what a resume looks the work up by
    QString batchId; // xai-batch
    QString requestId; // deferred
    QString customId; // empty: the whole work
    qint64 line = 0; // the input line, when customId is set
    QString state; // started | created | added | submitted | written
    qint64 createdMs = 0;
    qint64 updatedMs = 0;

    QJsonObject toJson() const;
    // nullopt for anything that is not a complete record (a torn line reads as {}).
    static std::optional<RemoteWork> fromJson(const QJsonObject &object);
};

// Reads what a journal records for one output (the latest work written to it).
class RemoteWorkReader final
{
public:
    // nullopt with *error when the journal cannot be read; an empty list when it has no
    // work for outputPath (also a journal older than the table, or no file yet).
    static std::optional<QList<RemoteWork>> latestFor(const QString &journalPath, const QString &outputPath,
                                                      QString *error);
};

} // namespace gp
