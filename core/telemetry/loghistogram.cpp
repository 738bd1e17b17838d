#include "core/telemetry/loghistogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gp {

namespace {
const double kLogGrowth = std::log(LogHistogram::kGrowth);
}

int LogHistogram::binOf(double valueMs)
{
    if (!(valueMs >= 1.0)) // also catches NaN
        return 0;
    const int bin = 1 + int(std::floor(std::log(valueMs) / kLogGrowth));
    return std::clamp(bin, 1, kBinCount - 1);
}

double LogHistogram::binLowerMs(int bin)
{
    return bin <= 0 ? 0.0 : std::pow(kGrowth, bin - 1);
}

double LogHistogram::binUpperMs(int bin)
{
    return bin <= 0 ? 1.0 : std::pow(kGrowth, bin);
}

void LogHistogram::add(double valueMs, quint32 count)
{
    if (count == 0)
        return;
    quint32 &bin = m_bins[size_t(binOf(valueMs))];
    // Saturate rather than wrap: a counter that stops is better than one that lies.
    bin = quint32(std::min<quint64>(quint64(bin) + count, std::numeric_limits<quint32>::max()));
    m_count += count;
    if (std::isfinite(valueMs) && valueMs > 0)
        m_sumMs += valueMs * count;
}

void LogHistogram::merge(const LogHistogram &other)
{
    for (size_t i = 0; i < m_bins.size(); ++i) {
        const quint64 sum = quint64(m_bins[i]) + other.m_bins[i];
        m_bins[i] = quint32(std::min<quint64>(sum, std::numeric_limits<quint32>::max()));
    }
    m_count += other.m_count;
    m_sumMs += other.m_sumMs;
}

void LogHistogram::clear()
{
    m_bins.fill(0);
    m_count = 0;
    m_sumMs = 0.0;
}

double LogHistogram::quantile(double q) const
{
    if (m_count == 0)
        return -1.0;
    q = std::clamp(q, 0.0, 1.0);
    // Nearest-rank: the smallest value with at least ceil(q * n) values at or below it.
    const quint64 rank = std::max<quint64>(1, quint64(std::ceil(q * double(m_count))));
    quint64 seen = 0;
    for (int i = 0; i < kBinCount; ++i) {
        seen += m_bins[size_t(i)];
        if (seen >= rank)
            return i == 0 ? 0.5 : std::sqrt(binLowerMs(i) * binUpperMs(i));
    }
    return std::sqrt(binLowerMs(kBinCount - 1) * binUpperMs(kBinCount - 1));
}

} // namespace gp
