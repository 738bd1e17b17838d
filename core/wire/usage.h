#pragma once

#include <QtGlobal>

#include <optional>

namespace gp {

// Token usage of one response. On xAI, total = prompt + completion + reasoning:
// reasoning tokens are NOT part of completion tokens (xAI's usage object).
struct Usage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 cachedTokens = 0; // part of promptTokens
    qint64 totalTokens = 0;
    std::optional<qint64> costInUsdTicks; // 10^10 ticks = 1 USD
    bool present = false; // the response carried a usage object

    // What counts toward the tokens-per-minute limit.
    qint64 billedTokens() const { return promptTokens + completionTokens + reasoningTokens; }
    std::optional<double> costUsd() const
    {
        return costInUsdTicks ? std::optional<double>(double(*costInUsdTicks) / 1e10) : std::nullopt;
    }
    bool operator==(const Usage &) const = default;
};

} // namespace gp
