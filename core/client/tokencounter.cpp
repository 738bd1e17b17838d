#include "core/client/tokencounter.h"

#include "core/client/apicall.h"
#include "core/client/client.h"
#include "core/wire/requestrules.h"
#include "core/wire/tokenizetext.h"

using namespace Qt::StringLiterals;

namespace gp {

TokenCounter::TokenCounter(Client *client)
    : QObject(client)
    , m_client(client)
{ }

void TokenCounter::count(const QString &model, const QString &text, QObject *context, Done done)
{
    const QString key = model + QChar(0) + text;
    if (const auto hit = m_cache.constFind(key); hit != m_cache.constEnd()) {
        ++m_hits;
        const qint64 tokens = hit.value();
        // Never inside the call: the caller may not be ready for its answer yet.
        QMetaObject::invokeMethod(
            context, [done, tokens] { done(tokens); }, Qt::QueuedConnection);
        return;
    }
    QList<Waiter> &waiters = m_waiting[key];
    waiters.append(Waiter { context, std::move(done) });
    if (waiters.size() > 1) {
        ++m_hits; // shares the call already on its way
        return;
    }
    ++m_calls;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    ApiCall *call = m_client->call("POST", u"tokenize-text"_s, TokenizeText::requestBody(model, text));
    connect(call, &ApiCall::finished, this, [this, key, clock](const ApiReply &reply) {
        m_callMs += clock->elapsed();
        std::optional<qint64> tokens;
        if (!reply.error.isError())
            tokens = TokenizeText::parseTokenCount(reply.body, nullptr);
        if (tokens)
            m_cache.insert(key, *tokens);
        else
            ++m_failures;
        answer(key, tokens);
    });
}

void TokenCounter::answer(const QString &key, std::optional<qint64> tokens)
{
    const QList<Waiter> waiters = m_waiting.take(key);
    for (const Waiter &waiter : waiters) {
        if (waiter.context)
            waiter.done(tokens);
    }
}

void TokenCounter::countRequest(const ChatRequest &request, QObject *context, Done done)
{
    QStringList parts;
    for (const ChatMessage &message : request.messages)
        parts.append(message.content);
    const qint64 framing = requestrules::TokensPerMessage * request.messages.size()
        + requestrules::TokensForReplyPrimer + request.maxCompletionTokens.value_or(0);
    count(request.model, parts.join(u'\n'), context,
          [framing, done = std::move(done)](std::optional<qint64> tokens) {
              done(tokens ? std::optional<qint64>(*tokens + framing) : std::nullopt);
          });
}

QString TokenCounter::summary() const
{
    return u"exact tokens: %1 tokenize-text calls (%2 answered from the cache, %3 failed), %4 ms"_s
        .arg(m_calls)
        .arg(m_hits)
        .arg(m_failures)
        .arg(m_callMs);
}

} // namespace gp
