#pragma once

#include "core/client/clientconfig.h"
#include "core/client/jobcontext.h"
#include "core/client/outcome.h"
#include "core/client/requestjob.h"
#include "core/client/requestoptions.h"
#include "core/events/event.h"
#include "core/policy/circuitbreaker.h"
#include "core/wire/chatrequest.h"
#include "core/wire/responsesrequest.h"

#include <QHash>
#include <QList>
#include <QNetworkRequest> // kept: includers relied on it
#include <QObject>
#include <QPointer> // kept: includers relied on it
#include <QTimer> // kept: includers relied on it

#include <memory>
#include <optional>
#include <random>

class QNetworkAccessManager;

namespace gp {

class ApiCall;
class BreakerGate;
class TokenCounter;
class NetworkPool;
class ChatEndpoint;
class CredentialCoordinator;
class CredentialProvider;
class Pacer;
class PacerLink;

// The request engine: submit() a ChatRequest, get a RequestJob that ends in exactly one
// finished(Outcome). Owns a NetworkPool sized for maxInFlight; paces through a Pacer; retries
// with backoff and server hints within the retry budget; one circuit breaker per endpoint.
// The Client owns the parts jobs share and routes its pacer's, breaker's and key
// coordinator's answers to the job they name; each job runs its own life.
class Client final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Client)

public:
    explicit Client(ClientConfig config, QObject *parent = nullptr);
    ~Client() override;

    // Not owned; nullptr restores the internal PassThroughPacer. Set before submitting.
    void setPacer(Pacer *pacer);
    Pacer *pacer() const;
    // The job is a child of the client and deletes itself after finished() (see RequestJob).
    RequestJob *submit(const ChatRequest &request, const RequestOptions &options = {});
    // A Responses API request (POST /responses): the same pacing, retries and outcome
    // (response in chat terms, responseBody the Responses object).
    RequestJob *submit(const ResponsesRequest &request, const RequestOptions &options = {});
    // A deferred chat completion ("deferred": true, never streamed), paced like chat:
    // the outcome's response.id is the request id to poll.
    RequestJob *submitDeferred(const ChatRequest &request, const RequestOptions &options = {});
    // One unpaced call under the base URL (batches, deferred polls, tokenize) with the
    // same key and plain-http rules; a child of the client, deleted after finished().
    ApiCall *call(const QByteArray &verb, const QString &path, const QByteArray &body = {});
    // On: every job's prompt is counted with POST /tokenize-text (cached per distinct
    // text) before its first ticket, so pacing uses exact counts. Set before submitting.
    void setExactTokens(bool on);
    const TokenCounter *tokenCounter() const { return m_context.tokens; } // nullptr when off
    void cancelAll();
    // Settings changed while running. Retries: for jobs submitted from now on (a job keeps the
    // attempts, backoff and hint ceiling it started with). Timeouts: from each job's next
    // attempt (the deadline: from the next job). Concurrency: the network pool's size.
    void setRetry(const RetryConfig &retry);
    void setTimeouts(const TimeoutConfig &timeouts);
    void setConcurrencyCap(int maxInFlight);
    void setDefaultModel(const QString &model); // for requests submitted without a model from now on
    void setApiKey(const QString &key, const QString &source);
    // On 401 (or 400 "Incorrect API key") ask it for a new key and resubmit once. Not owned.
    void setCredentialProvider(CredentialProvider *provider);
    const ClientConfig &config() const { return m_config; }
    int activeJobs() const { return int(m_jobs.size()); }
    BreakerState breakerState() const;
    QUrl chatCompletionsUrl() const;
    // Non-empty when the base URL is refused (plain http to a non-loopback host without
    // allowInsecureHttp): every submitted job then fails at once with ErrorClass::Tls.
    QString endpointRefusal() const;
    QNetworkAccessManager *networkAccessManager() const; // the pool's primary, for other calls
    int networkInFlight() const; // requests on the wire now (unfinished replies)
    int concurrencyCap() const { return m_config.maxInFlight; }

Q_SIGNALS:
    void eventEmitted(const gp::Event &event);
    void breakerStateChanged(gp::BreakerState state, const QString &endpoint);
    void networkInFlightChanged(int inFlight, int cap);

private:
    // A kind other than chat: its body and estimate, then the one path every job takes.
    RequestJob *submitKind(const ChatRequest &view, const RequestOptions &options, RequestKind kind,
                           QByteArray body, qint64 estimatedTokens);
    void onAdmitted(quint64 jobId);
    void onRejected(quint64 jobId, const gp::Error &error);
    void onBreakerReleased(const QList<quint64> &jobIds);
    void onKeyProvided(const QString &key, const QString &source, const QList<quint64> &jobIds);
    void onKeyDeclined(const QList<quint64> &jobIds);
    bool wantsEvents() const;
    double nextUniform();

    ClientConfig m_config;
    std::unique_ptr<ChatEndpoint> m_endpoint;
    NetworkPool *m_network = nullptr;
    PacerLink *m_pacing = nullptr;
    CredentialCoordinator *m_credentials = nullptr;
    BreakerGate *m_gate = nullptr;
    JobContext m_context;
    QHash<quint64, RequestJob *> m_jobs; // unfinished jobs
    quint64 m_nextId = 1;
    std::mt19937_64 m_random;
    std::uniform_real_distribution<double> m_uniform { 0.0, 1.0 };
};

} // namespace gp
