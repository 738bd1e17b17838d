#include "ui/modelcatalog.h"

#include "core/client/client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace gp {

ModelCatalog::ModelCatalog(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{ }

void ModelCatalog::fetch(const QUrl &baseUrl, const QString &apiKey)
{
    if (!m_network)
        return;
    QNetworkRequest request(Client::joinUrl(baseUrl, QStringLiteral("models")));
    request.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    request.setTransferTimeout(15000);
    QNetworkReply *reply = m_network->get(request);
    reply->setParent(this);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            Q_EMIT failed(tr("Could not list models: %1").arg(reply->errorString()));
            return;
        }
        const QJsonArray data = QJsonDocument::fromJson(reply->readAll()).object().value(u"data").toArray();
        QStringList models;
        for (const QJsonValue &v : data) {
            const QString id = v.toObject().value(u"id").toString();
            if (!id.isEmpty())
                models.append(id);
        }
        if (models.isEmpty())
            return;
        m_models = models;
        Q_EMIT modelsChanged(m_models);
    });
}

} // namespace gp
