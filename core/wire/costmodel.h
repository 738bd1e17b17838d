#pragma once

#include "core/wire/usage.h"

#include <QString>

#include <optional>

namespace gp {

// List price of a model, USD per million tokens. Reasoning tokens are billed as output.
struct ModelPrice
{
    double inputPerMillion = 0.0;
    double cachedInputPerMillion = 0.0; // cached prompt tokens, part of the prompt
    double outputPerMillion = 0.0;
    bool operator==(const ModelPrice &) const = default;
};

// What one answer cost: the server's own figure (cost_in_usd_ticks) when it sent one,
// else the model's list price applied to the usage, marked as an estimate.
struct Cost
{
    double usd = 0.0;
    bool estimated = false;
    QString text() const; // "$0.0012", or "≈$0.0012" for an estimate
};

// The one home of what requests cost: every view (console, batch summary, metrics) asks here.
class CostModel final
{
public:
    // By resolved id or alias ("grok-4", "grok-4-0709", "grok-4-latest", "grok-3-mini", ...);
    // nullopt for a model it has no price for.
    static std::optional<ModelPrice> listPrice(const QString &model);
    // Grok 4's list price, used (as an estimate) for a model without a price of its own.
    static ModelPrice fallbackPrice();
    static double priceUsage(const Usage &usage, const ModelPrice &price);
    static Cost costOf(const Usage &usage, const QString &model);
};

} // namespace gp
