#pragma once

#include "core/client/attemptresult.h"
#include "core/wire/responsesstreamdecoder.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace gp {

struct ResponsesResponse;

// Reads a Responses API answer into an AttemptResult in chat terms, so retries, the
// classification and the outcome work as for chat: the typed event stream (a text delta
// marks output as started; response.failed and `error` are stream errors; a stream that
// ends without a terminal event is cut short) or a plain body.
class ResponsesReader final
{
public:
    struct Delta
    {
        QString content;
        QString reasoning;
    };

    ResponsesReader(qsizetype maxLineBytes, qsizetype maxTextChars);

    // Decodes bytes of a 2xx stream; returns the deltas to pass on, in order.
    QList<Delta> feed(QByteArrayView bytes, AttemptResult &result, qint64 elapsedMs);
    // The body ended. cleanTransport: no transport error so far (else it stays the cause).
    void finish(AttemptResult &result, bool cleanTransport);
    bool isTerminal() const { return m_decoder.isTerminal(); }

    // A non-stream 2xx body: result.response from it, or result.malformed with the reason.
    static void readPlainBody(AttemptResult &result);
    // The Responses object for an assembled stream, so a streamed outcome's body looks
    // like a non-stream one.
    static QByteArray synthesizeBody(const ResponsesResponse &response);
    static ChatResponse toChatResponse(const ResponsesResponse &response);

private:
    void settle(AttemptResult &result, bool cleanTransport);

    ResponsesStreamDecoder m_decoder;
};

} // namespace gp
