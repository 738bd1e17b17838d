#pragma once

#include <QtGlobal>

#include <functional>

namespace gp {

// How randomness spreads retries (AWS Architecture Blog, "Exponential Backoff And Jitter").
enum class JitterKind { Full, Equal, Decorrelated };

// Envoy-style backoff: nextBackOffMs() and reset(), randomness injected so tests pin it.
// Full:         uniform(0, min(cap, base * multiplier^n))
// Equal:        t = min(cap, base * multiplier^n); t/2 + uniform(0, t/2)
// Decorrelated: min(cap, uniform(base, previous * 3)), previous starts at base
class Backoff final
{
public:
    // uniform01 returns a value in [0, 1).
    Backoff(JitterKind jitter, qint64 baseMs, qint64 capMs, double multiplier,
            std::function<double()> uniform01);

    qint64 nextBackOffMs();
    void reset();

    int retriesSoFar() const { return m_count; }

private:
    qint64 ceilingFor(int n) const;

    JitterKind m_jitter = JitterKind::Full;
    qint64 m_baseMs = 500;
    qint64 m_capMs = 30000;
    double m_multiplier = 2.0;
    std::function<double()> m_uniform;
    int m_count = 0;
    qint64 m_previousMs = 0;
};

} // namespace gp
