#include "core/telemetry/genaiserver.h"

namespace gp {

namespace {

struct KnownHost
{
    const char *suffix; // the host itself or a parent domain
    const char *provider;
};

// gen_ai.provider.name well-known values (semantic conventions v1.41.1) by API host.
constexpr KnownHost kKnownHosts[] = {
    { "x.ai", "x_ai" },
    { "openai.azure.com", "azure.ai.openai" },
    { "services.ai.azure.com", "azure.ai.inference" },
    { "models.ai.azure.com", "azure.ai.inference" },
    { "openai.com", "openai" },
    { "anthropic.com", "anthropic" },
    { "generativelanguage.googleapis.com", "gcp.gemini" },
    { "aiplatform.googleapis.com", "gcp.vertex_ai" },
    { "groq.com", "groq" },
    { "mistral.ai", "mistral_ai" },
    { "deepseek.com", "deepseek" },
    { "perplexity.ai", "perplexity" },
    { "cohere.com", "cohere" },
    { "cohere.ai", "cohere" },
};

} // namespace

QString GenAiServer::wellKnownProvider(const QString &host)
{
    const QString h = host.toLower();
    for (const KnownHost &known : kKnownHosts) {
        const QString suffix = QLatin1String(known.suffix);
        if (h == suffix || h.endsWith(QLatin1Char('.') + suffix))
            return QLatin1String(known.provider);
    }
    if (h.startsWith(QLatin1String("bedrock-runtime.")) && h.endsWith(QLatin1String(".amazonaws.com")))
        return QStringLiteral("aws.bedrock");
    return {};
}

GenAiServer GenAiServer::fromUrl(const QUrl &baseUrl)
{
    GenAiServer server;
    server.address = baseUrl.host();
    server.port = baseUrl.port(baseUrl.scheme() == QLatin1String("https")      ? 443
                                   : baseUrl.scheme() == QLatin1String("http") ? 80
                                                                               : 0);
    const QString known = wellKnownProvider(server.address);
    if (!known.isEmpty())
        server.provider = known;
    else if (!server.address.isEmpty())
        server.provider = server.address;
    return server;
}

} // namespace gp
