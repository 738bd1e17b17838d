#pragma once

#include <QObject>
#include <QString>

namespace gp {

// Where the API key lives: XAI_API_KEY, else the system keychain (QtKeychain), else the
// session only (no keychain, e.g. a headless box without a secret service). Never
// written to QSettings, a log or an event.
class ApiKeyStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiKeyStore)

public:
    explicit ApiKeyStore(QObject *parent = nullptr);
    ~ApiKeyStore() override;

    bool hasKey() const { return !m_key.isEmpty(); }
    QString key() const { return m_key; }
    QString source() const { return m_source; } // "XAI_API_KEY", "keychain", "session"
    bool isSessionOnly() const { return m_source == u"session"; }
    static bool keychainCompiledIn();

    // From the environment; false when XAI_API_KEY is unset or empty.
    bool loadFromEnvironment();
    // Asks the keychain; loaded(found) follows (false at once without a keychain).
    void loadFromKeychain();
    // Keeps the key for this session and tries to keep it in the keychain; stored(persisted, note).
    void store(const QString &key, bool remember);
    void setKeychainEnabled(bool enabled) { m_keychainEnabled = enabled; }

Q_SIGNALS:
    void loaded(bool found);
    void stored(bool persisted, const QString &note);

private:
    QString m_key;
    QString m_source;
    bool m_keychainEnabled = true;
};

} // namespace gp
