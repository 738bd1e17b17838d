#pragma once

#include "app/batch/viarunner.h"
#include "core/wire/batchrequestitem.h"

#include <QSet>
#include <QTimer>

namespace gp {

struct BatchInfo;
struct BatchResultPage;

// --via xai-batch: the lines go through xAI's Batch API (half price, outside the rate
// limits): create a batch (or reattach, on --resume, to the one the state file names),
// add the requests in bounded chunks, poll with backoff and a progress line, and page
// through the results while it runs (from where the last pass ended, whenever more are
// done), writing each line as its result arrives: one line per input line. A first signal
// leaves the batch running (or, asked on a terminal, cancels it) and says how to resume.
class XaiBatchRunner final : public ViaRunner
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(XaiBatchRunner)

public:
    using ViaRunner::ViaRunner;
    ~XaiBatchRunner() override;

private:
    void begin() override;
    void onStop(const QString &why) override;
    void createBatch();
    void listServerRequests(const QString &token);
    void recordServerHeld();
    void addChunks();
    void addNextChunk();
    void onAdded(const BatchRequestChunk &chunk, const ApiReply &reply);
    void schedulePoll();
    void poll();
    void onPolled(const BatchInfo &info);
    // A pass reads result pages from m_cursor to the last one; Final once the batch is done,
    // FromStart when that left lines without a result (pages may not come in a stable order).
    enum class Pass { Running, Final, FromStart };
    void startPass(Pass pass);
    void fetchPage(const QString &token);
    void onPage(const QString &token, const BatchResultPage &page);
    void endPass(const QString &why);
    void finishResults(const QString &why);
    void failWhole(const QString &what, const ApiReply &reply);
    QString batchPath(const QString &tail = {}) const;
    static QString errorText(const ApiReply &reply);

    QString m_batchId;
    QList<BatchRequestChunk> m_chunks;
    int m_nextChunk = 0;
    qint64 m_pollDelayMs = 0;
    qint64 m_firstPollMs = -1;
    QTimer m_pollTimer;
    QSet<QString> m_serverHeld; // reattached: the ids the batch already holds
    QSet<QString> m_seenTokens; // in this pass (or this listing)
    QString m_cursor; // the token of the last page read: the next pass starts there
    Pass m_pass = Pass::Running;
    qint64 m_doneAtLastPass = 0;
    QSet<QString> m_unknownIds;
    QSet<QString> m_notedProblems; // a running pass names each problem once
    bool m_cancelled = false;
};

} // namespace gp
