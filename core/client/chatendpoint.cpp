#include "core/client/chatendpoint.h"

#include "core/wire/apiurl.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace gp {

ChatEndpoint::ChatEndpoint(const QUrl &baseUrl, bool allowInsecureHttp)
    : m_base(baseUrl)
    , m_url(joinApiUrl(baseUrl, u"chat/completions"_s))
    , m_name(
          m_url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
              .toString())
    , m_refusal(insecureRefusal(m_url, allowInsecureHttp))
{
    buildChatRequests();
}

bool ChatEndpoint::isLoopbackHost(const QString &host)
{
    const QString lower = host.toLower();
    if (lower == u"localhost"_s || lower.endsWith(u".localhost"_s))
        return true;
    const QHostAddress address(lower);
    return !address.isNull() && address.isLoopback();
}

QString ChatEndpoint::insecureRefusal(const QUrl &url, bool allowInsecureHttp)
{
    if (allowInsecureHttp || url.scheme().compare(u"http"_s, Qt::CaseInsensitive) != 0
        || isLoopbackHost(url.host()))
        return {};
    return u"refusing to send the API key over plain http to "_s + url.host()
        + u"; use https or --allow-insecure-http"_s;
}

QString ChatEndpoint::baseUrlProblem(const QUrl &baseUrl)
{
    const QString scheme = baseUrl.scheme().toLower();
    if (!baseUrl.isValid() || baseUrl.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s))
        return u"the base URL \""_s + baseUrl.toDisplayString(QUrl::RemoveUserInfo)
            + u"\" is not an http(s) URL with a host; set a base URL such as https://api.x.ai/v1"_s;
    return {};
}

void ChatEndpoint::setApiKey(const QString &key)
{
    m_authorization = key.isEmpty() ? QByteArray() : "Bearer " + key.toUtf8();
    buildChatRequests();
}

void ChatEndpoint::buildChatRequests()
{
    for (const bool stream : { false, true })
        m_chat[stream] = makeRequest(stream, {}, RequestKind::ChatCompletions);
}

QUrl ChatEndpoint::urlFor(const QString &path) const
{
    return joinApiUrl(m_base, path);
}

QNetworkRequest ChatEndpoint::buildCall(const QString &path) const
{
    QNetworkRequest request = buildRequest(false, {});
    const qsizetype query = path.indexOf(u'?');
    QUrl url = urlFor(path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1), QUrl::StrictMode);
    request.setUrl(url);
    return request;
}

QNetworkRequest ChatEndpoint::buildRequest(bool stream, const QString &customId, RequestKind kind) const
{
    // Every attempt of a plain chat request sends the same headers: share the ones built.
    if (customId.isEmpty() && kind != RequestKind::Responses)
        return m_chat[stream];
    return makeRequest(stream, customId, kind);
}

QNetworkRequest ChatEndpoint::makeRequest(bool stream, const QString &customId, RequestKind kind) const
{
    QNetworkRequest request(kind == RequestKind::Responses ? urlFor(requestKindPath(kind)) : m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", stream ? "text/event-stream" : "application/json");
    if (!m_authorization.isEmpty())
        request.setRawHeader("Authorization", m_authorization);
    if (!customId.isEmpty())
        request.setRawHeader("x-grokpulse-custom-id", customId.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // HTTP/2 where the server offers it over TLS (ALPN); Qt 6 allows it by default, say so.
    // Never cleartext h2c: its Upgrade dance would cost plain-http servers a round trip.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    return request;
}

} // namespace gp
