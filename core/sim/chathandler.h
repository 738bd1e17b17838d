#pragma once

#include "core/sim/chatcallparser.h"
#include "core/sim/completionsynth.h"
#include "core/sim/httprequestparser.h"
#include "core/sim/simresponse.h"
#include "core/sim/simstate.h"

#include <optional>

namespace gp::sim {

// POST /v1/chat/completions: validation, faults, limits and the synthesized answer.
class ChatHandler final
{
public:
    explicit ChatHandler(SimState &state)
        : m_state(state)
    { }
    SimResponse handle(const HttpRequest &request, const QByteArray &requestId);

private:
    struct Draws
    {
        double fault = 0;
        double latency1 = 0;
        double latency2 = 0;
    };

    Draws drawsFor(const ChatCall &call);
    std::optional<FaultSpec> pickFault(double draw);
    std::optional<SimResponse> preHeaderFault(const FaultSpec &fault, const ChatCall &call, qint64 reserve);
    static void replaceCode(SimResponse &r, const QString &code);
    SimResponse rateLimited(const Admission &admission, const ChatCall &call, qint64 reserve);
    SimResponse answer(const ChatCall &call, const std::optional<FaultSpec> &fault,
                       const QByteArray &requestId, const Admission &admission);
    void applyStreamFault(const FaultSpec &fault, SimResponse &r) const;
    int baseLatencyMs(const Draws &draws) const;
    SimHeaders quotaHeadersNow(const ChatCall &call);

    SimState &m_state;
};

} // namespace gp::sim
