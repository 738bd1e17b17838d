#pragma once

#include "core/telemetry/journalreader.h"

#include <optional>

namespace gp {

class EventLogModel;

// Reads the journal into the event log's model in the order the rows were written: on a
// restart the newest rows of the time window (as many as the memory ceiling can hold), then on
// each poll only the rows written since. One query per page; nothing is read twice.
class EventLogFeed final
{
public:
    static constexpr int kPage = 5000;
    static constexpr qint64 kBytesPerEvent = 200; // a guess on the low side: the model trims the rest

    bool open(const QString &path, QString *error = nullptr);
    bool isOpen() const { return m_reader.isOpen(); }
    const JournalReader &reader() const { return m_reader; }

    // Clears the model and starts again from its window (before nowMs).
    bool restart(EventLogModel *model, qint64 nowMs, QString *error = nullptr);
    // Takes in what was written since, for up to budgetMs (-1: until it caught up). True when
    // it caught up, false when more is waiting, nullopt with *error when the journal cannot be read.
    std::optional<bool> poll(EventLogModel *model, int budgetMs, QString *error = nullptr);

private:
    JournalReader m_reader;
    qint64 m_afterId = 0;
};

} // namespace gp
