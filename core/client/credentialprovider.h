#pragma once

#include "core/policy/error.h"

#include <QObject>
#include <QString>

namespace gp {

// Hook for a new API key after an authentication failure (the GUI asks the user).
// The client calls requestNewKey() once per burst of 401s and holds the affected jobs;
// answer, now or later, with keyProvided() (the jobs are resubmitted once) or declined()
// (they fail with the authentication error).
class CredentialProvider : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~CredentialProvider() override = default;

    // reason.message names the cause and the current key's source, never the key.
    virtual void requestNewKey(const gp::Error &reason, const QString &currentSource) = 0;

Q_SIGNALS:
    void keyProvided(const QString &key, const QString &source);
    void declined();
};

} // namespace gp
