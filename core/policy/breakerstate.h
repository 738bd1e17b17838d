#pragma once

#include <QString>

namespace gp {

// One circuit breaker's state. The values are charted and exported as numbers
// (0 closed, 1 half-open, 2 open), so they are fixed.
enum class BreakerState { Closed = 0, HalfOpen = 1, Open = 2 };
QString breakerStateName(BreakerState state); // "closed", "open", "half_open"

} // namespace gp
