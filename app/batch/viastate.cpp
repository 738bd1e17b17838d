#include "app/batch/viastate.h"

#include "app/batch/inputline.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace gp {

bool ViaState::open(std::unique_ptr<ViaStore> store, const Where &where, bool resume, QString *error)
{
    m_store = std::move(store);
    m_where = where;
    if (resume) {
        std::optional<QList<RemoteWork>> rows = m_store->load(error);
        if (!rows)
            return false;
        for (const RemoteWork &recorded : *rows)
            apply(recorded);
        if (!rows->isEmpty())
            return true;
    } else if (!m_store->startFresh(error)) {
        return false;
    }
    m_workId = where.runId;
    m_via.clear();
    if (append({ row(u"started"_s) }))
        return true;
    *error = m_error;
    return false;
}

void ViaState::apply(const RemoteWork &recorded)
{
    m_workId = recorded.workId;
    m_via = recorded.via;
    if (recorded.customId.isEmpty()) {
        if (!recorded.batchId.isEmpty())
            m_batchId = recorded.batchId;
        return;
    }
    if (!recorded.batchId.isEmpty() || recorded.state == "added"_L1)
        m_added.insert(recorded.customId);
    if (!recorded.requestId.isEmpty())
        m_requestIds.insert(recorded.customId, recorded.requestId);
}

RemoteWork ViaState::row(const QString &state, const InputLine *line) const
{
    RemoteWork w;
    w.workId = m_workId;
    w.runId = m_where.runId;
    w.via = m_where.via;
    w.inputPath = m_where.inputPath;
    w.outputPath = m_where.outputPath;
    w.state = state;
    w.createdMs = w.updatedMs = QDateTime::currentMSecsSinceEpoch();
    if (line) {
        w.customId = line->customId;
        w.line = line->lineNumber;
    }
    return w;
}

bool ViaState::append(const QList<RemoteWork> &rows)
{
    QString error;
    if (m_store->append(rows, &error))
        return true;
    m_error = error;
    return false;
}

bool ViaState::recordBatch(const QString &batchId)
{
    RemoteWork w = row(u"created"_s);
    w.batchId = batchId;
    if (!append({ w }))
        return false;
    apply(w);
    return true;
}

bool ViaState::recordAdded(const QList<InputLine> &lines)
{
    QList<RemoteWork> rows;
    for (const InputLine &line : lines) {
        rows.append(row(u"added"_s, &line));
        rows.last().batchId = m_batchId;
    }
    if (!append(rows))
        return false;
    for (const RemoteWork &w : rows)
        apply(w);
    return true;
}

bool ViaState::recordRequestId(const InputLine &line, const QString &requestId)
{
    RemoteWork w = row(u"submitted"_s, &line);
    w.requestId = requestId;
    if (!append({ w }))
        return false;
    apply(w);
    return true;
}

bool ViaState::recordWritten(const InputLine &line)
{
    RemoteWork w = row(u"written"_s, &line);
    w.batchId = m_added.contains(line.customId) ? m_batchId : QString();
    w.requestId = m_requestIds.value(line.customId);
    return append({ w });
}

} // namespace gp
