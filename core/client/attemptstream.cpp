// The streamed half of Attempt: SSE chat chunks and Responses events as they arrive, and the
// stream's end.
#include "core/client/attempt.h"

#include "core/client/responsesreader.h"

using namespace Qt::StringLiterals;

namespace gp {

void Attempt::handleStreamBytes(const QByteArray &bytes)
{
    if (m_responses) {
        handleResponsesBytes(bytes);
        return;
    }
    const QList<SseEvent> events = m_decoder.feed(bytes);
    for (const SseEvent &event : events) {
        if (m_abortReason != TransportError::None || m_result.malformed || m_result.streamError)
            return;
        handleSseEvent(event);
    }
    if (m_decoder.hasError() && !m_result.malformed) {
        m_result.malformed = true;
        m_result.overLimit = true; // the decoder's only error is its line bound
        m_result.malformedReason = m_decoder.errorString();
    }
    if ((m_result.malformed || m_result.streamError) && m_reply && m_reply->isRunning()) {
        m_abortReason = TransportError::Other; // we stop reading: the stream is no use any more
        m_reply->abort();
    }
}

void Attempt::handleSseEvent(const SseEvent &event)
{
    if (event.isDone()) {
        m_sawDone = true;
        return;
    }
    if (event.data.isEmpty())
        return;
    if (auto error = parseStreamError(event.data)) {
        m_result.streamError = *error;
        return;
    }
    QString parseError;
    const auto chunk = parseChatChunk(event.data, &parseError);
    if (!chunk) {
        m_result.malformed = true;
        m_result.malformedReason = u"bad stream chunk: "_s + parseError;
        return;
    }
    const qint64 nowNs = m_clock.nsecsElapsed();
    if (m_result.firstChunkMs < 0)
        m_result.firstChunkMs = nowNs / 1'000'000;
    else
        m_result.chunkGaps.add(double(nowNs - m_lastChunkNs) / 1e9);
    m_lastChunkNs = nowNs;
    ChatResponse &r = m_result.response;
    if (r.id.isEmpty())
        r.id = chunk->id;
    if (r.model.isEmpty())
        r.model = chunk->model;
    if (chunk->usage)
        r.usage = *chunk->usage;
    if (r.choices.isEmpty())
        r.choices.append(ChatChoice {});
    if (!chunk->finishReason.isEmpty())
        r.choices.first().finishReason = chunk->finishReason;
    if (chunk->deltaContent.isEmpty() && chunk->deltaReasoning.isEmpty())
        return;
    m_content += chunk->deltaContent;
    m_reasoning += chunk->deltaReasoning;
    m_result.outputStarted = true;
    Q_EMIT delta(chunk->deltaContent, chunk->deltaReasoning);
    if (m_timeouts.maxResponseBytes > 0
        && (m_content.size() + m_reasoning.size()) * 2 > m_timeouts.maxResponseBytes)
        failOverLimit(u"streamed text exceeds "_s + QString::number(m_timeouts.maxResponseBytes)
                      + u" bytes"_s);
}

void Attempt::handleResponsesBytes(const QByteArray &bytes)
{
    if (m_abortReason != TransportError::None || m_result.malformed || m_result.streamError)
        return;
    const QList<ResponsesReader::Delta> deltas = m_responses->feed(bytes, m_result, m_clock.elapsed());
    for (const ResponsesReader::Delta &d : deltas)
        Q_EMIT delta(d.content, d.reasoning);
    if ((m_result.malformed || m_result.streamError) && m_reply && m_reply->isRunning()) {
        m_abortReason = TransportError::Other; // we stop reading: the stream is no use any more
        m_reply->abort();
    }
}

void Attempt::finishStream()
{
    if (m_responses) {
        m_responses->finish(m_result,
                            m_result.transport == TransportError::None && !m_result.malformed
                                && !m_result.streamError);
        return;
    }
    if (m_result.transport == TransportError::None && !m_result.malformed && !m_result.streamError) {
        for (const SseEvent &event : m_decoder.finish())
            handleSseEvent(event);
        const bool finishedCleanly = m_sawDone
            || (!m_result.response.choices.isEmpty()
                && !m_result.response.choices.first().finishReason.isEmpty());
        if (!finishedCleanly)
            m_result.transport = TransportError::ClosedEarly; // the stream stopped without [DONE]
    }
    if (m_result.response.choices.isEmpty())
        m_result.response.choices.append(ChatChoice {});
    m_result.response.choices.first().content = m_content;
    m_result.response.choices.first().reasoningContent = m_reasoning;
}

} // namespace gp
