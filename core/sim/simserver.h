#pragma once

#include "core/sim/scenario.h"
#include "core/sim/simresponse.h"
#include "core/sim/simstate.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <memory>

namespace gp::sim {

struct HttpRequest;

// The xAI-compatible simulator: an HTTP/1.1 server on 127.0.0.1 with per-model limits,
// quota header styles and fault injection. Single-threaded on its owner's event loop.
class SimServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimServer)

public:
    explicit SimServer(QObject *parent = nullptr);
    ~SimServer() override;

    // Built-in name ("demo", "steady", "tight-quota", "no-headers", "flaky", "outage", "tpm-bound")
    // from the qrc, or a path to a JSON file. Validated with clear errors.
    bool loadScenario(const QString &nameOrPath, QString *error);
    bool setScenarioJson(const QJsonObject &scenario, QString *error); // same schema
    void setSeed(quint64 seed);
    void setRequiredApiKey(const QString &key); // empty: any non-empty bearer token is accepted
    bool listen(quint16 port = 0); // 127.0.0.1 only
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:PORT/v1
    // Scripted faults, consumed one per incoming chat-completions request, before any
    // probabilistic scenario fault. Same fault objects as POST /sim/faults.
    void enqueueFaults(const QJsonArray &faults);
    QJsonObject stats() const; // same as GET /sim/stats
    void resetStats(); // same as POST /sim/reset

    // Additions: validated fault queueing, a header-style override, the loaded scenario.
    bool enqueueFaults(const QJsonArray &faults, QString *error);
    bool setHeaderStyle(const QString &style,
                        QString *error); // "openai", "ietf", "xratelimit", "none", "" = scenario's
    QString scenarioName() const { return m_state.scenario.name; }
    static QStringList builtInScenarios();

private:
    void acceptConnections();
    SimResponse route(const HttpRequest &request);
    SimResponse routeSim(const HttpRequest &request);
    SimResponse routeV1(const HttpRequest &request, const QByteArray &requestId);
    bool authorized(const HttpRequest &request) const;
    SimResponse models(const QByteArray &path) const;
    SimResponse tokenize(const HttpRequest &request) const;

    QTcpServer m_tcp;
    SimState m_state;
};

} // namespace gp::sim
