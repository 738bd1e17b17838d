#include "core/client/responsesreader.h"

#include "core/wire/responsesresponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// Our own caps say "longer than"; SseDecoder's line bound says "exceeds".
bool isOverCap(const QString &reason)
{
    return reason.contains("longer than"_L1) || reason.contains("exceeds"_L1);
}

QString finishReasonOf(const ResponsesResponse &response)
{
    if (response.status == "incomplete"_L1)
        return response.incompleteReason == "max_output_tokens"_L1 || response.incompleteReason.isEmpty()
            ? u"length"_s
            : response.incompleteReason;
    return u"stop"_s;
}

} // namespace

ResponsesReader::ResponsesReader(qsizetype maxLineBytes, qsizetype maxTextChars)
    : m_decoder(maxLineBytes, maxTextChars)
{ }

QList<ResponsesReader::Delta> ResponsesReader::feed(QByteArrayView bytes, AttemptResult &result,
                                                    qint64 elapsedMs)
{
    QList<Delta> deltas;
    const QList<ResponsesEvent> events = m_decoder.feed(bytes);
    for (const ResponsesEvent &event : events) {
        if (result.firstChunkMs < 0)
            result.firstChunkMs = elapsedMs;
        if (event.kind == ResponsesEvent::Kind::OutputTextDelta && !event.delta.isEmpty())
            deltas.append(Delta { event.delta, {} });
        else if (event.kind == ResponsesEvent::Kind::ReasoningDelta && !event.delta.isEmpty())
            deltas.append(Delta { {}, event.delta });
    }
    result.outputStarted = result.outputStarted || m_decoder.outputStarted();
    if (m_decoder.isTerminal())
        settle(result, true);
    return deltas;
}

void ResponsesReader::finish(AttemptResult &result, bool cleanTransport)
{
    if (cleanTransport && !m_decoder.isTerminal())
        m_decoder.finish();
    settle(result, cleanTransport);
}

// Moves how the stream ended into the result, in the terms the judge reads.
void ResponsesReader::settle(AttemptResult &result, bool cleanTransport)
{
    using Ending = ResponsesStreamDecoder::Ending;
    if (const auto &response = m_decoder.response())
        result.response = toChatResponse(*response);
    if (result.response.choices.isEmpty())
        result.response.choices.append(ChatChoice {});
    ChatChoice &choice = result.response.choices.first();
    choice.content = m_decoder.text();
    choice.reasoningContent = m_decoder.reasoning();
    if (!cleanTransport)
        return; // the transport error is the cause; the partial text is kept
    switch (m_decoder.ending()) {
    case Ending::Open: break;
    case Ending::Completed:
    case Ending::Incomplete:
        if (const auto &response = m_decoder.response()) {
            ResponsesResponse final = *response;
            final.text = m_decoder.text().isEmpty() ? final.text : m_decoder.text();
            if (!final.text.isEmpty())
                choice.content = final.text;
            result.body = synthesizeBody(final);
        }
        break;
    case Ending::Failed: {
        const auto &response = m_decoder.response();
        ErrorBody error;
        error.format = ErrorBodyFormat::XaiFlat;
        error.code = response ? response->errorCode : QString();
        error.message = m_decoder.errorString();
        result.streamError = error;
        break;
    }
    case Ending::ErrorEvent: result.streamError = m_decoder.streamError(); break;
    case Ending::Truncated: result.transport = TransportError::ClosedEarly; break;
    case Ending::Malformed:
        result.malformed = true;
        result.overLimit = isOverCap(m_decoder.errorString());
        result.malformedReason = u"bad Responses stream: "_s + m_decoder.errorString();
        break;
    }
}

void ResponsesReader::readPlainBody(AttemptResult &result)
{
    QString error;
    const auto response = parseResponsesResponse(result.body, &error);
    if (!response) {
        result.malformed = true;
        result.malformedReason = error;
        return;
    }
    if (response->status == "failed"_L1) {
        ErrorBody body;
        body.format = ErrorBodyFormat::XaiFlat;
        body.code = response->errorCode;
        body.message = response->errorMessage.isEmpty() ? u"response failed"_s : response->errorMessage;
        result.streamError = body; // a 2xx that says it failed: classified like an error event
        return;
    }
    result.response = toChatResponse(*response);
}

ChatResponse ResponsesReader::toChatResponse(const ResponsesResponse &response)
{
    ChatResponse chat;
    chat.id = response.id;
    chat.model = response.model;
    chat.created = response.createdAt;
    chat.usage = response.usage;
    chat.choices.append(ChatChoice { 0, response.text, response.reasoningText, finishReasonOf(response) });
    return chat;
}

QByteArray ResponsesReader::synthesizeBody(const ResponsesResponse &response)
{
    const QJsonObject part { { u"type"_s, u"output_text"_s }, { u"text"_s, response.text } };
    const QJsonObject message { { u"type"_s, u"message"_s },
                                { u"role"_s, u"assistant"_s },
                                { u"status"_s, u"completed"_s },
                                { u"content"_s, QJsonArray { part } } };
    QJsonObject body { { u"id"_s, response.id },
                       { u"object"_s, u"response"_s },
                       { u"created_at"_s, response.createdAt },
                       { u"model"_s, response.model },
                       { u"status"_s, response.status },
                       { u"previous_response_id"_s,
                         response.previousResponseId.isEmpty() ? QJsonValue()
                                                               : QJsonValue(response.previousResponseId) },
                       { u"output"_s, QJsonArray { message } } };
    if (!response.incompleteReason.isEmpty())
        body.insert(u"incomplete_details"_s, QJsonObject { { u"reason"_s, response.incompleteReason } });
    const Usage &u = response.usage;
    if (u.present) {
        QJsonObject usage {
            { u"input_tokens"_s, u.promptTokens },
            { u"input_tokens_details"_s, QJsonObject { { u"cached_tokens"_s, u.cachedTokens } } },
            { u"output_tokens"_s, u.completionTokens + u.reasoningTokens },
            { u"output_tokens_details"_s, QJsonObject { { u"reasoning_tokens"_s, u.reasoningTokens } } },
            { u"total_tokens"_s, u.totalTokens }
        };
        if (u.costInUsdTicks)
            usage.insert(u"cost_in_usd_ticks"_s, *u.costInUsdTicks);
        body.insert(u"usage"_s, usage);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace gp
