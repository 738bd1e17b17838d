#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace gp {

struct SseEvent
{
    QByteArray event; // the `event:` field, empty for the default
    QByteArray data; // `data:` lines joined with '\n'
    QByteArray id;
    bool isDone() const { return data == "[DONE]"; }
    bool operator==(const SseEvent &) const = default;
};

// Incremental Server-Sent Events decoder (WHATWG HTML, "event stream interpretation"):
// bytes may arrive split anywhere (mid-line, mid-UTF-8 character, between \r and \n);
// lines end in \n, \r\n or \r; comments (':') are skipped; `data:` lines are joined
// with '\n'; the last `id:` persists across events as the spec says; a leading BOM is
// dropped. A line, or an event's joined data, longer than maxLineBytes sets an error and
// stops decoding for good, so memory stays bounded by about twice that size.
class SseDecoder final
{
public:
    explicit SseDecoder(qsizetype maxLineBytes = 1024 * 1024);

    // Events completed by these bytes, in order (also those before an error).
    QList<SseEvent> feed(QByteArrayView bytes);
    // End of stream: dispatches a pending event that had no closing blank line, then
    // resets the decoder for a new stream (an error stays).
    QList<SseEvent> finish();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

private:
    void processLine(QList<SseEvent> &events);
    void appendData(QByteArrayView value);
    void dispatch(QList<SseEvent> &events);
    void fail(const QString &error);

    qsizetype m_maxLineBytes;
    QByteArray m_line; // the current, unterminated line
    SseEvent m_pending; // event and data of the event being built
    QByteArray m_lastEventId; // persists across events
    bool m_pendingHasData = false;
    bool m_lastWasCR = false; // a \r ended the last feed: skip a \n that starts the next
    bool m_atStreamStart = true;
    QString m_error;
};

} // namespace gp
