#pragma once

#include "core/pacing/statedlimitmemory.h"

#include <QObject>
#include <QString>

#include <functional>

namespace gp {

class Scheduler;

// Keeps a Scheduler's stated limits in a small file across runs: at start() every unexpired limit
// remembered for this endpoint and key seeds its model's pacing (Scheduler::rememberStatedLimits),
// and each limit a 429 states from then on is written back (atomically, merged with what other
// processes wrote since). A file that cannot be read or written is a warning, never a failure:
// pacing then starts blind, as without it.
class StatedLimitKeeper final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatedLimitKeeper)

public:
    struct Config
    {
        QString path; // empty: defaultPath()
        QString origin; // StatedLimitMemory::originOf(base URL)
        QString keyId; // StatedLimitMemory::keyIdOf(API key)
        qint64 expiryMs = StatedLimitMemory::DefaultExpiryMs;
    };

    // The file every GrokPulse command of this user shares: <generic data>/grokpulse/stated-limits.json.
    static QString defaultPath();

    StatedLimitKeeper(Scheduler *scheduler, Config config, QObject *parent = nullptr);
    ~StatedLimitKeeper() override;

    // Reads the file and seeds the scheduler; returns how many models were seeded.
    int start();
    // Empties the file (forget every remembered limit). False, with a warning, when it cannot.
    bool forget();
    const QString &path() const { return m_config.path; }
    // Wall-clock ms since the epoch; tests pin it.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

Q_SIGNALS:
    void warning(const QString &message); // one sentence naming the file

private:
    void onLimitStated(const QString &model, const QList<StatedLimit> &limits);
    std::optional<StatedLimitMemory> readFile(bool warnIfBad);
    bool writeFile(const StatedLimitMemory &memory);

    Scheduler *m_scheduler;
    Config m_config;
    std::function<qint64()> m_clock;
    StatedLimitMemory m_memory; // what this process stated, merged into the file on each write
    bool m_warnedWrite = false;
};

} // namespace gp
