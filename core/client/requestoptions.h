#pragma once

#include "core/policy/priority.h"

#include <QByteArray>
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
    // Pre-serialised JSON sent upstream as it is, instead of the request's own toJson(): the
    // gateway's way to pass a client's body byte for byte. The request object still drives
    // pacing (its token estimate), events and streaming, so it must say the same as this body.
    // Chat and Responses jobs only: a deferred submission builds its own (it adds "deferred").
    QByteArray body;
};

} // namespace gp
