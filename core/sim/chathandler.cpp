#include "core/sim/chathandler.h"

#include "core/sim/quotaheaders.h"
#include "core/sim/simerrors.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace gp::sim {

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

int ChatHandler::baseLatencyMs(const Draws &draws) const
{
    const LatencySpec &l = m_state.scenario.latency;
    switch (l.distribution) {
    case LatencySpec::Distribution::Fixed: return int(l.ms);
    case LatencySpec::Distribution::Uniform: return int(l.minMs + (l.maxMs - l.minMs) * draws.latency1);
    case LatencySpec::Distribution::LogNormal: {
        // Box-Muller from the two pre-drawn uniforms keeps the draw count per request fixed.
        const double z
            = std::sqrt(-2.0 * std::log(1.0 - draws.latency1)) * std::cos(2.0 * M_PI * draws.latency2);
        const double ms = l.medianMs * std::exp(l.sigma * z);
        return int(std::clamp(ms, l.minMs, l.maxMs > 0 ? l.maxMs : 600000.0));
    }
    }
    return 0;
}

SimHeaders ChatHandler::quotaHeadersNow(const ChatCall &call)
{
    const ModelLimits limits = m_state.scenario.limitsFor(call.model->id);
    const Admission now = m_state.limiter.peek(call.model->id, limits, m_state.nowMs());
    return QuotaHeaders::quota(m_state.headerStyle(), now.requests, now.tokens);
}

std::optional<SimResponse> ChatHandler::preHeaderFault(const FaultSpec &fault, const ChatCall &call)
{
    const QString model = call.model->id;
    switch (fault.kind) {
    case FaultKind::Status: {
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
            : fault.status == 504
            ? QStringLiteral("The upstream request timed out.")
            : QStringLiteral("An internal error occurred while processing the request.");
        return SimErrors::flat(fault.status, message);
    }
    case FaultKind::RateLimit: {
        const Admission now = m_state.limiter.peek(model, m_state.scenario.limitsFor(model), m_state.nowMs());
        m_state.stats.count429(QStringLiteral("fault_rate_limit"));
        return rateLimited(now, call, 0);
    }
    case FaultKind::Capacity:
        m_state.stats.count429(QStringLiteral("capacity"));
        return SimErrors::flat(
            429, QStringLiteral("The model %1 is currently at capacity. Please try again later.").arg(model));
    case FaultKind::CreditsExhausted:
        if (fault.status == 429)
            m_state.stats.count429(QStringLiteral("credits"));
        return SimErrors::flat(
            fault.status,
            QStringLiteral("Your team sim-team has either used all available credits or reached its "
                           "monthly spending limit. To continue making API requests, please purchase "
                           "more credits or raise your spending limit."));
    case FaultKind::TokensExceed: {
        Admission a;
        a.outcome = Admission::Outcome::TokensExceedLimit;
        m_state.stats.count429(QStringLiteral("tokens_exceed"));
        return rateLimited(a, call, 0);
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
    const ModelLimits limits = m_state.scenario.limitsFor(call.model->id);
    SimResponse r;
    if (admission.outcome == Admission::Outcome::TokensExceedLimit) {
        const qint64 limit = limits.tokensPerMinute > 0 ? limits.tokensPerMinute : 16000;
        r = SimErrors::flat(
            429,
            QStringLiteral("This request is too large for model %1: its tokens exceed the limit. "
                           "Tokens per Minute (actual/limit): %2/%3. Reduce the prompt or "
                           "max_completion_tokens.")
                .arg(call.model->id)
                .arg(std::max(reserve, limit + 1))
                .arg(limit));
        r.headers += quotaHeadersNow(call);
        return r;
    }
    const bool tokens = admission.outcome == Admission::Outcome::TokensExhausted;
    const QString message = tokens
        ? QStringLiteral("Team sim-team has exceeded the tokens per minute limit for model %1. "
                         "Tokens per Minute (actual/limit): %2/%3. Please slow down.")
              .arg(call.model->id)
              .arg(limits.tokensPerMinute - admission.tokens.remaining + reserve)
              .arg(limits.tokensPerMinute)
        : QStringLiteral("Team sim-team has exceeded the requests limit for model %1 (%2 requests per %3). "
                         "Please slow down.")
              .arg(call.model->id)
              .arg(limits.requests)
              .arg(limits.windowMs >= 60000 ? u"minute" : u"second");
    r = SimErrors::flat(429, message);
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
    SimResponse r;
    r.headers += quotaHeadersNow(call);
    if (call.stream) {
        r.streaming = true;
        r.headers.prepend(SimHeader { "Cache-Control", "no-cache" });
        r.headers.prepend(SimHeader { "Content-Type", "text/event-stream" });
        r.events = CompletionSynth::streamEvents(id, created, *call.model, c, call.includeUsage);
        r.eventIntervalMs = m_state.scenario.chunkIntervalMs;
        if (fault)
            applyStreamFault(*fault, r);
        return r;
    }
    r.headers.prepend(SimHeader { "Content-Type", "application/json" });
    r.body = CompletionSynth::responseBody(id, created, *call.model, c);
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
    // Fixed draws per valid request: the same seed and request sequence replay exactly.
    Draws draws;
    draws.fault = m_state.rng.uniform();
    draws.latency1 = m_state.rng.uniform();
    draws.latency2 = m_state.rng.uniform();
    const std::optional<FaultSpec> fault = pickFault(draws.fault);
    const int latency = baseLatencyMs(draws);
    SimHeaders extra;
    if (fault) {
        m_state.stats.countFault(fault->kind == FaultKind::Status
                                     ? QStringLiteral("status_%1").arg(fault->status)
                                     : fault->name());
        extra = fault->headers;
        if (std::optional<SimResponse> early = preHeaderFault(*fault, call)) {
            early->headers += extra;
            early->delayBeforeHeadersMs += latency;
            return *early;
        }
    }
    const ModelLimits limits = m_state.scenario.limitsFor(call.model->id);
    const qint64 expected = CompletionSynth::estimateTokens(qsizetype(m_state.scenario.completionWords) * 8);
    const qint64 reserve
        = CompletionSynth::estimateTokens(call.prompt.size()) + call.maxTokens.value_or(expected);
    const Admission admission = m_state.limiter.admit(call.model->id, limits, reserve, m_state.nowMs());
    SimResponse r;
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
    r.delayBeforeHeadersMs += latency;
    if (fault && (fault->kind == FaultKind::Latency || fault->kind == FaultKind::StallBeforeHeaders))
        r.delayBeforeHeadersMs += fault->ms;
    return r;
}

} // namespace gp::sim
