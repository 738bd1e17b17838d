#include "core/policy/priority.h"

namespace gp {

QString priorityName(Priority priority)
{
    switch (priority) {
    case Priority::Interactive: return QStringLiteral("interactive");
    case Priority::Normal: return QStringLiteral("normal");
    case Priority::Background: return QStringLiteral("background");
    }
    return QStringLiteral("normal");
}

std::optional<Priority> priorityFromName(const QString &name)
{
    if (name == u"interactive")
        return Priority::Interactive;
    if (name == u"normal")
        return Priority::Normal;
    if (name == u"background")
        return Priority::Background;
    return std::nullopt;
}

} // namespace gp
