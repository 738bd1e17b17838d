// The request kinds beside chat completions, and unpaced API calls: each builds its body
// and estimate, then takes the one path every job takes (pacing, attempts, retries).
#include "core/client/apicall.h"
#include "core/client/chatendpoint.h"
#include "core/client/client.h"
#include "core/client/networkpool.h"
#include "core/client/tokencounter.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// What events, the pacer and the console read of a Responses request, in chat terms.
ChatRequest chatView(const ResponsesRequest &request)
{
    ChatRequest view;
    view.model = request.model;
    view.stream = request.stream;
    view.maxCompletionTokens = request.maxOutputTokens;
    view.temperature = request.temperature;
    view.topP = request.topP;
    if (!request.instructions.isEmpty())
        view.messages.append(ChatMessage { u"system"_s, request.instructions });
    if (request.inputItems.isEmpty())
        view.messages.append(ChatMessage { u"user"_s, request.inputText });
    for (const ResponsesInputItem &item : request.inputItems) {
        if (!item.role.isEmpty())
            view.messages.append(
                ChatMessage { item.role == "developer"_L1 ? u"system"_s : item.role, item.text });
    }
    return view;
}

} // namespace

RequestJob *Client::submit(const ResponsesRequest &request, const RequestOptions &options)
{
    ResponsesRequest effective = request;
    if (effective.model.isEmpty())
        effective.model = m_config.defaultModel;
    effective.stream = options.stream.value_or(request.stream);
    return submitKind(chatView(effective), options, RequestKind::Responses,
                      options.body.isEmpty() ? effective.toJson() : options.body,
                      effective.estimateTotalTokens(0));
}

RequestJob *Client::submitDeferred(const ChatRequest &request, const RequestOptions &options)
{
    ChatRequest effective = request;
    if (effective.model.isEmpty())
        effective.model = m_config.defaultModel;
    effective.stream = false; // a deferred answer is fetched whole, later
    QJsonObject body = effective.toJsonObject();
    body.insert(u"deferred"_s, true);
    const qint64 estimate = effective.estimatePromptTokens() + effective.maxCompletionTokens.value_or(0);
    return submitKind(effective, options, RequestKind::DeferredChat,
                      QJsonDocument(body).toJson(QJsonDocument::Compact), estimate);
}

ApiCall *Client::call(const QByteArray &verb, const QString &path, const QByteArray &body)
{
    QNetworkRequest request = m_endpoint->buildCall(path);
    const QString refusal = m_endpoint->refusal().isEmpty()
        ? ChatEndpoint::insecureRefusal(request.url(), m_config.allowInsecureHttp)
        : m_endpoint->refusal();
    const qint64 timeoutMs = m_config.timeouts.firstByteMs > 0 ? m_config.timeouts.firstByteMs : 60000;
    return new ApiCall(m_network->pick(), std::move(request), verb, body, refusal, timeoutMs, m_config.apiKey,
                       this);
}

void Client::setExactTokens(bool on)
{
    if (on && !m_context.tokens)
        m_context.tokens = new TokenCounter(this);
    else if (!on && m_context.tokens) {
        delete m_context.tokens;
        m_context.tokens = nullptr;
    }
}

} // namespace gp
