#pragma once

#include <QString>
#include <QUrl>

namespace gp {

// Who the client talks to, as the OpenTelemetry GenAI conventions name it: gen_ai.provider.name
// (a well-known value such as x_ai for api.x.ai, else the host), server.address and server.port.
struct GenAiServer
{
    QString provider = QStringLiteral("_OTHER");
    QString address;
    int port = 0; // 0: unknown

    static GenAiServer fromUrl(const QUrl &baseUrl);
    // The well-known gen_ai.provider.name of a host, or an empty string when it has none.
    static QString wellKnownProvider(const QString &host);
};

} // namespace gp
