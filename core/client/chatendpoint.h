#pragma once

#include "core/client/requestkind.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

namespace gp {

// Where chat requests go and how they are addressed: the chat-completions URL, the
// endpoint name the breaker and messages use, the Authorization header, and whether
// sending there is safe at all (the key never goes over plain http to another host).
class ChatEndpoint final
{
public:
    ChatEndpoint(const QUrl &baseUrl, bool allowInsecureHttp);

    QUrl url() const { return m_url; }
    QString name() const { return m_name; } // scheme://host:port
    // Empty when requests may be sent; otherwise why they may not (names the host, never the key).
    QString refusal() const { return m_refusal; }
    void setApiKey(const QString &key);
    QNetworkRequest buildRequest(bool stream, const QString &customId,
                                 RequestKind kind = RequestKind::ChatCompletions) const;
    // Any other call under the same base URL (batches, deferred polls, tokenize), same headers;
    // path may end in "?query" (already encoded).
    QNetworkRequest buildCall(const QString &path) const;
    QUrl urlFor(const QString &path) const;

    // 127.0.0.0/8, ::1 (also v4-mapped), "localhost" and its subdomains.
    static bool isLoopbackHost(const QString &host);
    static QString insecureRefusal(const QUrl &url, bool allowInsecureHttp);
    // Why no request can ever be sent to this base URL (not http(s), no host); empty when usable.
    static QString baseUrlProblem(const QUrl &baseUrl);

private:
    QNetworkRequest makeRequest(bool stream, const QString &customId, RequestKind kind) const;
    void buildChatRequests();

    QUrl m_base;
    QUrl m_url;
    QString m_name;
    QString m_refusal;
    QByteArray m_authorization;
    // The plain chat requests, built once per key (a copy shares them): [stream]
    QNetworkRequest m_chat[2];
};

} // namespace gp
