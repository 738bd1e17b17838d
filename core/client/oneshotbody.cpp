#include "core/client/oneshotbody.h"

#include <algorithm>
#include <cstring>

namespace gp {

OneShotBody::OneShotBody(QByteArray data, QObject *parent)
    : QIODevice(parent)
    , m_data(std::move(data))
{
    open(QIODevice::ReadOnly);
}

qint64 OneShotBody::bytesAvailable() const
{
    return qint64(m_data.size()) - m_read + QIODevice::bytesAvailable();
}

qint64 OneShotBody::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min<qint64>(maxSize, qint64(m_data.size()) - m_read);
    if (n <= 0)
        return -1; // the end: nothing more will come
    std::memcpy(data, m_data.constData() + m_read, size_t(n));
    m_read += n;
    return n;
}

} // namespace gp
