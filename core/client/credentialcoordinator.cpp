#include "core/client/credentialcoordinator.h"

#include "core/client/credentialprovider.h"

namespace gp {

CredentialCoordinator::CredentialCoordinator(QObject *parent)
    : QObject(parent)
{ }

CredentialCoordinator::~CredentialCoordinator() = default;

void CredentialCoordinator::setProvider(CredentialProvider *provider)
{
    if (m_provider)
        m_provider->disconnect(this);
    m_provider = provider;
    m_asking = false;
    if (!provider)
        return;
    connect(provider, &CredentialProvider::keyProvided, this, &CredentialCoordinator::onKeyProvided);
    connect(provider, &CredentialProvider::declined, this, &CredentialCoordinator::onDeclined);
}

void CredentialCoordinator::hold(quint64 jobId, const Error &error, const QString &currentSource)
{
    m_waiting.append(jobId);
    if (m_asking || !m_provider)
        return;
    m_asking = true;
    m_provider->requestNewKey(error, currentSource); // may answer synchronously
}

void CredentialCoordinator::forget(quint64 jobId)
{
    m_waiting.removeAll(jobId);
}

void CredentialCoordinator::onKeyProvided(const QString &key, const QString &source)
{
    m_asking = false;
    Q_EMIT keyProvided(key, source, std::exchange(m_waiting, {}));
}

void CredentialCoordinator::onDeclined()
{
    m_asking = false;
    Q_EMIT declined(std::exchange(m_waiting, {}));
}

} // namespace gp
