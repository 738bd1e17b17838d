// RequestJob's part in the request kinds beside chat and in exact token counts.
#include "core/client/requestjob.h"

#include "core/client/jobcontext.h"
#include "core/client/tokencounter.h"

namespace gp {

void RequestJob::setKind(RequestKind kind, QByteArray body, qint64 estimatedTokens)
{
    m_kind = kind;
    m_body = std::move(body);
    m_estimatedTokens = estimatedTokens;
}

// The counted prompt replaces the estimate before the first ticket; a failed count keeps it.
void RequestJob::countThenEnqueue()
{
    m_context->tokens->countRequest(m_request, this, [this](std::optional<qint64> tokens) {
        if (m_stage != Stage::Queued)
            return; // cancelled or past its deadline meanwhile
        if (tokens)
            m_estimatedTokens = *tokens;
        enqueue(0);
    });
}

} // namespace gp
