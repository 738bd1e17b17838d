#include "core/client/client.h"

#include "core/client/apicall.h"
#include "core/client/breakergate.h"
#include "core/client/chatendpoint.h"
#include "core/client/credentialcoordinator.h"
#include "core/client/networkpool.h"
#include "core/client/pacerlink.h"

#include <QMetaMethod>
#include <QNetworkAccessManager>

#include <algorithm>

namespace gp {

Client::Client(ClientConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_endpoint(std::make_unique<ChatEndpoint>(m_config.baseUrl, m_config.allowInsecureHttp))
    , m_network(new NetworkPool(m_config.maxInFlight, this))
    , m_credentials(new CredentialCoordinator(this))
    , m_random(m_config.randomSeed ? m_config.randomSeed : std::random_device {}())
{
    setApiKey(m_config.apiKey, m_config.apiKeySource);
    m_pacing = new PacerLink(m_config.maxInFlight,
                             RetryBudget(m_config.retry.budgetRatio, m_config.retry.budgetMinPerSecond,
                                         m_config.retry.budgetWindowMs),
                             this);
    connect(m_pacing, &PacerLink::admitted, this, &Client::onAdmitted);
    connect(m_pacing, &PacerLink::rejected, this, &Client::onRejected);
    m_gate = new BreakerGate(m_config.breaker, m_endpoint->name(), this);
    connect(m_gate, &BreakerGate::stateChanged, this, &Client::breakerStateChanged);
    connect(m_gate, &BreakerGate::eventEmitted, this, &Client::eventEmitted);
    connect(m_gate, &BreakerGate::released, this, &Client::onBreakerReleased);
    connect(m_network, &NetworkPool::inFlightChanged, this, &Client::networkInFlightChanged);
    connect(m_credentials, &CredentialCoordinator::keyProvided, this, &Client::onKeyProvided);
    connect(m_credentials, &CredentialCoordinator::declined, this, &Client::onKeyDeclined);

    m_context.config = &m_config;
    m_context.endpoint = m_endpoint.get();
    m_context.network = m_network;
    m_context.pacing = m_pacing;
    m_context.gate = m_gate;
    m_context.credentials = m_credentials;
    m_context.owner = this;
    m_context.wantsEvents = [this] { return wantsEvents(); };
    m_context.emitEvent = [this](const Event &event) { Q_EMIT eventEmitted(event); };
    m_context.forget = [this](quint64 jobId) { m_jobs.remove(jobId); };
}

Client::~Client()
{
    // Unfinished jobs die with us silently; stop their replies first.
    const auto jobs = m_jobs.values();
    for (RequestJob *job : jobs)
        job->abandon();
    // API calls in flight die now, silently like the jobs: children die in the order they were
    // made, and the network pool, made first, would otherwise go before the replies sent on it.
    qDeleteAll(findChildren<ApiCall *>(Qt::FindDirectChildrenOnly));
}

QNetworkAccessManager *Client::networkAccessManager() const
{
    return m_network->primary();
}

int Client::networkInFlight() const
{
    return m_network->inFlight();
}

QUrl Client::chatCompletionsUrl() const
{
    return m_endpoint->url();
}

QString Client::endpointRefusal() const
{
    return m_endpoint->refusal();
}

void Client::setPacer(Pacer *pacer)
{
    m_pacing->setPacer(pacer);
}

Pacer *Client::pacer() const
{
    return m_pacing->pacer();
}

BreakerState Client::breakerState() const
{
    return m_gate->state();
}

void Client::setApiKey(const QString &key, const QString &source)
{
    m_config.apiKey = key;
    m_config.apiKeySource = source;
    m_endpoint->setApiKey(key);
}

void Client::setRetry(const RetryConfig &retry)
{
    m_config.retry = retry;
}

void Client::setTimeouts(const TimeoutConfig &timeouts)
{
    m_config.timeouts = timeouts;
}

void Client::setConcurrencyCap(int maxInFlight)
{
    m_config.maxInFlight = std::max(1, maxInFlight);
    m_network->setCapacity(m_config.maxInFlight);
}

void Client::setDefaultModel(const QString &model)
{
    m_config.defaultModel = model;
}

void Client::setCredentialProvider(CredentialProvider *provider)
{
    m_credentials->setProvider(provider);
}

double Client::nextUniform()
{
    return m_uniform(m_random);
}

RequestJob *Client::submit(const ChatRequest &request, const RequestOptions &options)
{
    ChatRequest effective = request;
    if (effective.model.isEmpty())
        effective.model = m_config.defaultModel;
    effective.stream = options.stream.value_or(request.stream);
    return submitKind(effective, options, RequestKind::ChatCompletions, {}, 0);
}

RequestJob *Client::submitKind(const ChatRequest &view, const RequestOptions &options, RequestKind kind,
                               QByteArray body, qint64 estimatedTokens)
{
    const RetryConfig &r = m_config.retry;
    auto *job
        = new RequestJob(m_nextId++, view, options,
                         Backoff(r.jitter, r.baseMs, r.capMs, r.multiplier, [this] { return nextUniform(); }),
                         &m_context, this);
    if (kind != RequestKind::ChatCompletions)
        job->setKind(kind, std::move(body), estimatedTokens);
    m_jobs.insert(job->id(), job);
    // Whatever fails in here (endpoint refused, queue full, request larger than the limit, a
    // pacer that rejects at once) is delivered on the next event-loop turn: the caller has not
    // connected to the job yet.
    const bool nested = m_context.submitting;
    m_context.submitting = true;
    job->start();
    m_context.submitting = nested;
    return job;
}

void Client::onAdmitted(quint64 jobId)
{
    RequestJob *job = m_jobs.value(jobId);
    if (!job || !job->admit())
        m_pacing->releaseUnsent(jobId); // a ticket we no longer want: give the slot back
}

void Client::onRejected(quint64 jobId, const Error &error)
{
    if (RequestJob *job = m_jobs.value(jobId))
        job->reject(error);
}

void Client::onBreakerReleased(const QList<quint64> &jobIds)
{
    for (const quint64 id : jobIds) {
        if (RequestJob *job = m_jobs.value(id))
            job->releaseFromBreaker();
    }
}

void Client::onKeyProvided(const QString &key, const QString &source, const QList<quint64> &jobIds)
{
    setApiKey(key, source);
    for (const quint64 id : jobIds) {
        if (RequestJob *job = m_jobs.value(id))
            job->resumeWithNewKey();
    }
}

void Client::onKeyDeclined(const QList<quint64> &jobIds)
{
    for (const quint64 id : jobIds) {
        if (RequestJob *job = m_jobs.value(id))
            job->failForDeclinedKey();
    }
}

void Client::cancelAll()
{
    // By id: a caller's finished() slot may delete another job while this runs.
    const QList<quint64> ids = m_jobs.keys();
    for (const quint64 id : ids) {
        if (RequestJob *job = m_jobs.value(id))
            job->cancel();
    }
}

bool Client::wantsEvents() const
{
    // Building events costs a few allocations each; skip them when nobody listens.
    static const QMetaMethod signal = QMetaMethod::fromSignal(&Client::eventEmitted);
    return isSignalConnected(signal);
}

} // namespace gp
