#include "app/gateway/upstreambody.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

bool chatNeedsRewrite(const QJsonObject &parsed)
{
    const QJsonValue options = parsed.value("stream_options"_L1);
    const bool hasOptions = !options.isUndefined() && !options.isNull();
    if (parsed.value("stream"_L1).toBool(false))
        return !options.toObject().value("include_usage"_L1).isBool();
    return hasOptions;
}

} // namespace

QByteArray UpstreamBody::passThrough(Route route, const QJsonObject &parsed, const QByteArray &raw)
{
    if (parsed.value("model"_L1).toString().isEmpty())
        return {};
    if (route == Route::ChatCompletions && chatNeedsRewrite(parsed))
        return {};
    return raw;
}

} // namespace gp
