#pragma once

#include "core/client/clientconfig.h"

#include <QObject>

#include <functional>

namespace gp {

class BreakerGate;
class ChatEndpoint;
class CredentialCoordinator;
class NetworkPool;
class PacerLink;
class TokenCounter;
struct Event;

// The parts of a Client its jobs share: each RequestJob runs its own life through these,
// and never touches another job. Owned by the Client, which outlives its jobs.
struct JobContext
{
    const ClientConfig *config = nullptr; // live: a new key shows at once
    const ChatEndpoint *endpoint = nullptr;
    NetworkPool *network = nullptr;
    PacerLink *pacing = nullptr;
    BreakerGate *gate = nullptr;
    CredentialCoordinator *credentials = nullptr;
    TokenCounter *tokens = nullptr; // set: count each prompt exactly before its first ticket
    QObject *owner = nullptr; // the Client: the context of deliveries that may outlive a job
    bool submitting = false; // true while Client::submit() runs: a finish is then delivered later
    std::function<bool()> wantsEvents;
    std::function<void(const Event &)> emitEvent;
    std::function<void(quint64 jobId)> forget; // the job has finished: out of the client's table
};

} // namespace gp
