#include "app/batch/resultcommitter.h"

#include "app/batch/batchstats.h"
#include "app/batch/outputwriter.h"

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// Results finishing within this long share one journal commit.
constexpr int CommitDelayMs = 10;

} // namespace

ResultCommitter::ResultCommitter(OutputWriter *writer, BatchStats *stats, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_stats(stats)
{
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setInterval(CommitDelayMs);
    connect(&m_commitTimer, &QTimer::timeout, this, &ResultCommitter::commitNow);
}

void ResultCommitter::add(const QJsonObject &line, const Outcome &outcome, bool journal)
{
    m_pending.push_back(Pending { line, outcome });
    if (journal && m_journalFlush && !m_journalFailed) {
        if (!m_commitTimer.isActive())
            m_commitTimer.start();
        return;
    }
    if (!m_commitTimer.isActive()) // nothing waits for the journal: write now, in order
        commitNow();
}

void ResultCommitter::addSkipped()
{
    m_stats->recordSkipped();
}

void ResultCommitter::commitNow()
{
    if (m_committing)
        return; // the running commit takes what was added meanwhile
    m_committing = true;
    m_commitTimer.stop();
    while (!m_pending.empty()) {
        std::vector<Pending> batch;
        batch.swap(m_pending);
        QString error;
        if (m_journalFlush && !m_journalFailed && !m_journalFlush(&error)) {
            m_journalFailed = true;
            // What we hold is still written to the output: it is paid for and intact.
            fail(u"the journal cannot be written (%1)"_s.arg(error));
        }
        for (const Pending &result : batch) {
            const bool written = m_writer->write(result.line);
            if (!written && !m_writer->errorString().isEmpty() && !m_reported)
                fail(
                    u"the output %1 cannot be written (%2)"_s.arg(m_writer->path(), m_writer->errorString()));
            m_stats->recordOutcome(result.outcome, written);
        }
    }
    m_committing = false;
    if (!m_failure.isEmpty() && !m_reported) {
        m_reported = true;
        Q_EMIT writeFailed(m_failure); // may cancel jobs: their results come back through add()
    }
}

void ResultCommitter::fail(const QString &message)
{
    if (m_failure.isEmpty())
        m_failure = message;
}

} // namespace gp
