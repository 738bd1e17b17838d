#include "core/sim/arrivalcounter.h"

namespace gp::sim {

void ArrivalCounter::count(const QString &model, qint64 nowMs)
{
    Slots &s = m_models[model];
    const qint64 slot = nowMs / kSlotMs + 1; // +1: index 0 means "never used"
    const int at = int(slot % kSlots);
    if (s.slotIndex[at] != slot) {
        s.slotIndex[at] = slot;
        s.count[at] = 0;
    }
    ++s.count[at];
}

RequestCounts ArrivalCounter::counts(const QString &model, qint64 nowMs) const
{
    RequestCounts c;
    const auto it = m_models.constFind(model);
    if (it == m_models.constEnd())
        return c;
    const qint64 now = nowMs / kSlotMs + 1;
    for (int i = 0; i < kSlots; ++i) {
        const qint64 age = now - it->slotIndex[i];
        if (it->slotIndex[i] == 0 || age < 0 || age >= kSlots)
            continue;
        c.lastMinute += it->count[i];
        if (age < 1000 / kSlotMs)
            c.lastSecond += it->count[i];
    }
    return c;
}

} // namespace gp::sim
