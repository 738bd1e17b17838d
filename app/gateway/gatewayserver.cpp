#include "app/gateway/gatewayserver.h"

#include "app/gateway/chatrelay.h"
#include "app/gateway/gatewaytls.h"
#include "app/gateway/gatewaytoken.h"
#include "app/gateway/upstreambody.h"
#include "core/client/client.h"
#include "core/client/modellistjob.h"
#include "core/wire/responsesrequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslServer>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

const HeaderList JsonType { { "Content-Type", "application/json" } };

} // namespace

GatewayServer::GatewayServer(Client *client, GatewayServerConfig config, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_config(std::move(config))
{ }

GatewayServer::~GatewayServer()
{
    close();
}

bool GatewayServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (isTls()) {
        const std::optional<QSslConfiguration> tls
            = GatewayTls::load(m_config.tlsCertPath, m_config.tlsKeyPath, error);
        if (!tls)
            return false;
        auto server = std::make_unique<QSslServer>();
        server->setSslConfiguration(*tls);
        server->setHandshakeTimeout(GatewayTls::kHandshakeTimeoutMs);
        m_tcp = std::move(server);
    } else {
        m_tcp = std::make_unique<QTcpServer>();
    }
    // QSslServer announces a connection once its handshake is done: the cap counts clients, not hellos.
    connect(m_tcp.get(), &QTcpServer::pendingConnectionAvailable, this, &GatewayServer::onNewConnection);
    if (m_tcp->listen(address, port))
        return true;
    *error = u"cannot listen on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(m_tcp->errorString());
    m_tcp.reset();
    return false;
}

void GatewayServer::close()
{
    if (m_tcp)
        m_tcp->close();
    const auto connections = m_connections;
    m_connections.clear();
    for (GatewayConnection *connection : connections) {
        disconnect(connection, &GatewayConnection::closed, this, &GatewayServer::onConnectionClosed);
        connection->close(); // its relay cancels the job: the client may outlive this server
        delete connection;
    }
}

QString GatewayServer::clientLabel(const QByteArray &header)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty() || value.size() > 64)
        return u"default"_s;
    for (const char c : value) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '_' || c == '-';
        if (!ok)
            return u"default"_s;
    }
    return QString::fromLatin1(value);
}

void GatewayServer::onNewConnection()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
        auto *connection = new GatewayConnection(socket, m_config.connection, this);
        m_connections.insert(connection);
        connect(connection, &GatewayConnection::closed, this, &GatewayServer::onConnectionClosed);
        if (m_connections.size() > m_config.maxConnections) {
            const OpenAiError error { 503, u"api_error"_s, u"gateway_connections_full"_s,
                                      u"the gateway serves at most %1 connections at once"_s.arg(
                                          m_config.maxConnections) };
            connection->refuse(503, { { "Retry-After", "1" } }, error.toJson());
            continue;
        }
        connect(connection, &GatewayConnection::requestReady, this, &GatewayServer::onRequest);
        connection->start();
    }
}

void GatewayServer::onConnectionClosed(GatewayConnection *connection)
{
    m_connections.remove(connection);
    connection->deleteLater();
}

void GatewayServer::sendError(GatewayConnection *connection, const OpenAiError &error,
                              const HeaderList &extra)
{
    HeaderList headers = JsonType;
    headers += extra;
    connection->sendResponse(error.status, headers, error.toJson());
}

void GatewayServer::onRequest(GatewayConnection *connection, const sim::HttpRequest &request)
{
    const bool authorized = GatewayToken::matches(request.header("authorization"), m_config.token);
    if (request.path == "/healthz") {
        if (request.method != "GET")
            sendError(connection, { 405, u"invalid_request_error"_s, u"method_not_allowed"_s, u"use GET"_s });
        else
            handleHealth(connection, authorized);
        return;
    }
    if (!request.path.startsWith("/v1/")) {
        sendError(connection,
                  { 404, u"invalid_request_error"_s, u"unknown_url"_s,
                    u"unknown path %1"_s.arg(QString::fromLatin1(request.path)) });
        return;
    }
    if (!authorized) {
        m_stats.recordRefusal(clientLabel(request.header("x-grokpulse-client")));
        sendError(connection,
                  { 401, u"authentication_error"_s, u"invalid_api_key"_s,
                    u"missing or wrong gateway token: send 'Authorization: Bearer <token>' "
                    u"with the token from the gateway's token file"_s });
        return;
    }
    const bool chat = request.path == "/v1/chat/completions";
    const bool responses = request.path == "/v1/responses";
    const bool models = request.path == "/v1/models";
    if (!chat && !responses && !models) {
        sendError(connection,
                  { 404, u"invalid_request_error"_s, u"unknown_url"_s,
                    u"unknown path %1"_s.arg(QString::fromLatin1(request.path)) });
        return;
    }
    const QByteArray method = models ? "GET" : "POST";
    if (request.method != method) {
        sendError(connection,
                  { 405, u"invalid_request_error"_s, u"method_not_allowed"_s,
                    u"use %1"_s.arg(QString::fromLatin1(method)) });
        return;
    }
    if (chat)
        handleChat(connection, request);
    else if (responses)
        handleResponses(connection, request);
    else
        handleModels(connection);
}

void GatewayServer::refuse(GatewayConnection *connection, const QString &client, const OpenAiError &error,
                           const HeaderList &extra)
{
    m_stats.recordRefusal(client);
    sendError(connection, error, extra);
}

// What every job request must pass: room in the queue, a JSON object body, valid headers.
std::optional<GatewayServer::JobRequest> GatewayServer::admit(GatewayConnection *connection,
                                                              const sim::HttpRequest &request)
{
    JobRequest job;
    job.client = clientLabel(request.header("x-grokpulse-client"));
    job.options.clientLabel = job.client;
    const auto fail = [&](const OpenAiError &error, const HeaderList &extra = {}) {
        refuse(connection, job.client, error, extra);
        return std::nullopt;
    };
    if (m_pending >= m_config.maxPending)
        return fail({ 429, u"rate_limit_error"_s, u"gateway_queue_full"_s,
                      u"the gateway holds %1 requests already; retry shortly"_s.arg(m_config.maxPending) },
                    { { "Retry-After", "1" } });
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fail({ 400, u"invalid_request_error"_s, u"invalid_json"_s,
                      parseError.error != QJsonParseError::NoError
                          ? u"the body is not valid JSON: %1 at offset %2"_s.arg(parseError.errorString())
                                .arg(parseError.offset)
                          : u"the body is not a JSON object"_s });
    job.body = document.object();
    if (const QByteArray priority = request.header("x-grokpulse-priority"); !priority.isEmpty()) {
        const std::optional<Priority> parsed
            = priorityFromName(QString::fromLatin1(priority).trimmed().toLower());
        if (!parsed)
            return fail({ 400, u"invalid_request_error"_s, u"invalid_priority"_s,
                          u"x-grokpulse-priority must be interactive, normal or background"_s });
        job.options.priority = *parsed;
    }
    if (const QByteArray deadline = request.header("x-grokpulse-deadline-ms"); !deadline.isEmpty()) {
        bool ok = false;
        job.options.deadlineMs = deadline.trimmed().toLongLong(&ok);
        if (!ok || job.options.deadlineMs <= 0)
            return fail({ 400, u"invalid_request_error"_s, u"invalid_deadline"_s,
                          u"x-grokpulse-deadline-ms must be a positive number of milliseconds"_s });
    }
    return job;
}

ChatRelay *GatewayServer::newRelay(GatewayConnection *connection, const QString &client)
{
    ++m_pending;
    auto *relay = new ChatRelay(m_client, connection, this);
    connect(relay, &ChatRelay::finished, this, [this, client](ChatRelay *done, const Outcome &outcome) {
        onRelayFinished(done, client, outcome);
    });
    return relay;
}

void GatewayServer::handleChat(GatewayConnection *connection, const sim::HttpRequest &request)
{
    const std::optional<JobRequest> job = admit(connection, request);
    if (!job)
        return;
    QString error;
    const std::optional<ChatRequest> chat = ChatRequest::fromJsonObject(job->body, &error);
    if (!chat) {
        refuse(connection, job->client, { 400, u"invalid_request_error"_s, u"invalid_request"_s, error });
        return;
    }
    RequestOptions options = job->options;
    options.body = UpstreamBody::passThrough(UpstreamBody::Route::ChatCompletions, job->body, request.body);
    newRelay(connection, job->client)->start(*chat, options);
}

void GatewayServer::handleResponses(GatewayConnection *connection, const sim::HttpRequest &request)
{
    const std::optional<JobRequest> job = admit(connection, request);
    if (!job)
        return;
    QString error;
    const std::optional<ResponsesRequest> responses = ResponsesRequest::fromJsonObject(job->body, &error);
    if (!responses) {
        refuse(connection, job->client, { 400, u"invalid_request_error"_s, u"invalid_request"_s, error });
        return;
    }
    const bool stream = job->options.stream.value_or(responses->stream);
    RequestOptions options = job->options;
    options.body = UpstreamBody::passThrough(UpstreamBody::Route::Responses, job->body, request.body);
    newRelay(connection, job->client)->attach(m_client->submit(*responses, options), stream);
}

void GatewayServer::onRelayFinished(ChatRelay *relay, const QString &client, const Outcome &outcome)
{
    --m_pending;
    m_stats.recordOutcome(client, outcome);
    relay->deleteLater();
    Q_EMIT requestFinished(client, outcome);
}

void GatewayServer::handleModels(GatewayConnection *connection)
{
    const ModelListJob::Target target { m_config.upstream, m_config.upstreamKey, m_config.allowInsecureHttp };
    ModelListJob *job = ModelListJob::start(m_client->networkAccessManager(), target, connection);
    connect(job, &ModelListJob::finished, connection,
            [this, connection](const QStringList &models, const Error &error) {
                if (!connection->isOpen())
                    return;
                if (error.isError()) {
                    sendError(connection, OpenAiError::fromError(error), { { "x-should-retry", "false" } });
                    return;
                }
                QJsonArray data;
                for (const QString &id : models)
                    data.append(QJsonObject { { u"id"_s, id },
                                              { u"object"_s, u"model"_s },
                                              { u"created"_s, 0 },
                                              { u"owned_by"_s, u"xai"_s } });
                const QJsonObject body { { u"object"_s, u"list"_s }, { u"data"_s, data } };
                connection->sendResponse(200, JsonType, QJsonDocument(body).toJson(QJsonDocument::Compact));
            });
}

void GatewayServer::handleHealth(GatewayConnection *connection, bool authorized)
{
    QJsonObject body { { u"status"_s, u"ok"_s },
                       { u"pending"_s, m_pending },
                       { u"connections"_s, int(m_connections.size()) } };
    if (authorized)
        body.insert(u"clients"_s, m_stats.toJson());
    connection->sendResponse(200, JsonType, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace gp
