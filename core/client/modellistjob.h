#pragma once

#include "core/policy/error.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace gp {

// GET {base}/models under the chat path's rules: plain http to a non-loopback host is
// refused before anything is sent (the key would travel in clear), TLS errors fail, the key
// goes only into the Authorization header and never into a message. Ends in one finished(),
// never inside start(); deletes itself after it.
class ModelListJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelListJob)

public:
    struct Target
    {
        QUrl baseUrl; // e.g. https://api.x.ai/v1
        QString apiKey;
        bool allowInsecureHttp = false;
        int timeoutMs = 15000;
    };

    // The job is a child of parent; connect to finished() right after start() returns.
    static ModelListJob *start(QNetworkAccessManager *network, const Target &target, QObject *parent);

    // The model ids in the answer's "data" array, in the server's order.
    static QStringList parseModelIds(const QByteArray &body);

Q_SIGNALS:
    void finished(const QStringList &models, const gp::Error &error, QPrivateSignal);

private:
    explicit ModelListJob(QObject *parent);
    void send(QNetworkAccessManager *network, const Target &target);
    void onReplyFinished();
    void finish(const QStringList &models, const Error &error);

    QPointer<QNetworkReply> m_reply;
    bool m_done = false;
};

} // namespace gp
