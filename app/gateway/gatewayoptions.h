#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace gp {

// What one `grokpulse gateway` run is told on its command line. Defaults are safe:
// loopback only, bounded bodies, connections, queue and slow clients.
struct GatewayOptions
{
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 8787;
    bool allowRemote = false; // a non-loopback --listen needs --allow-remote
    QUrl upstream = QUrl(QStringLiteral("https://api.x.ai/v1"));
    QString apiKeyEnv = QStringLiteral("XAI_API_KEY");
    bool useKeychain = true; // no key in apiKeyEnv: the system keychain (the console's saved key)
    QString tlsCertPath; // both set: clients connect over TLS (PEM certificate chain and key)
    QString tlsKeyPath;
    QString tokenFile; // empty: <config dir>/gateway.token
    QString defaultModel = QStringLiteral("grok-4");
    bool allowInsecureHttp = false;

    qint64 maxBodyBytes = 1024 * 1024;
    int maxConnections = 256;
    int maxPending = 512; // jobs queued or in flight; 429 + Retry-After beyond
    int headerTimeoutMs = 10000; // from a request's first byte to the end of its headers
    int bodyTimeoutMs = 30000; // from the end of the headers to the end of the body
    int idleTimeoutMs = 60000; // a keep-alive connection with no request

    // Pacing, as `grokpulse batch` takes it; 0 = learn from the server.
    double requestsPerSecond = 0.0;
    double requestBurst = 0.0;
    double requestsPerMinute = 0.0;
    double tokensPerMinute = 0.0;
    int concurrency = 64;
    int maxAttempts = 0;
    qint64 deadlineMs = 0; // a request's whole time in GrokPulse (queue, retries, stream); 0 = none
    QString redisUrl;
    bool noRememberLimits = false; // stated limits of earlier runs neither seed the pacing nor are kept
    bool unpaced = false; // no Scheduler: concurrency cap only (for overhead measurements)

    QString journalPath;
    int metricsPort = -1;
    bool quiet = false;

    // Parses argv after the subcommand; nullopt and a one-line reason on bad input.
    static std::optional<GatewayOptions> parse(const QStringList &arguments, QString *error);
    static QString usage();
};

} // namespace gp
