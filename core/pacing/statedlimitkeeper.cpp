#include "core/pacing/statedlimitkeeper.h"

#include "core/pacing/scheduler.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace gp {

namespace {
constexpr qint64 MaxFileBytes = 1024 * 1024; // a few hundred scopes are ~100 KB: larger is not ours
} // namespace

QString StatedLimitKeeper::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(dir.isEmpty() ? QDir::homePath() : dir).filePath(u"grokpulse/stated-limits.json"_s);
}

StatedLimitKeeper::StatedLimitKeeper(Scheduler *scheduler, Config config, QObject *parent)
    : QObject(parent)
    , m_scheduler(scheduler)
    , m_config(std::move(config))
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    if (m_config.path.isEmpty())
        m_config.path = defaultPath();
    connect(m_scheduler, &Scheduler::limitStated, this, &StatedLimitKeeper::onLimitStated);
}

StatedLimitKeeper::~StatedLimitKeeper() = default;

int StatedLimitKeeper::start()
{
    const std::optional<StatedLimitMemory> file = readFile(true);
    if (!file)
        return 0;
    const qint64 now = m_clock();
    const QList<StatedLimitMemory::Recalled> recalled
        = file->recallAll(m_config.origin, m_config.keyId, now, m_config.expiryMs);
    for (const StatedLimitMemory::Recalled &r : recalled)
        m_scheduler->rememberStatedLimits(r.model, r.limits, r.ageMs, m_config.expiryMs - r.ageMs);
    return int(recalled.size());
}

bool StatedLimitKeeper::forget()
{
    m_memory = StatedLimitMemory();
    if (!QFileInfo::exists(m_config.path))
        return true;
    return writeFile(StatedLimitMemory());
}

void StatedLimitKeeper::onLimitStated(const QString &model, const QList<StatedLimit> &limits)
{
    const qint64 now = m_clock();
    m_memory.record(StatedLimitScope { m_config.origin, m_config.keyId, model }, limits, now);
    // Merged into what is on disk now: another process may have written since this one started.
    StatedLimitMemory merged = readFile(false).value_or(StatedLimitMemory());
    merged.merge(m_memory);
    merged.prune(now);
    writeFile(merged);
}

std::optional<StatedLimitMemory> StatedLimitKeeper::readFile(bool warnIfBad)
{
    QFile file(m_config.path);
    if (!file.exists())
        return StatedLimitMemory();
    QString error;
    std::optional<StatedLimitMemory> memory;
    if (file.size() > MaxFileBytes)
        error = u"larger than %1 bytes"_s.arg(MaxFileBytes);
    else if (!file.open(QIODevice::ReadOnly))
        error = file.errorString();
    else
        memory = StatedLimitMemory::fromJson(file.readAll(), &error);
    if (!memory && warnIfBad)
        Q_EMIT warning(
            u"the remembered limits in %1 cannot be read (%2): pacing starts without them, and "
            u"the file is rewritten when a server next states a limit"_s.arg(m_config.path, error));
    return memory;
}

bool StatedLimitKeeper::writeFile(const StatedLimitMemory &memory)
{
    QDir().mkpath(QFileInfo(m_config.path).absolutePath());
    QSaveFile file(m_config.path);
    const QByteArray json = memory.toJson();
    // Unbuffered: Qt 6.4's QSaveFile::commit() misses a failed flush of its buffer (disk full).
    if (file.open(QIODevice::WriteOnly | QIODevice::Unbuffered) && file.write(json) == json.size()
        && file.commit())
        return true;
    if (!m_warnedWrite) // once: every later 429 would say the same
        Q_EMIT warning(u"the stated limits cannot be remembered in %1 (%2): the next run starts without "
                       u"them"_s.arg(m_config.path, file.errorString()));
    m_warnedWrite = true;
    return false;
}

} // namespace gp
