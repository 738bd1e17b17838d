#pragma once

#include "core/telemetry/metricbucket.h"

#include <QtGlobal>

#include <vector>

namespace gp {

// A fixed ring of time buckets of one width (1 s x 3600, 1 min x 1440). Slots are
// allocated once; moving forward recycles the oldest slots, so memory never grows.
class MetricRing final
{
public:
    MetricRing(qint64 bucketMs, int slotCount);

    qint64 bucketMs() const { return m_bucketMs; }
    int slotCount() const { return int(m_slots.size()); }
    qint64 headStartMs() const { return m_headStartMs; } // -1 before the first record
    qint64 spanMs() const { return m_bucketMs * qint64(m_slots.size()); }

    // The bucket holding timeMs, opening newer buckets (gauges carried forward) as needed.
    // nullptr when timeMs is older than the ring keeps.
    MetricBucket *bucketFor(qint64 timeMs, const MetricGauges &carried);
    // Read-only: the bucket starting at startMs, or nullptr when not held.
    const MetricBucket *bucketAt(qint64 startMs) const;
    qint64 alignDown(qint64 timeMs) const;

private:
    MetricBucket &slotOf(qint64 startMs);

    qint64 m_bucketMs;
    std::vector<MetricBucket> m_slots;
    qint64 m_headStartMs = -1;
};

} // namespace gp
