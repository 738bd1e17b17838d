#pragma once

#include <QString>
#include <QUrl>

namespace gp {

// Joins a base URL and an API path without doubling the segments they share:
// "https://api.x.ai/v1" + "/v1/chat/completions" -> "https://api.x.ai/v1/chat/completions".
// The longest run of trailing base segments equal to the path's leading segments is kept once.
QUrl joinApiUrl(const QUrl &base, const QString &path);

} // namespace gp
