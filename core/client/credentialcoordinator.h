#pragma once

#include "core/policy/error.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace gp {

class CredentialProvider;

// Holds the jobs that failed authentication while one new key is asked for, so a burst
// of 401s costs one prompt. Knows job ids only; the Client resubmits or fails the jobs.
class CredentialCoordinator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialCoordinator)

public:
    explicit CredentialCoordinator(QObject *parent = nullptr);
    ~CredentialCoordinator() override;

    // Not owned; nullptr turns the coordinator off (authentication errors then fail at once).
    void setProvider(CredentialProvider *provider);
    bool hasProvider() const { return !m_provider.isNull(); }
    // Parks the job and asks the provider once per burst; the provider may answer synchronously.
    void hold(quint64 jobId, const Error &error, const QString &currentSource);
    void forget(quint64 jobId);

Q_SIGNALS:
    void keyProvided(const QString &key, const QString &source, const QList<quint64> &jobIds);
    void declined(const QList<quint64> &jobIds);

private:
    void onKeyProvided(const QString &key, const QString &source);
    void onDeclined();

    QPointer<CredentialProvider> m_provider;
    bool m_asking = false;
    QList<quint64> m_waiting; // job ids, in the order they failed
};

} // namespace gp
