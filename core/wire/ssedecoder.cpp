#include "core/wire/ssedecoder.h"

using namespace Qt::StringLiterals;

namespace gp {

SseDecoder::SseDecoder(qsizetype maxLineBytes)
    : m_maxLineBytes(qMax<qsizetype>(1, maxLineBytes))
{ }

QList<SseEvent> SseDecoder::feed(QByteArrayView bytes)
{
    QList<SseEvent> events;
    qsizetype i = 0;
    while (i < bytes.size() && !hasError()) {
        if (m_lastWasCR) {
            m_lastWasCR = false;
            if (bytes[i] == '\n') { // the second half of a \r\n split across feeds
                ++i;
                continue;
            }
        }
        qsizetype end = i;
        while (end < bytes.size() && bytes[end] != '\n' && bytes[end] != '\r')
            ++end;
        if (end - i > m_maxLineBytes - m_line.size()) {
            fail(u"SSE line longer than %1 bytes"_s.arg(m_maxLineBytes));
            break;
        }
        m_line.append(bytes.sliced(i, end - i));
        if (end == bytes.size())
            break;
        m_lastWasCR = bytes[end] == '\r';
        i = end + 1;
        processLine(events);
    }
    return events;
}

QList<SseEvent> SseDecoder::finish()
{
    QList<SseEvent> events;
    if (hasError())
        return events;
    if (!m_line.isEmpty())
        processLine(events);
    if (!hasError())
        dispatch(events);
    m_line.clear();
    m_pending = {};
    m_lastEventId.clear();
    m_pendingHasData = false;
    m_lastWasCR = false;
    m_atStreamStart = true;
    return events;
}

void SseDecoder::processLine(QList<SseEvent> &events)
{
    QByteArrayView line(m_line);
    if (m_atStreamStart && line.startsWith("\xEF\xBB\xBF"))
        line = line.sliced(3);
    m_atStreamStart = false;
    if (line.isEmpty()) {
        dispatch(events);
    } else if (line.front() != ':') { // ':' starts a comment (keep-alive)
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView field = colon < 0 ? line : line.first(colon);
        QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
        if (field == "data")
            appendData(value);
        else if (field == "event")
            m_pending.event = value.toByteArray();
        else if (field == "id" && !value.contains('\0'))
            m_lastEventId = value.toByteArray();
        // "retry" and unknown fields are ignored, as the spec says.
    }
    m_line.clear();
}

void SseDecoder::appendData(QByteArrayView value)
{
    const qsizetype separator = m_pendingHasData ? 1 : 0;
    if (value.size() + separator > m_maxLineBytes - m_pending.data.size()) {
        fail(u"SSE event data longer than %1 bytes"_s.arg(m_maxLineBytes));
        return;
    }
    if (m_pendingHasData)
        m_pending.data.append('\n');
    m_pending.data.append(value);
    m_pendingHasData = true;
}

void SseDecoder::dispatch(QList<SseEvent> &events)
{
    if (m_pendingHasData) {
        m_pending.id = m_lastEventId;
        events.append(std::move(m_pending));
    }
    m_pending = {};
    m_pendingHasData = false;
}

void SseDecoder::fail(const QString &error)
{
    m_error = error;
    m_line.clear();
    m_line.squeeze();
    m_pending = {};
    m_pendingHasData = false;
}

} // namespace gp
