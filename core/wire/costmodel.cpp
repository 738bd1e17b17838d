#include "core/wire/costmodel.h"

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

struct PriceRow
{
    QLatin1StringView prefix; // matches the id itself and its dated or suffixed variants
    ModelPrice price;
};

// xAI list prices (USD per million tokens, prompts under the long-context threshold).
// Longest prefix first, so "grok-4.3" is not read as "grok-4". No cached price is published
// for grok-4.3, so its cached tokens are priced as input (an upper bound).
constexpr std::array PriceTable {
    PriceRow { "grok-4.7"_L1, { 2.00, 0.50, 6.00 } },     PriceRow { "grok-4.6"_L1, { 2.00, 0.50, 6.00 } },
    PriceRow { "grok-4.5"_L1, { 2.00, 0.50, 6.00 } },     PriceRow { "grok-4.3"_L1, { 1.25, 1.25, 2.50 } },
    PriceRow { "grok-3-mini"_L1, { 0.30, 0.075, 0.50 } }, PriceRow { "grok-4"_L1, { 3.00, 0.75, 15.00 } },
};

} // namespace

QString Cost::text() const
{
    return (estimated ? u"≈$"_s : u"$"_s) + QString::number(usd, 'f', 4);
}

std::optional<ModelPrice> CostModel::listPrice(const QString &model)
{
    const QString id = model.trimmed().toLower();
    for (const PriceRow &row : PriceTable) {
        if (id == row.prefix)
            return row.price;
        // "grok-4-0709", "grok-4-latest": the prefix followed by a dash-separated suffix.
        if (id.startsWith(row.prefix) && id.size() > row.prefix.size() && id.at(row.prefix.size()) == u'-')
            return row.price;
    }
    return std::nullopt;
}

ModelPrice CostModel::fallbackPrice()
{
    return { 3.00, 0.75, 15.00 };
}

double CostModel::priceUsage(const Usage &usage, const ModelPrice &price)
{
    const qint64 prompt = std::max<qint64>(0, usage.promptTokens);
    const qint64 cached = std::clamp<qint64>(usage.cachedTokens, 0, prompt);
    const qint64 output
        = std::max<qint64>(0, usage.completionTokens) + std::max<qint64>(0, usage.reasoningTokens);
    return (double(prompt - cached) * price.inputPerMillion + double(cached) * price.cachedInputPerMillion
            + double(output) * price.outputPerMillion)
        / 1e6;
}

Cost CostModel::costOf(const Usage &usage, const QString &model)
{
    if (const std::optional<double> usd = usage.costUsd())
        return { *usd, false };
    if (!usage.present)
        return { 0.0, false };
    return { priceUsage(usage, listPrice(model).value_or(fallbackPrice())), true };
}

} // namespace gp
