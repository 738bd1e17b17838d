#include "app/gateway/gatewayoptions.h"

#include <functional>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

bool parseHostPort(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (host == u"localhost"_s)
        host = u"127.0.0.1"_s;
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535 || !address->setAddress(host))
        return false;
    *port = quint16(value);
    return true;
}

template<typename T> bool parseNumber(const QString &text, T min, T max, T *out)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || value < double(min) || value > double(max))
        return false;
    *out = T(value);
    return true;
}

} // namespace

QString GatewayOptions::usage()
{
    return u"usage: grokpulse gateway [options]\n"
           "  --listen HOST:PORT     where clients connect (default 127.0.0.1:8787)\n"
           "  --allow-remote         allow a non-loopback --listen (the token is still required)\n"
           "  --upstream URL         the API base URL (default https://api.x.ai/v1)\n"
           "  --api-key-env NAME     the upstream key's environment variable (default XAI_API_KEY);\n"
           "                         when it is empty, the key the console saved in the keychain\n"
           "  --no-keychain          never ask the system keychain for the key\n"
           "  --tls-cert PEM --tls-key PEM  serve HTTPS only (without them a non-loopback\n"
           "                         --listen is plain HTTP, with a loud warning)\n"
           "  --token-file PATH      the clients' token (created with mode 0600 on first start)\n"
           "  --model NAME           model for requests that name none (default grok-4)\n"
           "  --max-body BYTES       largest request body (default 1048576; 413 beyond)\n"
           "  --max-connections N    concurrent client connections (default 256)\n"
           "  --max-pending N        requests queued or in flight (default 512; 429 beyond)\n"
           "  --header-timeout MS    --body-timeout MS   --idle-timeout MS\n"
           "  --rps N --burst N --rpm N --tpm N --concurrency N --max-attempts N --redis URL\n"
           "  --deadline MS          a request's whole time in GrokPulse, queue and retries included\n"
           "                         (default none; per request: x-grokpulse-deadline-ms)\n"
           "  --unpaced              no pacing, only the concurrency cap\n"
           "  --no-remember-limits   neither use nor keep the limits servers stated in earlier runs\n"
           "  --journal PATH         --metrics-port N   --allow-insecure-http   --quiet\n"_s;
}

namespace {

using Setter = std::function<bool(const QString &)>;

// Every option that takes a value, writing into o (which must outlive the table).
QHash<QString, Setter> valuedOptions(GatewayOptions &o, bool &listenSet)
{
    return {
        { u"--listen"_s,
          [&](const QString &v) { return listenSet = parseHostPort(v, &o.listenAddress, &o.listenPort); } },
        { u"--upstream"_s,
          [&](const QString &v) {
              o.upstream = QUrl(v, QUrl::StrictMode);
              return o.upstream.isValid()
                  && (o.upstream.scheme() == u"https"_s || o.upstream.scheme() == u"http"_s)
                  && !o.upstream.host().isEmpty();
          } },
        { u"--api-key-env"_s, [&](const QString &v) { return !(o.apiKeyEnv = v).isEmpty(); } },
        { u"--tls-cert"_s, [&](const QString &v) { return !(o.tlsCertPath = v).isEmpty(); } },
        { u"--tls-key"_s, [&](const QString &v) { return !(o.tlsKeyPath = v).isEmpty(); } },
        { u"--token-file"_s, [&](const QString &v) { return !(o.tokenFile = v).isEmpty(); } },
        { u"--model"_s, [&](const QString &v) { return !(o.defaultModel = v).isEmpty(); } },
        { u"--max-body"_s,
          [&](const QString &v) { return parseNumber<qint64>(v, 1, 64LL << 20, &o.maxBodyBytes); } },
        { u"--max-connections"_s,
          [&](const QString &v) { return parseNumber(v, 1, 100000, &o.maxConnections); } },
        { u"--max-pending"_s, [&](const QString &v) { return parseNumber(v, 1, 1000000, &o.maxPending); } },
        { u"--header-timeout"_s,
          [&](const QString &v) { return parseNumber(v, 1, 3600000, &o.headerTimeoutMs); } },
        { u"--body-timeout"_s,
          [&](const QString &v) { return parseNumber(v, 1, 3600000, &o.bodyTimeoutMs); } },
        { u"--idle-timeout"_s,
          [&](const QString &v) { return parseNumber(v, 1, 3600000, &o.idleTimeoutMs); } },
        { u"--rps"_s, [&](const QString &v) { return parseNumber(v, 0.0, 1e6, &o.requestsPerSecond); } },
        { u"--burst"_s, [&](const QString &v) { return parseNumber(v, 0.0, 1e6, &o.requestBurst); } },
        { u"--rpm"_s, [&](const QString &v) { return parseNumber(v, 0.0, 1e8, &o.requestsPerMinute); } },
        { u"--tpm"_s, [&](const QString &v) { return parseNumber(v, 0.0, 1e12, &o.tokensPerMinute); } },
        { u"--concurrency"_s, [&](const QString &v) { return parseNumber(v, 1, 10000, &o.concurrency); } },
        { u"--max-attempts"_s, [&](const QString &v) { return parseNumber(v, 1, 100, &o.maxAttempts); } },
        { u"--deadline"_s,
          [&](const QString &v) { return parseNumber<qint64>(v, 0, 86400000, &o.deadlineMs); } },
        { u"--redis"_s, [&](const QString &v) { return !(o.redisUrl = v).isEmpty(); } },
        { u"--journal"_s, [&](const QString &v) { return !(o.journalPath = v).isEmpty(); } },
        { u"--metrics-port"_s, [&](const QString &v) { return parseNumber(v, 0, 65535, &o.metricsPort); } },
    };
}

} // namespace

std::optional<GatewayOptions> GatewayOptions::parse(const QStringList &arguments, QString *error)
{
    GatewayOptions o;
    bool listenSet = false;
    bool noKeychain = false;
    const QHash<QString, Setter> valued = valuedOptions(o, listenSet);
    const QHash<QString, bool *> flags {
        { u"--allow-remote"_s, &o.allowRemote }, { u"--allow-insecure-http"_s, &o.allowInsecureHttp },
        { u"--unpaced"_s, &o.unpaced },          { u"--no-remember-limits"_s, &o.noRememberLimits },
        { u"--no-keychain"_s, &noKeychain },     { u"--quiet"_s, &o.quiet }
    };
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        QString name = arguments.at(i);
        QString value;
        bool hasValue = false;
        if (const qsizetype eq = name.indexOf(u'='); name.startsWith(u"--"_s) && eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
            hasValue = true;
        }
        if (bool *flag = flags.value(name)) {
            if (hasValue) {
                *error = name + u" takes no value"_s;
                return std::nullopt;
            }
            *flag = true;
            continue;
        }
        const auto setter = valued.constFind(name);
        if (setter == valued.cend()) {
            *error = u"unknown option '%1'"_s.arg(name);
            return std::nullopt;
        }
        if (!hasValue) {
            if (i + 1 >= arguments.size()) {
                *error = name + u" needs a value"_s;
                return std::nullopt;
            }
            value = arguments.at(++i);
        }
        if (!(*setter)(value)) {
            *error = u"%1: invalid value '%2'"_s.arg(name, value);
            return std::nullopt;
        }
    }
    o.useKeychain = !noKeychain;
    if (o.tlsCertPath.isEmpty() != o.tlsKeyPath.isEmpty()) {
        *error = u"--tls-cert and --tls-key go together"_s;
        return std::nullopt;
    }
    if (listenSet && !o.listenAddress.isLoopback() && !o.allowRemote) {
        *error = u"--listen %1 is not a loopback address: add --allow-remote to serve other machines "
                 u"(clients still need the token)"_s.arg(o.listenAddress.toString());
        return std::nullopt;
    }
    return o;
}

} // namespace gp
