#pragma once

#include "core/events/limitsource.h"
#include "core/policy/priority.h"

#include <QString>
#include <QtGlobal>

#include <optional>

namespace gp {

// Gauges for telemetry and the status bar.
struct PacingState
{
    int queued[PriorityCount] = { 0, 0, 0 };
    int inFlight = 0;
    int maxInFlight = 0;
    std::optional<qint64> requestsRemaining;
    std::optional<qint64> tokensRemaining;
    std::optional<qint64> requestLimit;
    std::optional<qint64> tokenLimit;
    std::optional<qint64> nextResetMs; // steady-clock ms of the next known reset
    std::optional<double> learnedRps; // adaptive limit when no headers
    double learnedConfidence = 0.0; // 0..1
    QString waitReason; // why the head of the queue waits ("tpm", "quota", ...)
    // The limit admission is paced by, and where it came from. With several models, the one
    // whose limit was set last (a 429 stating it, say); nullopt where that kind is not limited.
    LimitSource limitSource = LimitSource::None;
    QString limitModel; // empty: the limit holds for every model
    std::optional<double> limitRequestsPerSecond; // a per-minute limit as its per-second rate
    std::optional<double> limitTokensPerMinute;
    // Stated by a server in an earlier run and remembered, this long ago; nullopt: not remembered.
    std::optional<qint64> limitRememberedAgoMs;
};

} // namespace gp
