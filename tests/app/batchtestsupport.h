#pragma once

// Helpers for tst_batchcommand: input and scenario files, the grokpulse subprocess, sim stats.
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

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
// kill(2) for a running child only: a finished QProcess has pid 0, and kill(0, ...) would signal
// this test's whole process group (ctest and the CI script with it).
bool sendSignal(QProcess *process, int signalNumber);
void stopProcess(QProcess *process);

} // namespace batchtest
