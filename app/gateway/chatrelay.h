#pragma once

#include "core/client/outcome.h"
#include "core/client/requestoptions.h"
#include "core/wire/chatrequest.h"

#include <QObject>
#include <QPointer>

namespace gp {

class Client;
class GatewayConnection;
class RequestJob;

// One client's chat completion through the gateway: the request becomes a GrokPulse job;
// the answer goes back byte-faithful (status, body, the headers that matter) or, once
// GrokPulse gives up, as an OpenAI-shaped error. A stream is held back until the attempt
// delivered output (so a retried attempt leaves no trace), then passed through as it
// arrives; a cut after that is passed on as a cut. The client leaving cancels the job.
class ChatRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatRelay)

public:
    ChatRelay(Client *client, GatewayConnection *connection, QObject *parent);
    ~ChatRelay() override;

    void start(const ChatRequest &request, const RequestOptions &options);
    // A job already submitted (any request kind) whose raw answer goes back to the client.
    void attach(RequestJob *job, bool stream);
    // The headers of an upstream answer a client may see (content type, request id, quota).
    static HeaderList relayedHeaders(const HeaderList &upstream);

Q_SIGNALS:
    void finished(gp::ChatRelay *relay, const gp::Outcome &outcome);

private:
    void onAttemptStarted();
    void onResponseStarted(int httpStatus, const HeaderList &headers);
    void onStreamBytes(const QByteArray &bytes);
    void onDelta();
    void onFinished(const Outcome &outcome);
    void onConnectionClosed();
    void commitStream();
    void answer(const Outcome &outcome);

    Client *m_client = nullptr;
    QPointer<GatewayConnection> m_connection;
    QPointer<RequestJob> m_job;
    bool m_stream = false;
    bool m_committed = false; // stream bytes went to the client
    int m_status = 0;
    HeaderList m_headers;
    QByteArray m_held; // this attempt's stream bytes before its first output
};

} // namespace gp
