#pragma once

#include <QString>
#include <QtGlobal>

namespace gp {

// Where and how the journal writes. Loss window: events are batched in memory for up
// to flushIntervalMs (or batchSize events) before one transaction commits them; a
// kill -9 loses at most that window (~200 ms). WAL with synchronous=NORMAL keeps every
// committed batch across an app crash (a power cut may lose the last commits too).
struct JournalConfig
{
    QString path; // empty: defaultPath()
    int flushIntervalMs = 200;
    int batchSize = 500; // flush early when this many events wait
    int maxQueuedEvents = 100'000; // beyond this (disk stalled), events are dropped and counted
    int retentionDays = 30; // rows older than this are deleted; 0 = keep
    qint64 maxSizeBytes = 256LL << 20; // oldest rows deleted while the data is larger; 0 = no cap
    qint64 rotateIntervalMs = 10 * 60'000; // how often rotation runs (also once at open)
    qint64 hardLimitBytes = 0; // SQLite max_page_count: writes fail cleanly beyond; 0 = none

    // <AppDataLocation>/journal.sqlite
    static QString defaultPath();
};

} // namespace gp
