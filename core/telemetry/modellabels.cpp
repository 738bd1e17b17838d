#include "core/telemetry/modellabels.h"

#include "core/policy/secretscrubber.h"

namespace gp {

QString ModelLabels::fold(const QString &model)
{
    const QString name = model.isEmpty() ? QStringLiteral("unknown") : model.left(128);
    if (SecretScrubber::looksSecret(name) || SecretScrubber::scrub(name) != name)
        return kOther; // a key pasted where a model name goes never reaches a scrape
    if (m_seen.contains(name))
        return name;
    if (int(m_seen.size()) >= m_cap)
        return kOther;
    m_seen.insert(name);
    return name;
}

} // namespace gp
