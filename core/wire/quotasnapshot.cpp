#include "core/wire/quotasnapshot.h"

namespace gp {

QString quotaHeaderStyleName(QuotaHeaderStyle style)
{
    switch (style) {
    case QuotaHeaderStyle::None: return QStringLiteral("none");
    case QuotaHeaderStyle::OpenAI: return QStringLiteral("openai");
    case QuotaHeaderStyle::IetfStructured: return QStringLiteral("ietf");
    case QuotaHeaderStyle::IetfLegacy: return QStringLiteral("ietf-legacy");
    case QuotaHeaderStyle::XRateLimit: return QStringLiteral("xratelimit");
    case QuotaHeaderStyle::Anthropic: return QStringLiteral("anthropic");
    }
    return QStringLiteral("none");
}

} // namespace gp
