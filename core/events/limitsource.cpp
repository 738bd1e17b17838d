#include "core/events/limitsource.h"

#include <QStringList>

#include <algorithm>

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

QString agoText(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    if (s < 60)
        return QStringLiteral("%1 s ago").arg(s);
    if (s < 2 * 3600)
        return QStringLiteral("%1 min ago").arg(s / 60);
    return QStringLiteral("%1 h ago").arg(s / 3600);
}

QString limitSourceText(LimitSource source, std::optional<qint64> rememberedAgoMs)
{
    if (source != LimitSource::StatedByServer || !rememberedAgoMs)
        return limitSourceName(source);
    return limitSourceName(source) + QStringLiteral(" (remembered, ") + agoText(*rememberedAgoMs) + u')';
}

QString limitSourceBrief(LimitSource source, std::optional<qint64> rememberedAgoMs)
{
    if (source != LimitSource::StatedByServer || !rememberedAgoMs)
        return limitSourceName(source);
    return QStringLiteral("remembered, ") + agoText(*rememberedAgoMs);
}

QString describeLimit(LimitSource source, const QString &model, std::optional<double> requestsPerSecond,
                      std::optional<double> tokensPerMinute, std::optional<qint64> rememberedAgoMs)
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
    if (source == LimitSource::StatedByServer && rememberedAgoMs)
        return text + QStringLiteral(" (stated by server; remembered, ") + agoText(*rememberedAgoMs) + u')';
    return text + QStringLiteral(" (") + limitSourceName(source) + u')';
}

} // namespace gp
