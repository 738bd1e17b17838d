#pragma once

#include "core/policy/priority.h"

#include <QString>

#include <optional>

namespace gp {

struct RequestOptions
{
    Priority priority = Priority::Normal;
    qint64 deadlineMs = 0; // relative to submit; 0 = TimeoutConfig::defaultDeadlineMs
    std::optional<bool> stream; // overrides ChatRequest::stream when set
    QString customId; // sent as x-grokpulse-custom-id, echoed in events
    QString clientLabel; // who asked (a gateway client's name); in events only, never sent
    int maxAttempts = 0; // 0 = RetryConfig::maxAttempts
};

} // namespace gp
