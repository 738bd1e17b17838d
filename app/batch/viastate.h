#pragma once

#include "app/batch/viastore.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

namespace gp {

struct InputLine;

// What a --via run must not forget across a crash: the batch id and the requests already
// added (xai-batch), the request id of each submitted line (deferred), and which lines were
// written. Kept in one ViaStore (the journal, or OUT.jsonl.via without one); each record
// is durable before anything depends on it. What was recorded is read back through one
// path, apply(), whichever store held it.
class ViaState final
{
public:
    struct Where
    {
        QString via; // "xai-batch" | "deferred"
        QString inputPath;
        QString outputPath; // absolute
        qint64 runId = 0; // this process's run (the journal's run id, when there is one)
    };

    ViaState() = default;
    ViaState(const ViaState &) = delete;
    ViaState &operator=(const ViaState &) = delete;

    static QString pathFor(const QString &outputPath) { return outputPath + QStringLiteral(".via"); }
    // resume: read what the store holds for this output and continue that work; otherwise (or
    // when it holds nothing) start a new one.
    bool open(std::unique_ptr<ViaStore> store, const Where &where, bool resume, QString *error);

    QString via() const { return m_via; } // of the recorded work; empty when nothing was recorded
    QString batchId() const { return m_batchId; }
    bool wasAdded(const QString &id) const { return m_added.contains(id); }
    QString requestIdOf(const QString &customId) const { return m_requestIds.value(customId); }
    qint64 workId() const { return m_workId; }
    QString storeName() const { return m_store ? m_store->describe() : QString(); }

    bool recordBatch(const QString &batchId);
    bool recordAdded(const QList<InputLine> &lines);
    bool recordRequestId(const InputLine &line, const QString &requestId);
    bool recordWritten(const InputLine &line);
    QString errorString() const { return m_error; }

private:
    void apply(const RemoteWork &row);
    RemoteWork row(const QString &state, const InputLine *line = nullptr) const;
    bool append(const QList<RemoteWork> &rows);

    std::unique_ptr<ViaStore> m_store;
    Where m_where;
    qint64 m_workId = 0;
    QString m_via;
    QString m_batchId;
    QSet<QString> m_added;
    QHash<QString, QString> m_requestIds;
    QString m_error;
};

} // namespace gp
