#include "core/client/modellistjob.h"

#include "core/client/attempt.h"
#include "core/client/chatendpoint.h"
#include "core/policy/classifier.h"
#include "core/wire/apiurl.h"
#include "core/wire/errorbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace gp {

ModelListJob::ModelListJob(QObject *parent)
    : QObject(parent)
{ }

ModelListJob *ModelListJob::start(QNetworkAccessManager *network, const Target &target, QObject *parent)
{
    auto *job = new ModelListJob(parent);
    // Queued, so that a refusal, too, arrives after the caller has connected.
    QMetaObject::invokeMethod(
        job, [job, network, target] { job->send(network, target); }, Qt::QueuedConnection);
    return job;
}

QStringList ModelListJob::parseModelIds(const QByteArray &body)
{
    QStringList models;
    const QJsonArray data = QJsonDocument::fromJson(body).object().value(u"data").toArray();
    for (const QJsonValue &v : data) {
        const QString id = v.toObject().value(u"id").toString();
        if (!id.isEmpty())
            models.append(id);
    }
    return models;
}

void ModelListJob::send(QNetworkAccessManager *network, const Target &target)
{
    const QUrl url = joinApiUrl(target.baseUrl, u"models"_s);
    if (const QString refusal = ChatEndpoint::insecureRefusal(url, target.allowInsecureHttp);
        !refusal.isEmpty()) {
        finish({}, Error { ErrorClass::Tls, 0, {}, refusal });
        return;
    }
    if (!network || !url.isValid() || url.host().isEmpty()) {
        finish({}, Error { ErrorClass::BadRequest, 0, {}, u"no valid base URL to list models from"_s });
        return;
    }
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    if (!target.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + target.apiKey.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(target.timeoutMs);
    m_reply = network->get(request);
    m_reply->setParent(this);
    connect(m_reply, &QNetworkReply::finished, this, &ModelListJob::onReplyFinished);
}

void ModelListJob::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (status >= 200 && status < 300 && reply->error() == QNetworkReply::NoError) {
        const QStringList models = parseModelIds(body);
        if (models.isEmpty())
            finish(
                {},
                Error {
                    ErrorClass::MalformedResponse, status, {}, u"the model list was empty or not JSON"_s });
        else
            finish(models, {});
        return;
    }
    ClassifierInput input;
    input.httpStatus = status;
    input.transport = Attempt::mapNetworkError(reply->error(), status > 0);
    if (status > 0)
        input.body = parseErrorBody(body);
    const Classification c = classifyAttempt(input);
    finish({},
           Error { c.errorClass == ErrorClass::None ? ErrorClass::Internal : c.errorClass, status,
                   input.body.code, c.message });
}

void ModelListJob::finish(const QStringList &models, const Error &error)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(models, error, QPrivateSignal());
    deleteLater();
}

} // namespace gp
