#pragma once

#include <QString>
#include <QUrl>

namespace gp {

// The one home of URL joining for every API call (chat, models, batch input lines).
// Joins a base URL and an API path without doubling the segments they share:
// "https://api.x.ai/v1" + "/v1/chat/completions" -> "https://api.x.ai/v1/chat/completions";
// "https://api.x.ai/v1/" + "models" -> "https://api.x.ai/v1/models". The longest run of
// trailing base segments equal to the path's leading segments is kept once; empty segments
// (doubled slashes) go; the base's query and fragment and the path's query are dropped.
QUrl joinApiUrl(const QUrl &base, const QString &path);

// The API root (".../v1") a base URL names, whether given with /v1, without it, or as the
// full chat-completions URL: "https://api.x.ai" -> "https://api.x.ai/v1". The client joins
// its paths ("chat/completions", "models") to this.
QUrl apiRootUrl(const QUrl &base);

} // namespace gp
