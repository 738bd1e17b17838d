// Qt HttpServer 6.4 cannot reset a connection before headers, send a short Content-Length
// body or stall mid-chunk, so the simulator speaks HTTP/1.1 itself over QTcpServer.
#include "core/sim/simserver.h"

#include "core/sim/batchapihandler.h"
#include "core/sim/chathandler.h"
#include "core/sim/completionsynth.h"
#include "core/sim/deferredhandler.h"
#include "core/sim/httpconnection.h"
#include "core/sim/responseshandler.h"
#include "core/sim/simerrors.h"
#include "core/sim/simwordings.h"

#include <QFile>
#include <QJsonDocument>
#include <QTcpSocket>

#include <algorithm>

namespace gp::sim {

namespace {

SimResponse jsonResponse(const QJsonObject &object)
{
    SimResponse r;
    r.headers.append(SimHeader { "Content-Type", "application/json" });
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

QJsonObject modelObject(const SimModel &model)
{
    QJsonArray aliases;
    for (const QString &alias : model.aliases)
        aliases.append(alias);
    return QJsonObject { { QStringLiteral("id"), model.id },
                         { QStringLiteral("object"), QStringLiteral("model") },
                         { QStringLiteral("created"), 1752019200 },
                         { QStringLiteral("owned_by"), QStringLiteral("xai") },
                         { QStringLiteral("aliases"), aliases } };
}

} // namespace

SimServer::SimServer(QObject *parent)
    : QObject(parent)
{
    m_state.clock.start();
    m_state.scenario.name = QStringLiteral("default");
    connect(&m_tcp, &QTcpServer::newConnection, this, &SimServer::acceptConnections);
}

SimServer::~SimServer()
{
    // Connections report their end to m_state: end them while it still exists.
    const QList<HttpConnection *> connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(connections);
}

QStringList SimServer::builtInScenarios()
{
    return { QStringLiteral("demo"),        QStringLiteral("xai"),        QStringLiteral("steady"),
             QStringLiteral("tight-quota"), QStringLiteral("no-headers"), QStringLiteral("flaky"),
             QStringLiteral("outage"),      QStringLiteral("tpm-bound") };
}

bool SimServer::loadScenario(const QString &nameOrPath, QString *error)
{
    const bool builtIn = builtInScenarios().contains(nameOrPath);
    QFile file(builtIn ? QStringLiteral(":/scenarios/%1.json").arg(nameOrPath) : nameOrPath);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot open scenario \"%1\": %2 (built-in: %3)")
                         .arg(nameOrPath, file.errorString(), builtInScenarios().join(u", "));
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (error)
            *error = QStringLiteral("scenario \"%1\" is not a JSON object: %2 at offset %3")
                         .arg(nameOrPath, parseError.errorString())
                         .arg(parseError.offset);
        return false;
    }
    QJsonObject object = document.object();
    if (!object.contains(QLatin1String("name")))
        object.insert(QStringLiteral("name"), nameOrPath);
    return setScenarioJson(object, error);
}

bool SimServer::setScenarioJson(const QJsonObject &scenario, QString *error)
{
    std::optional<Scenario> parsed = Scenario::fromJson(scenario, error);
    if (!parsed)
        return false;
    m_state.scenario = std::move(*parsed);
    m_state.reset();
    return true;
}

void SimServer::setSeed(quint64 seed)
{
    m_state.seed = seed;
    m_state.rng.reseed(seed);
}

void SimServer::setRequiredApiKey(const QString &key)
{
    m_state.requiredKey = key;
}

bool SimServer::setHeaderStyle(const QString &style, QString *error)
{
    if (style.isEmpty()) {
        m_state.headerStyleOverride.reset();
        return true;
    }
    const std::optional<HeaderStyle> parsed = Scenario::headerStyleFromName(style);
    if (!parsed) {
        if (error)
            *error
                = QStringLiteral("unknown header style \"%1\" (openai, ietf, ietf_legacy, xratelimit, none)")
                      .arg(style);
        return false;
    }
    m_state.headerStyleOverride = parsed;
    return true;
}

bool SimServer::listen(quint16 port)
{
    // Hundreds of clients may connect at once; the default backlog (50) would drop SYNs.
    m_tcp.setListenBacklogSize(1024);
    return m_tcp.listen(QHostAddress::LocalHost, port);
}

quint16 SimServer::port() const
{
    return m_tcp.serverPort();
}

QUrl SimServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port()));
}

void SimServer::enqueueFaults(const QJsonArray &faults)
{
    enqueueFaults(faults, nullptr);
}

bool SimServer::enqueueFaults(const QJsonArray &faults, QString *error)
{
    QList<FaultSpec> parsed;
    for (qsizetype i = 0; i < faults.size(); ++i) {
        QString itemError;
        const std::optional<FaultSpec> fault = FaultSpec::fromJson(faults.at(i).toObject(), &itemError);
        if (!faults.at(i).isObject() || !fault) {
            if (error)
                *error = QStringLiteral("faults[%1]: %2")
                             .arg(i)
                             .arg(itemError.isEmpty() ? QStringLiteral("must be an object") : itemError);
            qWarning("grokpulse sim: rejected scripted faults: faults[%d]: %s", int(i),
                     qUtf8Printable(itemError));
            return false;
        }
        parsed.append(*fault);
    }
    m_state.scripted += parsed;
    return true;
}

QJsonObject SimServer::stats() const
{
    QJsonObject object = m_state.stats.toJson();
    object.insert(QStringLiteral("scenario"), m_state.scenario.name);
    object.insert(QStringLiteral("header_style"), Scenario::headerStyleName(m_state.headerStyle()));
    object.insert(QStringLiteral("seed"), QString::number(m_state.seed));
    object.insert(QStringLiteral("scripted_faults_pending"), m_state.scripted.size());
    object.insert(QStringLiteral("in_flight"), m_state.inFlight);
    object.insert(QStringLiteral("peak_in_flight"), m_state.peakInFlight);
    object.insert(QStringLiteral("wording"), Scenario::wordingName(m_state.scenario.wording));
    return object;
}

void SimServer::resetStats()
{
    m_state.reset();
}

void SimServer::acceptConnections()
{
    while (QTcpSocket *socket = m_tcp.nextPendingConnection())
        new HttpConnection(
            socket, [this](const HttpRequest &request) { return route(request); },
            [this](int delta) {
                m_state.inFlight += delta;
                m_state.peakInFlight = std::max(m_state.peakInFlight, m_state.inFlight);
            },
            this);
}

bool SimServer::authorized(const HttpRequest &request) const
{
    const QByteArray header = request.header("authorization");
    if (!header.startsWith("Bearer "))
        return false;
    const QByteArray token = header.mid(7).trimmed();
    if (token.isEmpty())
        return false;
    return m_state.requiredKey.isEmpty() || token == m_state.requiredKey.toUtf8();
}

SimResponse SimServer::route(const HttpRequest &request)
{
    m_state.stats.countHttpRequest();
    const QByteArray requestId = "sim-" + QByteArray::number(m_state.seed, 16) + '-'
        + QByteArray::number(++m_state.requestCounter, 16).rightJustified(8, '0');
    SimResponse r = request.path.startsWith("/sim/") ? routeSim(request) : routeV1(request, requestId);
    r.headers.append(SimHeader { "x-request-id", requestId });
    if (!r.resetBeforeHeaders)
        m_state.stats.countStatus(r.status);
    return r;
}

SimResponse SimServer::routeSim(const HttpRequest &request)
{
    const QByteArray &path = request.path;
    if (path == "/sim/stats" && request.method == "GET")
        return jsonResponse(stats());
    if (path == "/sim/reset" && request.method == "POST") {
        resetStats();
        return jsonResponse(QJsonObject { { QStringLiteral("ok"), true } });
    }
    if (path == "/sim/faults" && request.method == "POST") {
        const QJsonDocument document = QJsonDocument::fromJson(request.body);
        QString error = QStringLiteral("the body must be a JSON array of fault objects");
        if (!document.isArray() || !enqueueFaults(document.array(), &error))
            return SimErrors::flat(400, error);
        return jsonResponse(QJsonObject { { QStringLiteral("queued"), m_state.scripted.size() } });
    }
    if (path == "/sim/stats" || path == "/sim/reset" || path == "/sim/faults")
        return SimErrors::flat(405,
                               QStringLiteral("Method %1 is not allowed on %2")
                                   .arg(QString::fromLatin1(request.method), QString::fromLatin1(path)));
    return SimErrors::flat(404, QStringLiteral("No such path: %1").arg(QString::fromLatin1(path.left(100))));
}

SimResponse SimServer::routeV1(const HttpRequest &request, const QByteArray &requestId)
{
    const QByteArray &path = request.path;
    const bool chat = path == "/v1/chat/completions";
    const bool models = path == "/v1/models" || path.startsWith("/v1/models/");
    const bool tokenizer = path == "/v1/tokenize-text";
    const bool responses = path == "/v1/responses";
    const bool deferred = path.startsWith("/v1/chat/deferred-completion/");
    const bool batches = path == "/v1/batches" || path.startsWith("/v1/batches/");
    if (!chat && !models && !tokenizer && !responses && !deferred && !batches)
        return SimWordings::noRoute(m_state.scenario.wording, path);
    if (!batches && request.method != (models || deferred ? "GET" : "POST"))
        return SimErrors::flat(405,
                               QStringLiteral("Method %1 is not allowed on %2")
                                   .arg(QString::fromLatin1(request.method), QString::fromLatin1(path)));
    if (!authorized(request)) {
        m_state.stats.countAuthFailure();
        if (chat)
            m_state.stats.countRequest(QString::fromUtf8(request.header("x-grokpulse-custom-id")));
        // Never echo the key: the message names only what was wrong.
        const bool missing = !request.hasHeader("authorization");
        return SimErrors::flat(
            missing ? 401 : m_state.scenario.wrongKeyStatus,
            missing ? QStringLiteral("No API key provided. Send an Authorization: Bearer header.")
                    : QStringLiteral("Incorrect API key provided. You can obtain an API key from "
                                     "the xAI console."));
    }
    if (chat && DeferredHandler::isDeferred(request))
        return DeferredHandler(m_state).submit(request, requestId);
    if (chat)
        return ChatHandler(m_state).handle(request, requestId);
    if (deferred)
        return DeferredHandler(m_state).fetch(QString::fromUtf8(path.mid(29)));
    if (batches)
        return BatchApiHandler(m_state).handle(request);
    if (responses)
        return ResponsesHandler(m_state).handle(request, requestId);
    if (models)
        return this->models(path);
    return tokenize(request);
}

SimResponse SimServer::models(const QByteArray &path) const
{
    if (path == "/v1/models") {
        QJsonArray data;
        for (const SimModel &model : CompletionSynth::models())
            data.append(modelObject(model));
        return jsonResponse(QJsonObject { { QStringLiteral("object"), QStringLiteral("list") },
                                          { QStringLiteral("data"), data } });
    }
    const QString name = QString::fromUtf8(path.mid(int(qstrlen("/v1/models/"))));
    if (const SimModel *model = CompletionSynth::resolve(name))
        return jsonResponse(modelObject(*model));
    return SimErrors::flat(
        404,
        QStringLiteral("The model %1 does not exist or your team does not have access to it.")
            .arg(name.left(100)));
}

SimResponse SimServer::tokenize(const HttpRequest &request) const
{
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    const QJsonValue text = document.object().value(QLatin1String("text"));
    const QJsonValue model = document.object().value(QLatin1String("model"));
    if (!document.isObject() || !text.isString())
        return SimErrors::flat(422,
                               QStringLiteral("Failed to deserialize the JSON body into the target type: "
                                              "missing or invalid field `text` (a string)"));
    if (!model.isUndefined() && !CompletionSynth::resolve(model.toString()))
        return SimErrors::flat(
            404,
            QStringLiteral("The model %1 does not exist or your team does not have access to it.")
                .arg(model.toString().left(100)));
    // One token per 4 characters: the same estimate the usage numbers use.
    QJsonArray tokens;
    const QString value = text.toString();
    for (qsizetype i = 0; i < value.size(); i += 4) {
        const QString piece = value.mid(i, 4);
        QJsonArray bytes;
        for (const char byte : piece.toUtf8())
            bytes.append(int(quint8(byte)));
        tokens.append(
            QJsonObject { { QStringLiteral("token_id"), qint64(CompletionSynth::hashText(piece) % 131072) },
                          { QStringLiteral("string_token"), piece },
                          { QStringLiteral("token_bytes"), bytes } });
    }
    return jsonResponse(QJsonObject { { QStringLiteral("token_ids"), tokens } });
}

} // namespace gp::sim
