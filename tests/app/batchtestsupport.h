#pragma once

// Helpers for tst_batchcommand: input and scenario files, the grokpulse subprocess, sim stats.
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QSet>
#include <QStringList>
#include <QTemporaryDir>

#include <optional>

namespace batchtest {

inline constexpr QLatin1StringView PlantedKey("xai-PLANTED-KEY-777");

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// {"id": "<prefix>-N", "prompt": ...} lines; returns the ids.
QStringList writeInput(const QString &path, int count, const QString &prefix);
// A fast scenario (generous limits, no faults) with `extra` fields replaced; returns its path.
QString writeScenario(const QTemporaryDir &dir, const QString &name, const QJsonObject &extra);
// Output lines as objects; a torn line becomes {"torn": text} unless completeLinesOnly.
QList<QJsonObject> readOutput(const QString &path, bool completeLinesOnly = false);
QStringList idsOf(const QList<QJsonObject> &lines); // sorted
QStringList sorted(QStringList list);
// The system environment without XAI_API_KEY / GROKPULSE_BASE_URL, plus `key` when given.
QProcessEnvironment environment(const QString &key = QString());
void startBatch(QProcess *process, const QStringList &arguments, const QProcessEnvironment &env);
Run runBatch(const QStringList &arguments, const QProcessEnvironment &env, int timeoutMs = 30000);
// Starts `grokpulse sim --port 0`; returns its base URL (".../v1") from its first line.
QString startSim(QProcess *sim, const QStringList &arguments, const QProcessEnvironment &env);
QJsonObject simStats(const QString &baseUrl); // GET /sim/stats
// GET baseUrl/relative with a test key; the JSON object, or {} after 5 s or on garbage.
QJsonObject simGetJson(const QString &baseUrl, const QString &relative);
// kill(2) for a running child only: a finished QProcess has pid 0, and kill(0, ...) would signal
// this test's whole process group (ctest and the CI script with it).
bool sendSignal(QProcess *process, int signalNumber);
void stopProcess(QProcess *process);

// Like runBatch, with `input` written to the child's standard input (then closed).
Run runBatchWithStdin(const QStringList &arguments, const QProcessEnvironment &env, const QByteArray &input,
                      int timeoutMs = 30000);
// A loopback port nothing listens on (bound once, then released).
quint16 closedPort();
// Custom ids the journal (read with the sqlite3 tool) records as succeeded; nullopt when unreadable.
std::optional<QSet<QString>> journalSucceeded(const QString &journalPath);

// A tmpfs of `size` (e.g. "64k") mounted on a fresh directory for the test's life.
// Needs root (CAP_SYS_ADMIN): check isMounted(), or skip with skipReason().
class SmallTmpfs final
{
public:
    explicit SmallTmpfs(const QString &size);
    ~SmallTmpfs();
    SmallTmpfs(const SmallTmpfs &) = delete;
    SmallTmpfs &operator=(const SmallTmpfs &) = delete;

    bool isMounted() const { return m_mounted; }
    QString skipReason() const { return m_reason; }
    QString filePath(const QString &name) const;
    bool resize(const QString &size); // remount with another size (to make room again)
    // Writes a filler file until the filesystem is full; returns the bytes written.
    qint64 fill();

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
    QString m_reason;
};

} // namespace batchtest
