#include "app/batch/batchdriver.h"

#include "app/batch/inputline.h"
#include "app/batch/outputwriter.h"
#include "app/batch/resultcommitter.h"
#include "core/client/outcome.h"

namespace gp {

void BatchDriver::setResumeIds(QSet<QString> inOutput, QSet<QString> inJournalOnly)
{
    m_skip = std::move(inOutput);
    m_journalOnly = std::move(inJournalOnly);
}

bool BatchDriver::answerResumed(const InputLine &line, ResultCommitter *results) const
{
    if (m_skip.contains(line.customId)) {
        results->addSkipped();
        return true;
    }
    if (m_journalOnly.contains(line.customId)) {
        Outcome succeeded;
        succeeded.status = JobStatus::Succeeded;
        results->add(OutputWriter::journalSuccessLine(line.customId, line.lineNumber), succeeded, false);
        return true;
    }
    return false;
}

} // namespace gp
