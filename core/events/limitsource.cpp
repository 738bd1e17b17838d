#include "core/events/limitsource.h"

#include <QStringList>

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

QString describeLimit(LimitSource source, const QString &model, std::optional<double> requestsPerSecond,
                      std::optional<double> tokensPerMinute)
{
    QStringList parts;
    if (requestsPerSecond)
        parts.append(QStringLiteral("%1 requests/s").arg(*requestsPerSecond, 0, 'g', 4));
    if (tokensPerMinute)
        parts.append(QStringLiteral("%1 tokens/min").arg(*tokensPerMinute, 0, 'f', 0));
    if (source == LimitSource::None || parts.isEmpty())
        return QStringLiteral("no limit known");
    QString text = parts.join(QStringLiteral(", "));
    if (!model.isEmpty())
        text += QStringLiteral(" for ") + model;
    return text + QStringLiteral(" (") + limitSourceName(source) + u')';
}

} // namespace gp
