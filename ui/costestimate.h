#pragma once

#include "core/wire/usage.h"

#include <QString>

namespace gp {

// Cost of one answer in USD: the server's figure when it sends one, else an estimate from
// Grok 4's list price ($3 / M input, $0.75 / M cached input, $15 / M output and reasoning).
struct CostEstimate
{
    double usd = 0.0;
    bool estimated = false;

    static CostEstimate of(const Usage &usage);
    QString text() const; // "$0.0012" or "≈$0.0012"
};

} // namespace gp
