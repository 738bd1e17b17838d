#pragma once

#include <QtGlobal>

#include <span>
#include <vector>

namespace gp {

// A histogram over fixed upper bounds, as Prometheus and OpenTelemetry's explicit-bucket
// histograms count: a value v falls in the first bucket whose bound b has v <= b, or in +Inf.
class ExplicitHistogram final
{
public:
    explicit ExplicitHistogram(std::span<const double> bounds);

    void add(double value);
    // Adds samples already counted over the same bounds (non-cumulative, +Inf last).
    void addCounts(std::span<const quint32> counts, double sum);

    std::span<const double> bounds() const { return m_bounds; }
    // Non-cumulative counts: one per bound, then +Inf.
    const std::vector<quint64> &counts() const { return m_counts; }
    double sum() const { return m_sum; }
    quint64 count() const { return m_count; }

private:
    std::span<const double> m_bounds;
    std::vector<quint64> m_counts;
    double m_sum = 0.0;
    quint64 m_count = 0;
};

} // namespace gp
