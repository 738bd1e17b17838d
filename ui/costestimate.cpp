#include "ui/costestimate.h"

namespace gp {

CostEstimate CostEstimate::of(const Usage &usage)
{
    if (const auto usd = usage.costUsd())
        return { *usd, false };
    const double uncached = double(std::max<qint64>(0, usage.promptTokens - usage.cachedTokens));
    const double usd = (uncached * 3.0 + double(usage.cachedTokens) * 0.75
                        + double(usage.completionTokens + usage.reasoningTokens) * 15.0)
        / 1e6;
    return { usd, true };
}

QString CostEstimate::text() const
{
    return (estimated ? QStringLiteral("≈$") : QStringLiteral("$")) + QString::number(usd, 'f', 4);
}

} // namespace gp
