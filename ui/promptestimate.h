#pragma once

#include "core/wire/chatrequest.h"

#include <QString>

namespace gp {

// What the next turn will cost before it is sent: the tokens of this prompt and of the
// history resent with it, and the dollars for those plus the most the answer may use.
struct PromptEstimate
{
    enum class Level { Fine, Expensive };

    qint64 promptTokens = 0; // system + this prompt
    qint64 historyTokens = 0; // earlier turns, resent every turn
    qint64 maxOutputTokens = 0;
    double inputUsd = 0.0;
    double maxUsd = 0.0; // input + every output token allowed
    bool priced = true; // false: the model has no price of its own (Grok 4's list price used)

    // "≈ 1,234 tokens in (prompt 34, history 1,200) · up to 1,024 out · ≈ $0.0040–$0.0193"
    QString text() const;
    // Expensive when the resent history dominates: at least kHeavyHistoryTokens and 4x the prompt.
    Level level() const;
    QString warning() const; // empty unless expensive

    static constexpr qint64 kHeavyHistoryTokens = 2000;
    static PromptEstimate of(const ChatRequest &request, const QList<ChatMessage> &history);
};

} // namespace gp
