#pragma once

#include "core/sim/completionsynth.h"
#include "core/sim/httprequestparser.h"
#include "core/sim/simresponse.h"

#include <QString>

#include <optional>

namespace gp::sim {

// A validated chat-completions request: what the handler needs from the body.
struct ChatCall
{
    const SimModel *model = nullptr;
    QString prompt; // message contents joined by newlines
    std::optional<qint64> maxTokens;
    bool stream = false;
    bool includeUsage = false;
};

// Validates a chat-completions request as xAI does: 415, 400, 422 and 404 with useful messages.
class ChatCallParser final
{
public:
    // The error response, or nullopt with call filled in.
    static std::optional<SimResponse> parse(const HttpRequest &request, ChatCall *call);
};

} // namespace gp::sim
