#pragma once

#include "core/wire/responsesevent.h"
#include "core/wire/ssedecoder.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace gp {

// Decodes a streamed Responses API body into typed events and keeps what the caller needs
// at the end: the text so far, the final response (with usage) and how the stream ended.
// Bytes may be split anywhere; the line and event-data cap is SseDecoder's; the text
// accumulated from deltas is capped at maxTextChars. Events after the terminal one are
// ignored; a `data: [DONE]` line, which some proxies add, is skipped.
class ResponsesStreamDecoder final
{
public:
    enum class Ending {
        Open, // nothing terminal yet
        Completed, // response.completed
        Failed, // response.failed (the response's error says why)
        Incomplete, // response.incomplete (stopped early, e.g. max_output_tokens)
        ErrorEvent, // an `error` event
        Truncated, // finish() without any terminal event: cut off
        Malformed, // bad bytes, an unreadable event, or over a cap: see errorString()
    };

    explicit ResponsesStreamDecoder(qsizetype maxLineBytes = 1024 * 1024,
                                    qsizetype maxTextChars = 8 * 1024 * 1024);

    QList<ResponsesEvent> feed(QByteArrayView bytes);
    // End of the body: dispatches a last event without a blank line; Open becomes Truncated.
    QList<ResponsesEvent> finish();

    Ending ending() const { return m_ending; }
    bool isTerminal() const { return m_ending != Ending::Open; }
    // A one-line reason for Failed, Incomplete, ErrorEvent, Truncated and Malformed.
    QString errorString() const { return m_error; }
    bool outputStarted() const { return m_outputStarted; }
    const QString &text() const { return m_text; }
    const QString &reasoning() const { return m_reasoning; }
    // The response of the terminal event (Completed, Failed or Incomplete), else of response.created.
    const std::optional<ResponsesResponse> &response() const { return m_response; }
    const std::optional<ErrorBody> &streamError() const { return m_streamError; }

private:
    void take(const QList<SseEvent> &events, QList<ResponsesEvent> &out);
    void apply(const ResponsesEvent &event);
    void appendBounded(QString *target, const QString &delta);
    void end(Ending ending, const QString &reason);

    SseDecoder m_sse;
    qsizetype m_maxTextChars;
    Ending m_ending = Ending::Open;
    QString m_error;
    bool m_outputStarted = false;
    QString m_text;
    QString m_reasoning;
    std::optional<ResponsesResponse> m_response;
    std::optional<ErrorBody> m_streamError;
};

} // namespace gp
