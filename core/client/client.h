#pragma once

#include "core/client/clientconfig.h"
#include "core/client/outcome.h"
#include "core/client/requestjob.h"
#include "core/client/requestoptions.h"
#include "core/policy/circuitbreaker.h"
#include "core/telemetry/event.h"
#include "core/wire/chatrequest.h"

#include <QHash>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <random>

class QNetworkAccessManager;

namespace gp {

class Attempt;
class CredentialProvider;
class Pacer;
class PassThroughPacer;
struct AttemptResult;
struct Judgement;

// The request engine: submit() a ChatRequest, get a RequestJob that ends in exactly one
// finished(Outcome). Owns the one QNetworkAccessManager; paces through a Pacer; retries
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
    void cancelAll();
    void setApiKey(const QString &key, const QString &source);
    // On 401 (or 400 "Incorrect API key") ask it for a new key and resubmit once. Not owned.
    void setCredentialProvider(CredentialProvider *provider);
    const ClientConfig &config() const { return m_config; }
    int activeJobs() const { return int(m_jobs.size()); }
    BreakerState breakerState() const { return m_breaker.state(); }
    QUrl chatCompletionsUrl() const { return m_chatUrl; }
    QNetworkAccessManager *networkAccessManager() const { return m_network; }

    // base + "/chat/completions" without doubled or missing slashes.
    static QUrl joinUrl(const QUrl &base, const QString &path);

Q_SIGNALS:
    void eventEmitted(const gp::Event &event);
    void jobFinished(gp::RequestJob *job);
    void breakerStateChanged(gp::BreakerState state, const QString &endpoint);

private:
    friend class RequestJob;
    void cancelJob(RequestJob *job);
    void forgetJob(RequestJob *job);

    void enqueue(RequestJob *job, qint64 delayMs);
    void onAdmitted(quint64 jobId);
    void onRejected(quint64 jobId, const gp::Error &error);
    void holdForBreaker(RequestJob *job);
    void releaseHeld();
    void startAttempt(RequestJob *job);
    void onAttemptFinished(RequestJob *job, Attempt *attempt);
    void settleAttempt(RequestJob *job, const AttemptResult &result, const Judgement &judgement);
    void decideAfterFailure(RequestJob *job, const AttemptResult &result, const Judgement &judgement);
    void awaitCredential(RequestJob *job, const Error &error);
    void onKeyProvided(const QString &key, const QString &source);
    void onKeyDeclined();
    void onDeadline(RequestJob *job);
    void leaveCurrentStage(RequestJob *job);
    void finish(RequestJob *job, Outcome outcome);
    void fail(RequestJob *job, Error error);
    void applyBreakerChange(std::optional<BreakerState> changed);
    Event makeEvent(const RequestJob *job, EventKind kind) const;
    void emitTerminalEvent(const RequestJob *job);
    bool wantsEvents() const;
    QNetworkRequest buildRequest(const RequestJob *job) const;
    double nextUniform();
    static qint64 steadyNowMs();

    ClientConfig m_config;
    QUrl m_chatUrl;
    QString m_endpoint; // scheme://host:port, names the breaker
    QByteArray m_authorization;
    QNetworkAccessManager *m_network = nullptr;
    PassThroughPacer *m_ownPacer = nullptr;
    QPointer<Pacer> m_pacer;
    QPointer<CredentialProvider> m_credentials;
    bool m_askingForKey = false;
    CircuitBreaker m_breaker;
    QTimer m_breakerTimer;
    QHash<quint64, RequestJob *> m_jobs; // unfinished jobs
    QList<quint64> m_held; // waiting for the breaker
    QList<quint64> m_awaitingKey; // waiting for the credential provider
    quint64 m_nextId = 1;
    std::mt19937_64 m_random;
    std::uniform_real_distribution<double> m_uniform { 0.0, 1.0 };
};

} // namespace gp
