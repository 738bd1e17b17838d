#include "core/wire/responsesstreamdecoder.h"

using namespace Qt::StringLiterals;

namespace gp {

ResponsesStreamDecoder::ResponsesStreamDecoder(qsizetype maxLineBytes, qsizetype maxTextChars)
    : m_sse(maxLineBytes)
    , m_maxTextChars(qMax<qsizetype>(1, maxTextChars))
{ }

QList<ResponsesEvent> ResponsesStreamDecoder::feed(QByteArrayView bytes)
{
    QList<ResponsesEvent> out;
    if (isTerminal())
        return out;
    take(m_sse.feed(bytes), out);
    if (!isTerminal() && m_sse.hasError())
        end(Ending::Malformed, m_sse.errorString());
    return out;
}

QList<ResponsesEvent> ResponsesStreamDecoder::finish()
{
    QList<ResponsesEvent> out;
    if (!isTerminal()) {
        take(m_sse.finish(), out);
        if (!isTerminal() && m_sse.hasError())
            end(Ending::Malformed, m_sse.errorString());
    }
    if (!isTerminal())
        end(Ending::Truncated, u"stream ended without response.completed"_s);
    return out;
}

void ResponsesStreamDecoder::take(const QList<SseEvent> &events, QList<ResponsesEvent> &out)
{
    for (const SseEvent &sse : events) {
        if (isTerminal())
            return;
        if (sse.isDone())
            continue;
        QString reason;
        std::optional<ResponsesEvent> event = parseResponsesEvent(sse.data, sse.event, &reason);
        if (!event) {
            end(Ending::Malformed, reason);
            return;
        }
        apply(*event);
        out.append(std::move(*event));
    }
}

void ResponsesStreamDecoder::apply(const ResponsesEvent &event)
{
    using Kind = ResponsesEvent::Kind;
    switch (event.kind) {
    case Kind::OutputTextDelta:
        if (!event.delta.isEmpty())
            m_outputStarted = true;
        appendBounded(&m_text, event.delta);
        break;
    case Kind::ReasoningDelta:
        if (!event.delta.isEmpty())
            m_outputStarted = true;
        appendBounded(&m_reasoning, event.delta);
        break;
    case Kind::Created:
    case Kind::InProgress: m_response = event.response; break;
    case Kind::Completed:
        m_response = event.response;
        end(Ending::Completed, {});
        break;
    case Kind::Failed: {
        m_response = event.response;
        const QString message
            = event.response->errorMessage.isEmpty() ? u"response failed"_s : event.response->errorMessage;
        end(Ending::Failed, message);
        break;
    }
    case Kind::Incomplete:
        m_response = event.response;
        end(Ending::Incomplete,
            u"response incomplete: "_s
                + (event.response->incompleteReason.isEmpty() ? u"no reason given"_s
                                                              : event.response->incompleteReason));
        break;
    case Kind::Error:
        m_streamError = event.error;
        end(Ending::ErrorEvent, event.error.message);
        break;
    case Kind::Other: break;
    }
}

void ResponsesStreamDecoder::appendBounded(QString *target, const QString &delta)
{
    if (delta.size() > m_maxTextChars - target->size()) {
        end(Ending::Malformed, u"streamed text longer than %1 characters"_s.arg(m_maxTextChars));
        return;
    }
    target->append(delta);
}

void ResponsesStreamDecoder::end(Ending ending, const QString &reason)
{
    if (isTerminal())
        return;
    m_ending = ending;
    m_error = reason;
}

} // namespace gp
