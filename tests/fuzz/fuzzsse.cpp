// SSE decoder: the stream fed whole and in input-driven splits must decode alike.
#include "tests/fuzz/fuzzentries.h"

#include "core/wire/chatresponse.h"
#include "core/wire/errorbody.h"
#include "core/wire/ssedecoder.h"

namespace gp::fuzz {

namespace {

struct Decoded
{
    QList<SseEvent> events;
    bool failed = false;
};

// Byte 0 picks the line limit (high bit: a tiny one, to reach the overflow paths),
// byte 1 seeds the split lengths; the rest is the stream.
qsizetype maxLineFor(quint8 control)
{
    return (control & 0x80) ? 1 + (control & 0x3f) : 1024 * 1024;
}

Decoded decodeWhole(QByteArrayView stream, qsizetype maxLine)
{
    SseDecoder decoder(maxLine);
    Decoded out;
    out.events = decoder.feed(stream);
    out.events.append(decoder.finish());
    out.failed = decoder.hasError();
    return out;
}

Decoded decodeSplit(QByteArrayView stream, qsizetype maxLine, quint8 seed)
{
    SseDecoder decoder(maxLine);
    Decoded out;
    quint32 state = seed * 2654435761u + 1;
    qsizetype at = 0;
    while (at < stream.size()) {
        state = state * 1103515245u + 12345u;
        const qsizetype length = qMin<qsizetype>((state >> 16) % 9, stream.size() - at); // 0..8, 0 too
        out.events.append(decoder.feed(stream.sliced(at, length)));
        at += length;
    }
    out.events.append(decoder.finish());
    out.failed = decoder.hasError();
    GP_FUZZ_CHECK(decoder.hasError() == !decoder.errorString().isEmpty());
    return out;
}

void checkEvent(const SseEvent &event, qsizetype maxLine)
{
    GP_FUZZ_CHECK(event.data.size() <= maxLine);
    GP_FUZZ_CHECK(!event.data.contains('\r'));
    GP_FUZZ_CHECK(!event.event.contains('\n') && !event.event.contains('\r'));
    GP_FUZZ_CHECK(!event.id.contains('\n') && !event.id.contains('\r') && !event.id.contains('\0'));
    // What the client does with each event's data.
    if (event.isDone())
        return;
    QString error;
    const std::optional<ChatChunk> chunk = parseChatChunk(event.data, &error);
    GP_FUZZ_CHECK(chunk.has_value() || !error.isEmpty());
    if (const std::optional<ErrorBody> streamError = parseStreamError(event.data))
        GP_FUZZ_CHECK(!streamError->message.isEmpty());
}

} // namespace

void fuzzSseDecoder(QByteArrayView data)
{
    if (data.size() < 2)
        return;
    const qsizetype maxLine = maxLineFor(quint8(data[0]));
    const QByteArrayView stream = data.sliced(2);
    const Decoded whole = decodeWhole(stream, maxLine);
    const Decoded split = decodeSplit(stream, maxLine, quint8(data[1]));
    GP_FUZZ_CHECK(whole.failed == split.failed);
    GP_FUZZ_CHECK(whole.events == split.events);
    for (const SseEvent &event : whole.events)
        checkEvent(event, maxLine);
}

} // namespace gp::fuzz
