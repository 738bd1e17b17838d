#include "app/gateway/upstreamcredential.h"

#include <QEventLoop>
#include <QTimer>

#ifdef GP_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

using namespace Qt::StringLiterals;

namespace gp {

bool UpstreamCredential::keychainCompiledIn()
{
#ifdef GP_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

UpstreamCredential::Result UpstreamCredential::resolve(const QString &envName, bool useKeychain,
                                                       int timeoutMs)
{
    Result result;
    const QString fromEnv = qEnvironmentVariable(envName.toLocal8Bit().constData()).trimmed();
    if (!fromEnv.isEmpty()) {
        result.key = fromEnv;
        result.source = envName;
        return result;
    }
    const QString envNote = u"the environment variable %1 is empty or unset"_s.arg(envName);
    if (!useKeychain) {
        result.note = envNote;
        return result;
    }
    result = fromKeychain(timeoutMs);
    if (result.key.isEmpty())
        result.note = envNote + u", and "_s + result.note;
    return result;
}

UpstreamCredential::Result UpstreamCredential::fromKeychain(int timeoutMs)
{
    Result result;
#ifdef GP_HAVE_KEYCHAIN
    QKeychain::ReadPasswordJob job(QString::fromLatin1(kKeychainService));
    job.setAutoDelete(false);
    job.setKey(QString::fromLatin1(kKeychainAccount));
    QEventLoop loop;
    bool done = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        done = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job.start();
    if (!done)
        loop.exec();
    if (!done) {
        result.note = u"the system keychain did not answer within %1 ms"_s.arg(timeoutMs);
    } else if (job.error() == QKeychain::EntryNotFound) {
        result.note = u"the system keychain holds no GrokPulse key"_s;
    } else if (job.error() != QKeychain::NoError) {
        // errorString() names the backend's trouble, never the secret.
        result.note = u"the system keychain is not available (%1)"_s.arg(job.errorString());
    } else if (const QString key = job.textData().trimmed(); key.isEmpty()) {
        result.note = u"the system keychain holds an empty GrokPulse key"_s;
    } else {
        result.key = key;
        result.source = u"keychain"_s;
    }
#else
    Q_UNUSED(timeoutMs)
    result.note = u"this build has no keychain support (QtKeychain was not found)"_s;
#endif
    return result;
}

} // namespace gp
