#pragma once

#include "core/client/outcome.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>
#include <vector>

namespace gp {

class BatchStats;
class OutputWriter;

// The one way a result reaches OUT.jsonl. With a journal, results wait (a few ms) for
// the journal to commit first, so a line in the output is always in the journal too
// and a resume from the journal alone never sends it again. Counts every result in
// the stats as written or not. The first failure to write the output or the journal
// is reported once through writeFailed(); from then on the output gets nothing more.
class ResultCommitter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultCommitter)

public:
    // Commits the journal; false with *error when it could not. Empty: no journal.
    using JournalFlush = std::function<bool(QString *error)>;

    ResultCommitter(OutputWriter *writer, BatchStats *stats, QObject *parent = nullptr);

    void setJournalFlush(JournalFlush flush) { m_journalFlush = std::move(flush); }
    // line: OutputWriter's JSON for outcome; journal: whether the journal records it.
    void add(const QJsonObject &line, const Outcome &outcome, bool journal);
    void addSkipped(); // done by an earlier run: nothing to write
    void commitNow();

    bool hasFailed() const { return !m_failure.isEmpty(); }
    QString failure() const { return m_failure; } // one sentence; empty when none

Q_SIGNALS:
    void writeFailed(const QString &message);

private:
    struct Pending
    {
        QJsonObject line;
        Outcome outcome;
    };

    void fail(const QString &message);

    OutputWriter *m_writer = nullptr;
    BatchStats *m_stats = nullptr;
    JournalFlush m_journalFlush;
    std::vector<Pending> m_pending;
    QTimer m_commitTimer;
    QString m_failure;
    bool m_journalFailed = false;
    bool m_committing = false;
    bool m_reported = false;
};

} // namespace gp
