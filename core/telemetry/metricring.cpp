#include "core/telemetry/metricring.h"

#include <algorithm>

namespace gp {

MetricRing::MetricRing(qint64 bucketMs, int slotCount)
    : m_bucketMs(std::max<qint64>(1, bucketMs))
    , m_slots(size_t(std::max(1, slotCount)))
{ }

qint64 MetricRing::alignDown(qint64 timeMs) const
{
    const qint64 r = timeMs % m_bucketMs;
    return timeMs - (r < 0 ? r + m_bucketMs : r);
}

MetricBucket &MetricRing::slotOf(qint64 startMs)
{
    const qint64 n = qint64(m_slots.size());
    qint64 index = (startMs / m_bucketMs) % n;
    if (index < 0)
        index += n;
    return m_slots[size_t(index)];
}

MetricBucket *MetricRing::bucketFor(qint64 timeMs, const MetricGauges &carried)
{
    const qint64 start = alignDown(timeMs);
    if (m_headStartMs >= 0 && start <= m_headStartMs) {
        if (start <= m_headStartMs - spanMs())
            return nullptr; // older than the ring keeps
        MetricBucket &slot = slotOf(start);
        return slot.startMs == start ? &slot : nullptr;
    }
    // Open every bucket between the head and `start`; at most one ring's worth.
    qint64 first = m_headStartMs < 0 ? start : m_headStartMs + m_bucketMs;
    first = std::max(first, start - spanMs() + m_bucketMs);
    for (qint64 s = first; s <= start; s += m_bucketMs) {
        MetricBucket &slot = slotOf(s);
        slot = MetricBucket {};
        slot.startMs = s;
        slot.gauges = carried;
    }
    m_headStartMs = start;
    return &slotOf(start);
}

const MetricBucket *MetricRing::bucketAt(qint64 startMs) const
{
    if (m_headStartMs < 0 || startMs > m_headStartMs || startMs <= m_headStartMs - spanMs())
        return nullptr;
    const qint64 n = qint64(m_slots.size());
    qint64 index = (startMs / m_bucketMs) % n;
    if (index < 0)
        index += n;
    const MetricBucket &slot = m_slots[size_t(index)];
    return slot.startMs == startMs ? &slot : nullptr;
}

} // namespace gp
