#include "core/sim/simrng.h"

#include <cmath>
#include <numbers>

namespace gp::sim {

quint64 SimRng::next()
{
    quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double SimRng::uniform()
{
    return double(next() >> 11) * (1.0 / 9007199254740992.0);
}

double SimRng::uniform(double lo, double hi)
{
    return lo + (hi - lo) * uniform();
}

double SimRng::normal()
{
    const double u1 = 1.0 - uniform(); // (0, 1]: log() stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

} // namespace gp::sim
