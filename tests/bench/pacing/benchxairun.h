#pragma once

// bench_xai's rows, clients and per-run results: what one run measures and how it is printed.
#include "core/sim/simserver.h"
#include "core/wire/chatrequest.h"

#include <QEventLoop>
#include <QJsonObject>
#include <QString>
#include <QtGlobal>

#include <functional>
#include <vector>

namespace gp::bench {

// A number from the environment (a benchmark knob), else `fallback`.
template<typename T> T envNumber(const char *name, T fallback)
{
    return qEnvironmentVariableIsSet(name) ? T(qEnvironmentVariable(name).toDouble()) : fallback;
}

struct Shape
{
    const char *label;
    std::function<QJsonObject()> scenario;
    int requests;
    int promptChars;
    qint64 maxCompletionTokens;
    bool tokenBound;
    double limitPerSecond; // requests/s, or tokens/s when token-bound; 0 = no limit
    double estimateTokens; // what a told client reserves per request (token-bound)
    double burst; // what the server lets through at once (requests, or tokens when token-bound)
};

struct Latency
{
    const char *label;
    QJsonObject json;
    int inFlight;
};

struct Run
{
    double util = 0.0;
    double share429 = 0.0;
    double refused = 0.0; // 429 answers the server gave
    int lost = 0;
    double wallS = 0.0;
    double attemptsPerRequest = 0.0; // as the server saw them
    double clientAttemptsPerRequest = 0.0; // as the client counted them (0 = not counted)
    double sendUtil = 0.0; // requests accepted by the second the server accepted the last (rows by requests)
    QString limitSource;
    std::vector<qint64> successMs; // when each success finished, from the start, ascending
};

enum class Who { GrokPulse, Article, SdkRetry, ToldLimit };

const char *whoName(Who who);

struct Seeds // of one run: run k seeds the simulator with 42 + k and the clients with 11 + k
{
    quint64 sim = 42;
    quint64 client = 11;
};

ChatRequest makeRequest(const Shape &s, int i);
void collect(const sim::SimServer &sim, const Shape &s, int succeeded, qint64 wallMs, Run *run);
double median(std::vector<double> v);
// The time by which `run` had as many successes as `other` had in all (0 when it never had).
double timeToCountS(const Run &run, const Run &other);
void reportRun(const char *who, int k, const Seeds &seeds, const Run &r);
void report(const char *who, const std::vector<Run> &runs);

} // namespace gp::bench
