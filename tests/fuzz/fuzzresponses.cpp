// The Responses API stream and body, and the Batch API and deferred answers.
#include "tests/fuzz/fuzzentries.h"

#include "core/wire/batchinfo.h"
#include "core/wire/batchresultpage.h"
#include "core/wire/deferredcompletion.h"
#include "core/wire/responsesresponse.h"
#include "core/wire/responsesstreamdecoder.h"

namespace gp::fuzz {

namespace {

bool hasNoLineBreak(const QString &text)
{
    return !text.contains(u'\n') && !text.contains(u'\r');
}

struct StreamRun
{
    QList<ResponsesEvent> events;
    ResponsesStreamDecoder::Ending ending = ResponsesStreamDecoder::Ending::Open;
    QString text;
    QString error;
};

StreamRun runStream(QByteArrayView stream, qsizetype maxLine, qsizetype maxText, quint8 seed, bool split)
{
    ResponsesStreamDecoder decoder(maxLine, maxText);
    StreamRun run;
    if (!split) {
        run.events = decoder.feed(stream);
    } else {
        quint32 state = seed * 2654435761u + 1;
        for (qsizetype at = 0; at < stream.size();) {
            state = state * 1103515245u + 12345u;
            const qsizetype length = qMin<qsizetype>((state >> 16) % 9, stream.size() - at);
            run.events += decoder.feed(stream.sliced(at, length));
            at += length;
        }
    }
    run.events += decoder.finish();
    run.ending = decoder.ending();
    run.text = decoder.text();
    run.error = decoder.errorString();
    // The contract: finish() always ends the stream; only Completed ends it without a reason.
    GP_FUZZ_CHECK(decoder.isTerminal());
    GP_FUZZ_CHECK((run.ending == ResponsesStreamDecoder::Ending::Completed) == run.error.isEmpty());
    GP_FUZZ_CHECK(run.ending != ResponsesStreamDecoder::Ending::ErrorEvent
                  || decoder.streamError().has_value());
    GP_FUZZ_CHECK(decoder.text().size() <= maxText && decoder.reasoning().size() <= maxText);
    GP_FUZZ_CHECK(decoder.outputStarted() || (decoder.text().isEmpty() && decoder.reasoning().isEmpty()));
    if (decoder.response())
        checkUsage(decoder.response()->usage);
    for (const ResponsesEvent &event : run.events)
        GP_FUZZ_CHECK(hasNoLineBreak(event.type) && event.type.size() <= 80);
    return run;
}

} // namespace

// Byte 0: line limit (high bit: 1..64 bytes), byte 1: split seed and text limit; then the stream.
void fuzzResponsesStream(QByteArrayView data)
{
    if (data.size() < 2)
        return;
    const quint8 control = quint8(data[0]);
    const qsizetype maxLine = (control & 0x80) ? 1 + (control & 0x3f) : 1024 * 1024;
    const qsizetype maxText = (quint8(data[1]) & 0x80) ? 1 + (quint8(data[1]) & 0x0f) : 1024 * 1024;
    const QByteArrayView stream = data.sliced(2);
    const StreamRun whole = runStream(stream, maxLine, maxText, 0, false);
    const StreamRun split = runStream(stream, maxLine, maxText, quint8(data[1]), true);
    GP_FUZZ_CHECK(whole.events == split.events);
    GP_FUZZ_CHECK(whole.ending == split.ending && whole.text == split.text && whole.error == split.error);
}

void fuzzResponsesResponse(QByteArrayView data)
{
    QString error;
    const std::optional<ResponsesResponse> response = parseResponsesResponse(data.toByteArray(), &error);
    GP_FUZZ_CHECK(response.has_value() == error.isEmpty());
    GP_FUZZ_CHECK(hasNoLineBreak(error));
    if (response) {
        GP_FUZZ_CHECK(!response->id.isEmpty());
        GP_FUZZ_CHECK(hasNoLineBreak(response->errorMessage) && hasNoLineBreak(response->errorCode));
        checkUsage(response->usage);
    }
}

// One body read as a results page, a batch object, a deferred submission answer and a poll.
void fuzzBatchBodies(QByteArrayView data)
{
    const QByteArray body = data.toByteArray();
    QString error;
    const std::optional<BatchResultPage> page = parseBatchResultPage(body, &error);
    GP_FUZZ_CHECK(page.has_value() == error.isEmpty() && hasNoLineBreak(error));
    if (page) {
        for (const BatchResultItem &item : page->results) {
            GP_FUZZ_CHECK(item.kind != BatchResultItem::Kind::Error || !item.error.isEmpty());
            GP_FUZZ_CHECK(hasNoLineBreak(item.error));
            checkUsage(item.usage());
        }
    }
    error.clear();
    const std::optional<BatchInfo> info = parseBatchInfo(body, &error);
    GP_FUZZ_CHECK(info.has_value() == error.isEmpty() && hasNoLineBreak(error));
    if (info) {
        GP_FUZZ_CHECK(!info->batchId.isEmpty());
        GP_FUZZ_CHECK(info->state.numPending >= 0 && info->state.numPending <= info->state.numRequests);
    }
    error.clear();
    const std::optional<QString> id = parseDeferredRequestId(body, &error);
    GP_FUZZ_CHECK(id.has_value() == error.isEmpty());
    if (id)
        GP_FUZZ_CHECK(!id->isEmpty() && !id->contains(u'/') && !id->contains(u'.') && !id->contains(u'?'));
    for (const int status : { 200, 202, 404, 500 }) {
        const DeferredPoll poll = readDeferredPoll(status, body);
        if (poll.state != DeferredPoll::State::Ready && poll.state != DeferredPoll::State::Pending)
            GP_FUZZ_CHECK(!poll.error.message.isEmpty());
    }
}

} // namespace gp::fuzz
