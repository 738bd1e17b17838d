#include "tests/bench/pacing/benchxairun.h"

#include <QJsonArray>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace gp::bench {

const char *whoName(Who who)
{
    switch (who) {
    case Who::GrokPulse: return "GrokPulse";
    case Who::Article: return "article";
    case Who::SdkRetry: return "sdk-retry";
    case Who::ToldLimit: return "told-limit";
    }
    return "?";
}

ChatRequest makeRequest(const Shape &s, int i)
{
    ChatRequest r;
    r.model = u"grok-4-0709"_s;
    QString prompt = u"Request %1: say something short."_s.arg(i);
    while (prompt.size() < s.promptChars)
        prompt += u" Padding to size the prompt."_s;
    r.messages.append(ChatMessage { u"user"_s, prompt.left(std::max(s.promptChars, 20)) });
    if (s.maxCompletionTokens > 0)
        r.maxCompletionTokens = s.maxCompletionTokens;
    return r;
}

void collect(const sim::SimServer &sim, const Shape &s, int succeeded, qint64 wallMs, Run *run)
{
    const QJsonObject stats = sim.stats();
    const double attempts = double(stats.value(u"requests"_s).toInteger());
    double refused = 0;
    const QJsonObject rejected = stats.value(u"rejected_429"_s).toObject();
    for (auto it = rejected.begin(); it != rejected.end(); ++it)
        refused += double(it.value().toInteger());
    const double tokens = double(stats.value(u"tokens"_s).toObject().value(u"total"_s).toInteger());
    run->wallS = double(std::max<qint64>(1, wallMs)) / 1000.0;
    const double work = s.tokenBound ? tokens : double(succeeded);
    // Of what the server could have accepted in that time: its burst plus its rate.
    run->util = s.limitPerSecond > 0 ? work / (s.burst + s.limitPerSecond * run->wallS) : 0.0;
    run->share429 = attempts > 0 ? refused / attempts : 0.0;
    run->refused = refused;
    run->lost = s.requests - succeeded;
    run->attemptsPerRequest = attempts / double(s.requests);
    // The pacing alone, without the last answers' latency (whole seconds of the server's clock).
    const qsizetype seconds = stats.value(u"accepted_per_second"_s).toArray().size();
    if (s.limitPerSecond > 0 && !s.tokenBound && seconds > 0)
        run->sendUtil
            = double(stats.value(u"accepted"_s).toInteger()) / (s.burst + s.limitPerSecond * double(seconds));
    std::sort(run->successMs.begin(), run->successMs.end());
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double timeToCountS(const Run &run, const Run &other)
{
    const size_t count = other.successMs.size();
    if (count == 0 || run.successMs.size() < count)
        return 0.0;
    return double(run.successMs[count - 1]) / 1000.0;
}

void reportRun(const char *who, int k, const Seeds &seeds, const Run &r)
{
    std::printf(
        "    %-10s run %d (sim seed %llu, client seed %llu): util %.3f  429s %5.2f%% (%.0f)  lost %d  wall "
        "%6.1f s  attempts/request %.3f (client counted %.3f)  sent-by util %.3f\n",
        who, k, static_cast<unsigned long long>(seeds.sim), static_cast<unsigned long long>(seeds.client),
        r.util, 100.0 * r.share429, r.refused, r.lost, r.wallS, r.attemptsPerRequest,
        r.clientAttemptsPerRequest, r.sendUtil);
    std::fflush(stdout);
}

void report(const char *who, const std::vector<Run> &runs)
{
    if (runs.empty())
        return;
    std::vector<double> util, share, refused, lost, wall, apr, capr;
    for (const Run &r : runs) {
        util.push_back(r.util);
        share.push_back(r.share429);
        refused.push_back(r.refused);
        lost.push_back(r.lost);
        wall.push_back(r.wallS);
        apr.push_back(r.attemptsPerRequest);
        capr.push_back(r.clientAttemptsPerRequest);
    }
    std::printf(
        "  %-10s util %.3f  429s %5.2f%% (%3.0f)  lost %3.0f  wall %6.1f s  attempts/request %.3f (client "
        "counted %.3f)%s%s\n",
        who, median(util), 100.0 * median(share), median(refused), median(lost), median(wall), median(apr),
        median(capr),
        runs.front().limitSource.isEmpty() ? "" : "  limit: ", qPrintable(runs.front().limitSource));
    std::fflush(stdout);
}

} // namespace gp::bench
