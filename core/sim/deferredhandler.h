#pragma once

#include "core/sim/httprequestparser.h"
#include "core/sim/simresponse.h"
#include "core/sim/simstate.h"

namespace gp::sim {

// Deferred chat completions: a chat request with "deferred": true goes through the chat
// path's limits and faults and is answered {"request_id"} at once; GET
// /v1/chat/deferred-completion/{id} answers 202 with an empty body until the completion
// is ready, then 200 with it once; after that, after the expiry, or for an unknown id, 404.
class DeferredHandler final
{
public:
    explicit DeferredHandler(SimState &state)
        : m_state(state)
    { }
    static bool isDeferred(const HttpRequest &request); // a chat request asking to be deferred
    SimResponse submit(const HttpRequest &request, const QByteArray &requestId);
    SimResponse fetch(const QString &id);

private:
    SimState &m_state;
};

} // namespace gp::sim
