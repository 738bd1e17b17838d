#pragma once

#include "core/sim/httprequestparser.h"
#include "core/sim/simresponse.h"
#include "core/sim/simstate.h"

namespace gp::sim {

// POST /v1/responses: validated here, then answered by the chat path (same limits, faults,
// latency and usage) and reshaped into a Responses object or typed SSE events. A stored
// response (store not false) can be continued with previous_response_id.
class ResponsesHandler final
{
public:
    explicit ResponsesHandler(SimState &state)
        : m_state(state)
    { }
    SimResponse handle(const HttpRequest &request, const QByteArray &requestId);

private:
    SimState &m_state;
};

} // namespace gp::sim
