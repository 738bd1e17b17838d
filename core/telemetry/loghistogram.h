#pragma once

#include <QtGlobal>

#include <array>

namespace gp {

// Fixed-size log-bucketed histogram of non-negative millisecond values.
// Bin k (k >= 1) holds [1.1^(k-1), 1.1^k) ms; bin 0 holds values below 1 ms; the last
// bin also takes everything above ~1.2e6 ms (20 min). A quantile is reported as the
// geometric middle of its bin, so its relative error is at most sqrt(1.1) - 1 < 4.9%
// (values above the top bin are clamped). Memory: kBinCount * 4 bytes, whatever the load.
class LogHistogram final
{
public:
    static constexpr int kBinCount = 150;
    static constexpr double kGrowth = 1.1;
    static constexpr double kRelativeError = 0.049; // sqrt(kGrowth) - 1, rounded up

    void add(double valueMs, quint32 count = 1);
    void merge(const LogHistogram &other);
    void clear();

    quint64 count() const { return m_count; }
    double sumMs() const { return m_sumMs; }
    // q in [0, 1]; -1 when empty.
    double quantile(double q) const;

    static int binOf(double valueMs);
    static double binLowerMs(int bin);
    static double binUpperMs(int bin);

private:
    std::array<quint32, kBinCount> m_bins {};
    quint64 m_count = 0;
    double m_sumMs = 0.0;
};

} // namespace gp
