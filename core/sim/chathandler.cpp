#include "core/sim/chathandler.h"

#include "core/sim/quotaheaders.h"
#include "core/sim/simerrors.h"
#include "core/sim/simwordings.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace gp::sim {

namespace {

// A scripted status fault: the scripted body as given, or xAI's wording for that status.
SimResponse statusFault(const FaultSpec &fault)
{
    if (fault.body) {
        SimResponse r;
        r.status = fault.status;
        r.headers.append(
            SimHeader { QByteArray("Content-Type"),
                        QByteArray(fault.body->startsWith('{') ? "application/json" : "text/plain") });
        r.body = *fault.body;
        return r;
    }
    if (fault.status == 502)
        return SimErrors::badGateway();
    const QString message = fault.status == 503
        ? QStringLiteral("The service is temporarily unavailable. Please try again later.")
        : fault.status == 529 ? QStringLiteral("The service is overloaded. Please try again later.")
        : fault.status == 504 ? QStringLiteral("The upstream request timed out.")
                              : QStringLiteral("An internal error occurred while processing the request.");
    return SimErrors::flat(fault.status, message);
}

} // namespace

ChatHandler::Draws ChatHandler::drawsFor(const ChatCall &call)
{
    // Fixed draws per valid request: the same seed and request sequence replay exactly.
    SimRng keyed(0);
    SimRng &rng = m_state.scenario.draws == DrawKeying::Arrival ? m_state.rng : keyed;
    if (m_state.scenario.draws == DrawKeying::PerRequest) {
        // Keyed on the request, not on its arrival: request i's attempt j draws the same
        // whatever else was sent before it (common random numbers for comparing clients).
        const quint64 request = CompletionSynth::hashText(call.model->id + u'\n' + call.prompt);
        if (m_state.requestsSeen.size() >= SimState::MaxRequestsSeen
            && !m_state.requestsSeen.contains(request))
            m_state.requestsSeen.clear();
        const quint64 attempt = quint64(m_state.requestsSeen[request]++);
        keyed.reseed(SimRng(m_state.seed ^ SimRng(request ^ SimRng(attempt).next()).next()).next());
    }
    Draws draws;
    draws.fault = rng.uniform();
    draws.latency1 = rng.uniform();
    draws.latency2 = rng.uniform();
    return draws;
}

std::optional<FaultSpec> ChatHandler::pickFault(double draw)
{
    if (!m_state.scripted.isEmpty())
        return m_state.scripted.takeFirst();
    const double seconds = double(m_state.sinceResetMs()) / 1000.0;
    for (const FaultRule &rule : m_state.scenario.faults) {
        if (rule.isWindowed() && seconds >= *rule.startS && seconds < *rule.startS + rule.durationS
            && draw < rule.probability)
            return rule.fault;
    }
    double cumulative = 0;
    for (const FaultRule &rule : m_state.scenario.faults) {
        if (rule.isWindowed())
            continue;
        cumulative += rule.probability;
        if (draw < cumulative)
            return rule.fault;
    }
    return std::nullopt;
}

void ChatHandler::replaceCode(SimResponse &r, const QString &code)
{
    QJsonObject body = QJsonDocument::fromJson(r.body).object();
    if (body.isEmpty())
        return;
    body.insert(QStringLiteral("code"), code);
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
}

int ChatHandler::baseLatencyMs(const Draws &draws) const
{
    return m_state.scenario.latency.sampleMs(draws.latency1, draws.latency2);
}

SimHeaders ChatHandler::quotaHeadersNow(const ChatCall &call)
{
    const ModelLimits limits = m_state.scenario.limitsFor(call.model->id);
    const Admission now = m_state.limiter.peek(call.model->id, limits, m_state.nowMs());
    return QuotaHeaders::quota(m_state.headerStyle(), now.requests, now.tokens);
}

std::optional<SimResponse> ChatHandler::preHeaderFault(const FaultSpec &fault, const ChatCall &call,
                                                       qint64 reserve)
{
    const QString model = call.model->id;
    const Wording wording = m_state.scenario.wording;
    switch (fault.kind) {
    case FaultKind::Status: return statusFault(fault);
    case FaultKind::RateLimit: {
        const Admission now = m_state.limiter.peek(model, m_state.scenario.limitsFor(model), m_state.nowMs());
        m_state.stats.count429(QStringLiteral("fault_rate_limit"));
        return rateLimited(now, call, 0);
    }
    case FaultKind::Capacity:
        m_state.stats.count429(QStringLiteral("capacity"));
        return SimWordings::capacity(wording, model);
    case FaultKind::CreditsExhausted:
        if (fault.status == 429)
            m_state.stats.count429(QStringLiteral("credits"));
        return SimWordings::credits(wording, fault.status);
    case FaultKind::FreeQuota:
        m_state.stats.count429(QStringLiteral("free_quota"));
        return SimWordings::freeQuota();
    case FaultKind::PermissionDenied: return SimWordings::permissionDenied();
    case FaultKind::TokensExceed: {
        // Scripted: this request alone is stated as over the limit (A = its reservation > L),
        // whatever the window holds, so that it can never succeed as sent.
        m_state.stats.count429(QStringLiteral("tokens_exceed"));
        const qint64 configured = m_state.scenario.limitsFor(model).tokensPerMinute;
        const qint64 limit = std::max<qint64>(1, std::min(configured > 0 ? configured : 16000, reserve - 1));
        SimResponse r = SimWordings::tokensTooLarge(wording, model, std::max(reserve, limit + 1), limit);
        r.headers += quotaHeadersNow(call);
        return r;
    }
    case FaultKind::ResetBeforeHeaders: {
        SimResponse r;
        r.resetBeforeHeaders = true;
        return r;
    }
    case FaultKind::Unauthorized:
        return SimErrors::flat(
            401,
            QStringLiteral("Incorrect API key provided. You can obtain an API key from the xAI console."));
    default: return std::nullopt;
    }
}

SimResponse ChatHandler::rateLimited(const Admission &admission, const ChatCall &call, qint64 reserve)
{
    const QString model = call.model->id;
    const ModelLimits limits = m_state.scenario.limitsFor(model);
    const Wording wording = m_state.scenario.wording;
    SimResponse r;
    if (admission.outcome == Admission::Outcome::TokensExceedLimit) {
        const qint64 limit = limits.tokensPerMinute > 0 ? limits.tokensPerMinute : 16000;
        const qint64 inUse = admission.tokens.limited ? limit - admission.tokens.remaining : 0;
        r = SimWordings::tokensTooLarge(wording, model, std::max(inUse + reserve, limit + 1), limit);
        r.headers += quotaHeadersNow(call);
        return r;
    }
    if (admission.outcome == Admission::Outcome::TokensExhausted)
        r = SimWordings::tokensLimited(wording, model,
                                       limits.tokensPerMinute - admission.tokens.remaining + reserve,
                                       limits.tokensPerMinute);
    else // every other requests 429 carries the sentence about tiers, as xAI's do only sometimes
        r = SimWordings::requestsLimited(wording, model, limits,
                                         m_state.arrivals.counts(model, m_state.nowMs()),
                                         (m_state.requestLimited429s++ % 2) == 1);
    r.headers += QuotaHeaders::quota(m_state.headerStyle(), admission.requests, admission.tokens);
    const qint64 retry = admission.retryAfterMs > 0 ? admission.retryAfterMs : 1000;
    r.headers += QuotaHeaders::retry(m_state.scenario, retry, QDateTime::currentDateTimeUtc());
    return r;
}

void ChatHandler::applyStreamFault(const FaultSpec &fault, SimResponse &r) const
{
    const int eventCount = int(r.events.size());
    const int after = std::min(fault.afterChunks, eventCount);
    switch (fault.kind) {
    case FaultKind::StallMidStream:
        r.stallAfterEvents = after;
        r.stallMs = fault.ms;
        break;
    case FaultKind::CutMidStream: r.cutAfterEvents = after; break;
    case FaultKind::TruncatedBody: r.cutAfterEvents = eventCount / 2; break;
    case FaultKind::ResetAfterHeaders: r.resetAfterHeaders = true; break;
    case FaultKind::MalformedJson:
        r.events[0] = "data: {\"id\":\"broken\",\"choices\":[{\"delta\":{\"content\":\"unterminated\n\n";
        break;
    case FaultKind::StreamErrorEvent:
        // The error replaces the rest of the stream: no finish chunk, no [DONE].
        r.events.resize(after);
        r.events.append(CompletionSynth::sseEvent(SimErrors::flatBody(
            500, QStringLiteral("An internal error occurred while generating the response."))));
        break;
    default: break;
    }
}

SimResponse ChatHandler::answer(const ChatCall &call, const std::optional<FaultSpec> &fault,
                                const QByteArray &requestId, const Admission &admission)
{
    const QString modelId = call.model->id;
    const quint64 promptHash
        = CompletionSynth::hashText(modelId + u'\n' + call.prompt); // the cache is per model
    const bool cached = m_state.promptCache.lookupAndInsert(promptHash);
    const Completion c = CompletionSynth::complete(*call.model, call.prompt, m_state.scenario.completionWords,
                                                   m_state.scenario.wordsPerChunk, call.maxTokens, cached);
    m_state.limiter.settle(modelId, m_state.scenario.limitsFor(modelId), admission.reservedTokens,
                           c.totalTokens(), m_state.nowMs());
    m_state.stats.countAccepted(m_state.sinceResetMs() / 1000);
    m_state.stats.addTokens(c.promptTokens, c.completionTokens, c.reasoningTokens, c.cachedTokens);
    const QString id = QString::fromLatin1(requestId);
    const qint64 created = QDateTime::currentSecsSinceEpoch();
    const double tokensPerSecond = m_state.scenario.tokensPerSecond;
    const double generationMs = tokensPerSecond > 0
        ? std::min(600000.0, 1000.0 * double(c.completionTokens + c.reasoningTokens) / tokensPerSecond)
        : 0.0;
    SimResponse r;
    r.headers += quotaHeadersNow(call);
    if (call.stream) {
        r.streaming = true;
        r.headers.prepend(SimHeader { "Cache-Control", "no-cache" });
        r.headers.prepend(SimHeader { "Content-Type", "text/event-stream" });
        r.events = CompletionSynth::streamEvents(id, created, *call.model, c, call.includeUsage);
        r.eventIntervalMs = m_state.scenario.chunkIntervalMs;
        if (tokensPerSecond > 0) // the generation time spread over the events
            r.eventIntervalMs
                = int(std::lround(generationMs / double(std::max<qsizetype>(1, r.events.size() - 1))));
        if (fault)
            applyStreamFault(*fault, r);
        return r;
    }
    r.headers.prepend(SimHeader { "Content-Type", "application/json" });
    r.body = CompletionSynth::responseBody(id, created, *call.model, c);
    r.delayBeforeHeadersMs += int(std::lround(generationMs)); // a whole answer waits for all its tokens
    if (!fault)
        return r;
    switch (fault->kind) {
    case FaultKind::StallMidStream: r.delayBeforeHeadersMs += fault->ms; break;
    case FaultKind::CutMidStream:
    case FaultKind::TruncatedBody: r.truncateBody = true; break;
    case FaultKind::ResetAfterHeaders: r.resetAfterHeaders = true; break;
    case FaultKind::MalformedJson: r.body = r.body.left(r.body.size() / 2); break;
    case FaultKind::StreamErrorEvent:
        r.status = 500;
        r.body = SimErrors::flatBody(
            500, QStringLiteral("An internal error occurred while generating the response."));
        break;
    default: break;
    }
    return r;
}

SimResponse ChatHandler::handle(const HttpRequest &request, const QByteArray &requestId)
{
    m_state.stats.countRequest(QString::fromUtf8(request.header("x-grokpulse-custom-id")));
    ChatCall call;
    if (std::optional<SimResponse> invalid = ChatCallParser::parse(request, &call))
        return *invalid;
    const Draws draws = drawsFor(call);
    const std::optional<FaultSpec> fault = pickFault(draws.fault);
    const int latency = baseLatencyMs(draws);
    m_state.arrivals.count(call.model->id, m_state.nowMs());
    const ModelLimits limits = m_state.scenario.limitsFor(call.model->id);
    const qint64 expected = CompletionSynth::estimateTokens(qsizetype(m_state.scenario.completionWords) * 8);
    const qint64 reserve
        = CompletionSynth::estimateTokens(call.prompt.size()) + call.maxTokens.value_or(expected);
    SimHeaders extra;
    if (fault) {
        m_state.stats.countFault(fault->kind == FaultKind::Status
                                     ? QStringLiteral("status_%1").arg(fault->status)
                                     : fault->name());
        extra = fault->headers;
        if (std::optional<SimResponse> early = preHeaderFault(*fault, call, reserve)) {
            if (fault->code)
                replaceCode(*early, *fault->code);
            early->headers += extra;
            early->delayBeforeHeadersMs += latency;
            return *early;
        }
    }
    const Admission admission = m_state.limiter.admit(call.model->id, limits, reserve, m_state.nowMs());
    SimResponse r;
    // A limiter's 429 may be answered at admission, before any model work (LatencySpec::rejections).
    const bool refused = admission.outcome != Admission::Outcome::Admitted;
    switch (admission.outcome) {
    case Admission::Outcome::Admitted: r = answer(call, fault, requestId, admission); break;
    case Admission::Outcome::RequestsExhausted:
        m_state.stats.count429(QStringLiteral("requests"));
        r = rateLimited(admission, call, reserve);
        break;
    case Admission::Outcome::TokensExhausted:
        m_state.stats.count429(QStringLiteral("tokens"));
        r = rateLimited(admission, call, reserve);
        break;
    case Admission::Outcome::TokensExceedLimit:
        m_state.stats.count429(QStringLiteral("tokens_exceed"));
        r = rateLimited(admission, call, reserve);
        break;
    }
    r.headers += extra;
    r.delayBeforeHeadersMs
        += refused ? m_state.scenario.latency.rejectionMs(draws.latency1, draws.latency2) : latency;
    if (fault && (fault->kind == FaultKind::Latency || fault->kind == FaultKind::StallBeforeHeaders))
        r.delayBeforeHeadersMs += fault->ms;
    return r;
}

} // namespace gp::sim
