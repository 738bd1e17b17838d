#pragma once

#include <QString>

namespace gp {

// Where an upstream API key comes from, for anything that must work headless: an environment
// variable first, then the system keychain (QtKeychain, when it was found at build time and a
// secret service answers). The console stores its key under the same service and account, so a
// key saved from the console's key dialog serves `grokpulse gateway` too. The key is never
// logged and never part of an error message.
class UpstreamCredential final
{
public:
    static constexpr auto kKeychainService = "GrokPulse";
    static constexpr auto kKeychainAccount = "xai-api-key";

    struct Result
    {
        QString key; // empty when none was found
        QString source; // the variable's name, or "keychain"
        QString note; // why nothing was found (which places were tried), safe to print
    };

    static bool keychainCompiledIn();
    // envName first; then, when useKeychain, the keychain (waits at most timeoutMs for it).
    static Result resolve(const QString &envName, bool useKeychain, int timeoutMs = 5000);
    // The keychain alone; empty key with a note when there is none or no keychain answers.
    static Result fromKeychain(int timeoutMs = 5000);
};

} // namespace gp
