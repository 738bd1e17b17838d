#pragma once

#include <QString>

namespace gp {

// Defensive last line before anything is written or exported: replaces whatever looks
// like an API key or a credential (xai-…, sk-…, "Bearer …", "Authorization: …",
// api_key=…) with "[redacted]". Events never carry keys; this guards against mistakes.
class SecretScrubber final
{
public:
    static QString scrub(const QString &text);
    static bool looksSecret(const QString &text);
};

} // namespace gp
