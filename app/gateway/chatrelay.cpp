#include "app/gateway/chatrelay.h"

#include "app/gateway/gatewayconnection.h"
#include "app/gateway/openaierror.h"
#include "core/client/client.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

ChatRelay::ChatRelay(Client *client, GatewayConnection *connection, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_connection(connection)
{
    connect(connection, &GatewayConnection::closed, this, &ChatRelay::onConnectionClosed);
}

ChatRelay::~ChatRelay()
{
    if (m_job && !m_job->isFinished()) {
        m_job->disconnect(this);
        m_job->cancel(); // ends once, counted; the job then deletes itself
    }
}

HeaderList ChatRelay::relayedHeaders(const HeaderList &upstream)
{
    static constexpr QByteArrayView exact[] = { "content-type",   "x-request-id",         "retry-after",
                                                "retry-after-ms", "openai-processing-ms", "cache-control" };
    static constexpr QByteArrayView prefixes[] = { "x-ratelimit-", "ratelimit" };
    const auto same
        = [](QByteArrayView a, QByteArrayView b) { return a.compare(b, Qt::CaseInsensitive) == 0; };
    HeaderList out;
    out.reserve(upstream.size());
    for (const auto &[name, value] : upstream) {
        const QByteArrayView view(name);
        const bool wanted
            = std::any_of(std::begin(exact), std::end(exact), [&](QByteArrayView e) { return same(view, e); })
            || std::any_of(std::begin(prefixes), std::end(prefixes), [&](QByteArrayView p) {
                   return view.size() >= p.size() && same(view.first(p.size()), p);
               });
        if (wanted)
            out.append(HeaderList::value_type(name, value));
    }
    return out;
}

void ChatRelay::start(const ChatRequest &request, const RequestOptions &options)
{
    attach(m_client->submit(request, options), options.stream.value_or(request.stream));
}

void ChatRelay::attach(RequestJob *job, bool stream)
{
    m_stream = stream;
    m_job = job;
    connect(m_job, &RequestJob::finished, this, &ChatRelay::onFinished);
    if (!m_stream)
        return;
    connect(m_job, &RequestJob::attemptStarted, this, &ChatRelay::onAttemptStarted);
    connect(m_job, &RequestJob::responseStarted, this, &ChatRelay::onResponseStarted);
    connect(m_job, &RequestJob::streamBytes, this, &ChatRelay::onStreamBytes);
    connect(m_job, &RequestJob::streamDelta, this, &ChatRelay::onDelta);
}

void ChatRelay::onAttemptStarted()
{
    m_held.clear(); // a retried attempt starts over; nothing of the last one was sent
    m_status = 0;
    m_headers.clear();
}

void ChatRelay::onResponseStarted(int httpStatus, const HeaderList &headers)
{
    m_status = httpStatus;
    m_headers = headers;
}

void ChatRelay::onStreamBytes(const QByteArray &bytes)
{
    if (m_committed) {
        if (m_connection)
            m_connection->writeStream(bytes);
    } else {
        m_held += bytes;
    }
}

void ChatRelay::onDelta()
{
    if (!m_committed)
        commitStream();
}

void ChatRelay::commitStream()
{
    m_committed = true;
    if (!m_connection)
        return;
    HeaderList headers = relayedHeaders(m_headers);
    headers.append(
        HeaderList::value_type("x-grokpulse-attempts", QByteArray::number(m_job ? m_job->attempts() : 0)));
    m_connection->beginStream(m_status > 0 ? m_status : 200, headers);
    m_connection->writeStream(m_held);
    m_held.clear();
}

void ChatRelay::onFinished(const Outcome &outcome)
{
    if (m_connection && m_connection->isOpen())
        answer(outcome);
    Q_EMIT finished(this, outcome);
}

void ChatRelay::answer(const Outcome &outcome)
{
    const QByteArray attempts = QByteArray::number(outcome.attempts);
    if (m_stream && outcome.isSuccess()) {
        if (!m_committed)
            commitStream(); // an answer without content deltas
        m_connection->endStream();
        return;
    }
    if (m_committed) {
        m_connection->cutStream(); // output began: a cut stays a cut, never a silent retry
        return;
    }
    if (outcome.isSuccess()) {
        HeaderList headers = relayedHeaders(outcome.responseHeaders);
        headers.append(HeaderList::value_type("x-grokpulse-attempts", attempts));
        m_connection->sendResponse(outcome.httpStatus > 0 ? outcome.httpStatus : 200, headers,
                                   outcome.responseBody);
        return;
    }
    if (OpenAiError::passesThrough(outcome.error) && !outcome.errorBody.isEmpty()) {
        HeaderList headers = relayedHeaders(outcome.responseHeaders);
        headers.append(HeaderList::value_type("x-grokpulse-attempts", attempts));
        headers.append(HeaderList::value_type("x-grokpulse-error-class",
                                              errorClassName(outcome.error.errorClass).toLatin1()));
        m_connection->sendResponse(outcome.error.httpStatus, headers, outcome.errorBody);
        return;
    }
    const OpenAiError error = OpenAiError::fromError(outcome.error);
    HeaderList headers { { "Content-Type", "application/json" },
                         { "x-grokpulse-attempts", attempts },
                         { "x-grokpulse-error-class", error.code.toLatin1() },
                         // GrokPulse already retried what was worth retrying: an SDK must not.
                         { "x-should-retry", "false" } };
    if (!outcome.requestId.isEmpty())
        headers.append(HeaderList::value_type("x-request-id", outcome.requestId.toLatin1()));
    m_connection->sendResponse(error.status, headers, error.toJson());
}

void ChatRelay::onConnectionClosed()
{
    m_connection = nullptr;
    if (m_job && !m_job->isFinished())
        m_job->cancel(); // the client left: the upstream attempt is aborted, counted once
}

} // namespace gp
