#pragma once

#include "core/client/clientconfig.h"
#include "core/client/outcome.h"
#include "core/client/requestjob.h"
#include "core/client/requestoptions.h"
#include "core/policy/circuitbreaker.h"
#include "core/telemetry/event.h"
#include "core/wire/chatrequest.h"
#include "core/wire/responsesrequest.h"

#include <QHash>
#include <QList>
#include <QNetworkRequest> // kept: includers relied on it
#include <QObject>
#include <QPointer>
#include <QTimer> // kept: includers relied on it

#include <memory>
#include <optional>
#include <random>

class QNetworkAccessManager;

namespace gp {

class ApiCall;
class Attempt;
class BreakerGate;
class NetworkPool;
class ChatEndpoint;
class CredentialCoordinator;
class CredentialProvider;
class Pacer;
class PacerLink;
struct AttemptResult;
struct Judgement;

// The request engine: submit() a ChatRequest, get a RequestJob that ends in exactly one
// finished(Outcome). Owns a NetworkPool sized for maxInFlight; paces through a Pacer; retries
// with backoff and server hints within the retry budget; one circuit breaker per endpoint.
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
    // The job is a child of the client; the caller may deleteLater() it after finished().
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
    void cancelAll();
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

    // base + "/chat/completions" without doubled or missing slashes.
    static QUrl joinUrl(const QUrl &base, const QString &path);

Q_SIGNALS:
    void eventEmitted(const gp::Event &event);
    void jobFinished(gp::RequestJob *job);
    void breakerStateChanged(gp::BreakerState state, const QString &endpoint);
    void networkInFlightChanged(int inFlight, int cap);

private:
    friend class RequestJob;
    void cancelJob(RequestJob *job);
    void forgetJob(RequestJob *job);

    RequestJob *newJob(const ChatRequest &request, const RequestOptions &options);
    RequestJob *admitNew(RequestJob *job);
    void enqueue(RequestJob *job, qint64 delayMs);
    void onAdmitted(quint64 jobId);
    void onRejected(quint64 jobId, const gp::Error &error);
    void holdForBreaker(RequestJob *job);
    void onBreakerReleased(const QList<quint64> &jobIds);
    void startAttempt(RequestJob *job);
    void onAttemptFinished(RequestJob *job, Attempt *attempt);
    void settleAttempt(RequestJob *job, const AttemptResult &result, const Judgement &judgement);
    void decideAfterFailure(RequestJob *job, const AttemptResult &result, const Judgement &judgement);
    void onKeyProvided(const QString &key, const QString &source, const QList<quint64> &jobIds);
    void onKeyDeclined(const QList<quint64> &jobIds);
    void onDeadline(RequestJob *job);
    void leaveCurrentStage(RequestJob *job);
    void finish(RequestJob *job, Outcome outcome);
    void deliverFinished(RequestJob *job, const std::optional<Event> &terminal);
    void fail(RequestJob *job, Error error);
    bool wantsEvents() const;
    double nextUniform();
    static qint64 steadyNowMs();
    static QString baseUrlProblem(const QUrl &baseUrl);

    ClientConfig m_config;
    std::unique_ptr<ChatEndpoint> m_endpoint;
    NetworkPool *m_network = nullptr;
    PacerLink *m_pacing = nullptr;
    CredentialCoordinator *m_credentials = nullptr;
    BreakerGate *m_gate = nullptr;
    QHash<quint64, RequestJob *> m_jobs; // unfinished jobs
    quint64 m_nextId = 1;
    int m_submitDepth = 0; // > 0 while submit() runs: finished is then queued, never emitted inside
    struct SubmitScope
    {
        explicit SubmitScope(int &depth)
            : m_depth(depth)
        {
            ++m_depth;
        }
        ~SubmitScope() { --m_depth; }
        Q_DISABLE_COPY_MOVE(SubmitScope)
        int &m_depth;
    };
    std::mt19937_64 m_random;
    std::uniform_real_distribution<double> m_uniform { 0.0, 1.0 };
};

} // namespace gp
