#pragma once

#include <QByteArray>
#include <QIODevice>

namespace gp {

// A request body that can be read once. Qt's HTTP/1.1 code silently sends a request again
// when the connection was reset before any answer; a body that cannot be rewound makes it
// report the reset instead (ContentReSendError), so that every attempt on the wire is one the
// client counts, journals and decides to retry.
class OneShotBody final : public QIODevice
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OneShotBody)

public:
    explicit OneShotBody(QByteArray data, QObject *parent = nullptr);

    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 bytesAvailable() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_read = 0;
};

} // namespace gp
