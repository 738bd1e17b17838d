#include "core/pacing/limitsource.h"

namespace gp {

QString limitSourceName(LimitSource source)
{
    switch (source) {
    case LimitSource::Configured: return QStringLiteral("configured");
    case LimitSource::Headers: return QStringLiteral("headers");
    case LimitSource::StatedByServer: return QStringLiteral("stated by server");
    case LimitSource::Learned: return QStringLiteral("learned");
    case LimitSource::None: break;
    }
    return QStringLiteral("none");
}

} // namespace gp
