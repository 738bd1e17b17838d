#pragma once

#include <QtGlobal>

namespace gp::sim {

// A seeded splitmix64 generator: tiny, fast and identical on every platform,
// so one seed replays the same fault sequence everywhere.
class SimRng final
{
public:
    explicit SimRng(quint64 seed = 0)
        : m_state(seed)
    { }
    void reseed(quint64 seed) { m_state = seed; }
    quint64 next();
    double uniform(); // [0, 1)
    double uniform(double lo, double hi);
    double normal(); // standard normal (Box-Muller, two draws)

private:
    quint64 m_state = 0;
};

} // namespace gp::sim
