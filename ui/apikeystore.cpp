#include "ui/apikeystore.h"

#include <QTimer>

#ifdef GP_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace gp {

namespace {
const QString kService = QStringLiteral("GrokPulse");
const QString kAccount = QStringLiteral("xai-api-key");
} // namespace

ApiKeyStore::ApiKeyStore(QObject *parent)
    : QObject(parent)
{ }

ApiKeyStore::~ApiKeyStore() = default;

bool ApiKeyStore::keychainCompiledIn()
{
#ifdef GP_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

bool ApiKeyStore::loadFromEnvironment()
{
    const QString key = qEnvironmentVariable("XAI_API_KEY").trimmed();
    if (key.isEmpty())
        return false;
    m_key = key;
    m_source = QStringLiteral("XAI_API_KEY");
    return true;
}

void ApiKeyStore::loadFromKeychain()
{
#ifdef GP_HAVE_KEYCHAIN
    if (m_keychainEnabled) {
        auto *job = new QKeychain::ReadPasswordJob(kService, this); // auto-deletes when finished
        job->setKey(kAccount);
        connect(job, &QKeychain::Job::finished, this, [this, job] {
            const bool found = job->error() == QKeychain::NoError && !job->textData().isEmpty();
            if (found) {
                m_key = job->textData();
                m_source = QStringLiteral("keychain");
            }
            Q_EMIT loaded(found);
        });
        job->start();
        return;
    }
#endif
    QTimer::singleShot(0, this, [this] { Q_EMIT loaded(false); });
}

void ApiKeyStore::store(const QString &key, bool remember)
{
    m_key = key.trimmed();
    m_source = QStringLiteral("session");
#ifdef GP_HAVE_KEYCHAIN
    if (remember && m_keychainEnabled) {
        auto *job = new QKeychain::WritePasswordJob(kService, this);
        job->setKey(kAccount);
        job->setTextData(m_key);
        connect(job, &QKeychain::Job::finished, this, [this, job] {
            if (job->error() == QKeychain::NoError) {
                m_source = QStringLiteral("keychain");
                Q_EMIT stored(true, tr("The key is kept in the system keychain."));
            } else {
                Q_EMIT stored(false,
                              tr("No system keychain is available (%1): the key is kept for this "
                                 "session only.")
                                  .arg(job->errorString()));
            }
        });
        job->start();
        return;
    }
#endif
    const QString note = remember
        ? tr("No system keychain is available: the key is kept for this session only.")
        : tr("The key is kept for this session only.");
    QTimer::singleShot(0, this, [this, note] { Q_EMIT stored(false, note); });
}

} // namespace gp
