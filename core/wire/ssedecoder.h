#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace gp {

struct SseEvent
{
    QByteArray event; // the `event:` field, empty for the default
    QByteArray data;  // `data:` lines joined with '\n'
    QByteArray id;
    bool isDone() const { return data == "[DONE]"; }
    bool operator==(const SseEvent &) const = default;
};

// Incremental Server-Sent Events decoder: bytes may arrive split anywhere (mid-line,
// mid-UTF-8 character); lines end in \n, \r\n or \r; comments (':') are skipped.
// A line longer than the bound sets an error and stops decoding.
class SseDecoder final
{
public:
    explicit SseDecoder(qsizetype maxLineBytes = 1024 * 1024);

    QList<SseEvent> feed(QByteArrayView bytes);
    // End of stream: dispatches a pending event that had no closing blank line.
    QList<SseEvent> finish();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

private:
    // implementation state is the wire module's choice
    qsizetype m_maxLineBytes;
    QByteArray m_line;
    SseEvent m_pending;
    bool m_pendingHasData = false;
    bool m_lastWasCR = false;
    QString m_error;
};

} // namespace gp
