#include "core/telemetry/explicithistogram.h"

#include <algorithm>
#include <cmath>

namespace gp {

ExplicitHistogram::ExplicitHistogram(std::span<const double> bounds)
    : m_bounds(bounds)
    , m_counts(bounds.size() + 1, 0)
{ }

void ExplicitHistogram::add(double value)
{
    if (!std::isfinite(value))
        return; // a NaN or infinite sample would poison the sum for good
    const auto it = std::lower_bound(m_bounds.begin(), m_bounds.end(), value);
    ++m_counts[size_t(it - m_bounds.begin())];
    m_sum += value;
    ++m_count;
}

void ExplicitHistogram::addCounts(std::span<const quint32> counts, double sum)
{
    if (counts.size() != m_counts.size() || !std::isfinite(sum))
        return;
    for (size_t i = 0; i < counts.size(); ++i) {
        m_counts[i] += counts[i];
        m_count += counts[i];
    }
    m_sum += sum;
}

} // namespace gp
