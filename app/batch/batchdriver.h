#pragma once

#include "core/policy/error.h"

#include <QObject>
#include <QSet>
#include <QString>

namespace gp {

class ResultCommitter;
struct InputLine;

// What the batch session asks of whatever sends its lines: live paced calls
// (BatchRunner), the Batch API (XaiBatchRunner) or deferred completions
// (DeferredRunner). Each writes one result per input line through the committer and
// emits finished() once, from the event loop.
class BatchDriver : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchDriver)

public:
    using QObject::QObject;
    ~BatchDriver() override = default;

    // Ids already done by an earlier run: skipped. Journal-only ones still get a line.
    void setResumeIds(QSet<QString> inOutput, QSet<QString> inJournalOnly);
    virtual void start() = 0;
    // First SIGINT/SIGTERM: stop gracefully.
    virtual void stop(const QString &why) = 0;
    // Write failures, a dead server: stop at once with exitCode.
    virtual void stopNow(const QString &why, int exitCode, ErrorClass asClass = ErrorClass::Cancelled) = 0;
    // Second signal: now (exit 130).
    virtual void abort() = 0;
    virtual QString authenticationError() const = 0;

Q_SIGNALS:
    void finished(int exitCode);

protected:
    // A line an earlier run already answered: counted as skipped (in the output) or given
    // its success line (in the journal only). False when the line is still to be sent.
    bool answerResumed(const InputLine &line, ResultCommitter *results) const;

private:
    QSet<QString> m_skip; // already succeeded in the output
    QSet<QString> m_journalOnly; // succeeded per the journal, not in the output
};

} // namespace gp
