#pragma once

#include "core/sim/simwordings.h"

#include <QHash>
#include <QString>

#include <array>

namespace gp::sim {

// Requests per model over the last second and the last minute, in 100 ms slots: bounded
// memory whatever the rate (600 slots per model). Time is passed in, as in RateLimiter.
class ArrivalCounter final
{
public:
    void count(const QString &model, qint64 nowMs);
    RequestCounts counts(const QString &model, qint64 nowMs) const;
    void reset() { m_models.clear(); }

private:
    static constexpr qint64 kSlotMs = 100;
    static constexpr int kSlots = 600; // one minute

    struct Slots
    {
        std::array<qint64, kSlots> count {};
        std::array<qint64, kSlots> slotIndex {}; // which absolute slot each entry holds
    };

    QHash<QString, Slots> m_models;
};

} // namespace gp::sim
